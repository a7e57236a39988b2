"""Create (or reset) one demo user per role and print the credentials.

For demonstration and training installations only: the passwords are printed
in clear text. A real installation creates its users in the admin.

Every demo user also gets a confirmed TOTP device (two-factor authentication)
with a fixed demo secret, so the login asks for a code: add the printed secret
to an authenticator app, or run ``manage.py demo_otp_code USERNAME``.
"""

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.second_factor import base32_secret
from patients import roles

DEMO_DEVICE_NAME = "demo"


def demo_totp_key(username):
    """The fixed demo secret of a demo user: 20 bytes, hex (public, demonstration only)."""
    return hashlib.sha1(f"myelopath-demo-totp-{username}".encode()).hexdigest()

DEMO_USERS = [
    # username, first name, last name, role, password
    ("lege", "Lise", "Lege", roles.PHYSICIAN, "Myelo-lege-2026"),
    ("lege2", "Lars", "Lege", roles.PHYSICIAN, "Myelo-lege2-2026"),
    ("sykepleier", "Siri", "Sykepleier", roles.NURSE, "Myelo-sykepleier-2026"),
    ("farmasoyt", "Frode", "Farmasøyt", roles.PHARMACIST, "Myelo-farmasoyt-2026"),
    ("admin", "Anne", "Admin", roles.ADMIN, "Myelo-admin-2026"),
]


class Command(BaseCommand):
    help = "Create or reset the demo users (physician, nurse, pharmacist, admin) and print their credentials."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        rows = []
        for username, first, last, role, password in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.is_staff = role in roles.STAFF_ROLES
            user.is_superuser = role == roles.ADMIN
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            TOTPDevice.objects.filter(user=user).exclude(name=DEMO_DEVICE_NAME).delete()
            device, _ = TOTPDevice.objects.update_or_create(
                user=user, name=DEMO_DEVICE_NAME,
                defaults={"key": demo_totp_key(username), "confirmed": True, "last_t": -1, "drift": 0},
            )
            rows.append((role, username, password, base32_secret(device)))
        self.stdout.write("Demo users (demonstration only): role, username, password, TOTP secret")
        for role, username, password, secret in rows:
            self.stdout.write(f"  {role:<11} {username:<11} {password:<22} {secret}")
        self.stdout.write(
            "Two-factor is on for every demo user: the login asks for the code of an authenticator app "
            "holding the secret above, or run: python manage.py demo_otp_code USERNAME"
        )
