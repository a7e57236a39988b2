"""The second factor (TOTP, django-otp): one place to ask "is this really the user?".

``check_second_factor(user, token)`` is what signing a treatment plan calls: it
answers True only for a current code of one of the user's confirmed devices. A
code is accepted once (django-otp remembers the last time step used), wrong codes
slow the device down (django-otp throttling), and a user without a confirmed
device never passes.
"""

import re
from binascii import unhexlify

import django_otp
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_device(user) -> bool:
    """True when the user has a confirmed TOTP device (two-factor is on)."""
    return bool(user and user.is_authenticated) and django_otp.user_has_device(user, confirmed=True)


def is_verified(user) -> bool:
    """True when this session was verified with a code (OTPMiddleware sets user.is_verified)."""
    verified = getattr(user, "is_verified", None)
    return bool(user and user.is_authenticated and verified is not None and verified())


def matching_device(user, token):
    """The confirmed device of ``user`` that accepts ``token`` now, or None (the token is then used up)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    token = (token or "").strip().replace(" ", "")
    if not re.fullmatch(r"\d{6}|\d{8}", token):  # django-otp compares numbers: "12345" would match "012345"
        return None
    return django_otp.match_token(user, token)


def check_second_factor(user, token) -> bool:
    """Does ``token`` prove that ``user`` holds their second factor right now?"""
    return matching_device(user, token) is not None


def current_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the device's authenticator app shows now (demo installations, tests);
    ``steps_ahead=1`` gives the next one (within the device's tolerance), for a second
    signature inside the same 30-second step, since each code is accepted only once."""
    totp = TOTP(unhexlify(device.key.encode()), device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return str(totp.token()).zfill(device.digits)


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it by hand (RFC 4648 base32, no padding)."""
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")
