"""Create an administrator (the first one of a real installation): ``manage.py create_admin USERNAME``.

The password is typed twice at the prompt (or, with ``--noinput``, read from the environment
variable ``DJANGO_SUPERUSER_PASSWORD``, as Django's createsuperuser reads it) and must pass the
password validators. The user gets the admin role (accounts/roles.py) and is a superuser (the
admin's user and two-factor device pages need it). No second factor is set up here: at the first
login the admin site sends the administrator to set up their own authenticator. An existing
username is refused: this command never changes an account.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import roles


class Command(BaseCommand):
    help = "Create an administrator (admin role, superuser) with a password typed at the prompt."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="read the password from DJANGO_SUPERUSER_PASSWORD instead of prompting")

    def handle(self, *args, username, first_name, last_name, email, interactive, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user {username!r} exists already: nothing changed. Its owner changes its password "
                               "(or an administrator, in the admin).")
        user = User(username=username, first_name=first_name, last_name=last_name, email=email,
                    is_staff=True, is_superuser=True, is_active=True)
        password = self._password(interactive)
        try:
            user.full_clean(exclude=["password"])
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=roles.ADMIN)])
        self.stdout.write(
            f"Created the administrator {username} (role {roles.ADMIN}). Log in at /login/; the admin then asks "
            "you to set up two-factor authentication with an authenticator app.")

    def _password(self, interactive):
        if not interactive:
            password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
            if not password:
                raise CommandError("--noinput reads the password from DJANGO_SUPERUSER_PASSWORD, which is not set.")
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ: nothing created.")
        return password
