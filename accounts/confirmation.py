"""A person confirms an act — a plan's signature, a protocol's activation or retirement — with
their own password and, where the settings ask for it (``SIGNING_REQUIRES_SECOND_FACTOR``), a
current code of their own TOTP device (accounts/second_factor.py). Refusals name the field
(``password``, ``otp_token``); each act says in its own words what was wrong."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.second_factor import check_second_factor, has_device


def check_password(user, password, *, refused):
    """``refused``: the message when the password is missing or not the user's."""
    if not password or not user.check_password(password):
        raise ValidationError({"password": refused})


def check_code(user, otp_token, *, no_device):
    """The second factor, where signing requires it; ``no_device``: the message for a user who has
    not set up an authenticator app."""
    if not settings.SIGNING_REQUIRES_SECOND_FACTOR:
        return
    if not has_device(user):
        raise ValidationError({"otp_token": no_device})
    if not check_second_factor(user, otp_token):
        raise ValidationError({"otp_token": _(
            "The code is not correct or already used: enter the current code from your authenticator app.")})
