"""Create one demo user per role and print the credentials (demonstration installations).

The passwords and two-factor secrets are public (they are in this file), so:
- demo users go only into a database that has no users yet: the first `make run` on a
  fresh machine creates them; every later run leaves every account as it is (a changed
  password or authenticator stays changed) and prints the credentials only of the demo
  users whose password is still the demo one;
- ``--reset`` is the explicit switch that creates them anyway and sets their demo passwords
  and secrets again (a training installation starting over);
- never on a production configuration (``production_reasons``): the command refuses.
A real installation creates its first administrator with ``manage.py create_admin``.

Every demo user gets a confirmed TOTP device (two-factor authentication) with a fixed demo
secret, so the login asks for a code: add the printed secret to an authenticator app, or
run ``manage.py demo_otp_code USERNAME``.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from accounts.second_factor import base32_secret

DEMO_DEVICE_NAME = "demo"
# Host names only this machine answers to ("testserver": Django's test client).
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}


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


def production_reasons():
    """Why the settings are a production configuration; empty for a demo installation.

    A demo installation is what `make run` sets up on a fresh machine: served on this machine
    only (``ALLOWED_HOSTS`` holds loopback names only) and without TLS. Every real deployment
    runs behind TLS with ``HTTPS=1`` (README, Security), and a host name in ``ALLOWED_HOSTS``
    that other machines reach means other people could log in with the public passwords."""
    reasons = []
    if settings.HTTPS:
        reasons.append("HTTPS=1")
    public = [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]
    if public:
        reasons.append(f"ALLOWED_HOSTS names {', '.join(public)}")
    return reasons


def _row(role, username, password, secret):
    return f"  {role:<11} {username:<11} {password:<22} {secret}"


class Command(BaseCommand):
    help = ("Create the demo users (physician, nurse, pharmacist, admin) into a database without users and "
            "print their credentials; --reset sets their demo passwords again. Never on a production configuration.")

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="create the demo users even if the database has users, and set their demo "
                                 "passwords and two-factor secrets again")

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        reasons = production_reasons()
        if reasons:
            raise CommandError(
                f"Refused: this is a production configuration ({'; '.join(reasons)}), and demo users have public "
                "passwords. Create the first administrator with: python manage.py create_admin USERNAME")
        User = get_user_model()
        if reset or not User.objects.exists():
            self._create_or_reset()
        else:
            self._report(User)

    def _create_or_reset(self):
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
            rows.append(_row(role, username, password, base32_secret(device)))
        self.stdout.write("Demo users (demonstration only): role, username, password, TOTP secret")
        for row in rows:
            self.stdout.write(row)
        self.stdout.write(
            "Two-factor is on for every demo user: the login asks for the code of an authenticator app "
            "holding the secret above, or run: python manage.py demo_otp_code USERNAME"
        )

    def _report(self, User):
        """The database has users: change nothing, show what is left of the demo users."""
        existing = {user.username: user for user in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])}
        if not existing:
            self.stdout.write(
                f"The database has {User.objects.count()} user(s) and no demo users: none created (demo users go "
                "only into a database without users; seed_demo_users --reset creates them anyway).")
            return
        self.stdout.write("Demo users (demonstration only; accounts kept as they are): role, username, password, "
                          "TOTP secret")
        for username, _first, _last, role, password in DEMO_USERS:
            user = existing.get(username)
            if user is None:
                self.stdout.write(f"  {role:<11} {username:<11} (no such user)")
            elif not check_password(password, user.password):  # no setter: checking never rewrites the hash
                self.stdout.write(f"  {role:<11} {username:<11} (password changed: not shown)")
            else:
                device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME, confirmed=True,
                                                   key=demo_totp_key(username)).first()
                self.stdout.write(_row(role, username, password,
                                       base32_secret(device) if device else "(own authenticator)"))
        self.stdout.write("Changed passwords and authenticators stay as they are; "
                          "python manage.py demo_otp_code USERNAME prints a demo user's current code.")
