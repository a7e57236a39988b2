"""The personas' shared password and the second-factor step of a test login: imported by the
conftest fixtures (physician, nurse, ..., ``client_for``) and by the tests that sign or log in."""

PASSWORD = "Persona-password-2026"


def verify_second_factor(client, user):
    """Make the client's session what a login with password and TOTP code gives:
    the user has a confirmed device and the session is verified with it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def in_english(client):
    """``client`` as a browser whose user chose English with the language switch (the language
    cookie): the pages are in bokmål otherwise, whatever the browser's Accept-Language
    (accounts/language.py). Returns the client: ``in_english(client_for(nurse)).get(url)``."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def english_client(**defaults):
    """A new test client that asks for the pages in English (``in_english``)."""
    from django.test import Client

    return in_english(Client(**defaults))


def in_norwegian(client):
    """``client`` as a browser whose user chose bokmål with the language switch (the cookie)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    return client
