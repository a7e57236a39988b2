"""Named personas shared by the whole suite: one user per role (accounts/roles.py)."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles

PASSWORD = "Persona-password-2026"


def pytest_configure(config):
    """Tests (and the live server of the browser tests) render pages without running
    collectstatic: plain storage, files found by the finders. The manifest storage
    behind WhiteNoise is checked by test_static_assets_are_served_with_debug_off."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    # Like django-axes, the signing second factor is switched on only in the tests about it
    # (tests/patients/test_plan_second_factor.py) and in the browser walk; elsewhere the
    # personas sign with their password, so each test need not step a TOTP clock.
    settings.SIGNING_REQUIRES_SECOND_FACTOR = False


def _make_user(django_user_model, username, role, first, last):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last,
        is_staff=role in roles.STAFF_ROLES, is_superuser=False,
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def physician(db, django_user_model):
    return _make_user(django_user_model, "dr_hansen", roles.PHYSICIAN, "Kari", "Hansen")


@pytest.fixture
def second_physician(db, django_user_model):
    return _make_user(django_user_model, "dr_berg", roles.PHYSICIAN, "Ola", "Berg")


@pytest.fixture
def nurse(db, django_user_model):
    return _make_user(django_user_model, "spl_nilsen", roles.NURSE, "Ida", "Nilsen")


@pytest.fixture
def pharmacist(db, django_user_model):
    return _make_user(django_user_model, "farm_lie", roles.PHARMACIST, "Per", "Lie")


@pytest.fixture
def admin_user(db, django_user_model):
    return _make_user(django_user_model, "it_admin", roles.ADMIN, "Tor", "Admin")


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


@pytest.fixture
def client_for(client):
    """Log the test client in as a persona, second factor included: ``client_for(physician)``."""

    def login(user):
        client.force_login(user)
        verify_second_factor(client, user)
        return client

    return login


@pytest.fixture(autouse=True)
def _axes_off_unless_asked(settings, request):
    """django-axes needs the request in authenticate(), which client.login() does not
    pass. Lockout is on in production and in the tests marked ``axes``."""
    settings.AXES_ENABLED = "axes" in request.keywords


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the app's default language (nb), whatever an earlier test in the same
    worker left active: a test that reads English messages says so (``english`` fixture or
    ``translation.override("en")``)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.fixture
def english():
    """Read the app's messages in English (their source text) for this test."""
    from django.utils import translation

    with translation.override("en"):
        yield
