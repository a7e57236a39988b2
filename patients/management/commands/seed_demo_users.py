"""Create (or reset) one demo user per role and print the credentials.

For demonstration and training installations only: the passwords are printed
in clear text. A real installation creates its users in the admin.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from patients import roles

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
            rows.append((role, username, password))
        self.stdout.write("Demo users (demonstration only):")
        for role, username, password in rows:
            self.stdout.write(f"  {role:<11} {username:<11} {password}")
