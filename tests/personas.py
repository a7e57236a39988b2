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
