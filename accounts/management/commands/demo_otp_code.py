"""Print the current TOTP code of a user (demonstration installations).

The code is what the user's authenticator app shows now; it is valid for the
current 30-second step (and one step either side) and can be used once.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import current_code


class Command(BaseCommand):
    help = "Print the current two-factor (TOTP) code of USERNAME's confirmed device (demo installations)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"{username} has no confirmed two-factor device (run seed_demo_users).")
        self.stdout.write(current_code(device))
