"""`make run`'s demo step (the Makefile's ``setup``): on a demo installation the demo users
(created only into a database without users, see seed_demo_users), the fictional demo patients
and their plans, then the demo users' credentials, printed last so they stand above the
server's first line. On a production configuration it creates nothing and says how a real
installation gets its first administrator (README, «A real installation»)."""

import io

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.management.commands.seed_demo_users import production_reasons


class Command(BaseCommand):
    help = "On a demo installation: demo users (into a database without users), demo patients, credentials."

    def handle(self, *args, **options):
        reasons = production_reasons()
        if reasons:
            self.stdout.write(
                f"Production configuration ({'; '.join(reasons)}): no demo users or patients. Create the first "
                "administrator with: python manage.py create_admin USERNAME")
            return
        users = io.StringIO()
        call_command("seed_demo_users", stdout=users)
        call_command("seed_demo_patients", stdout=self.stdout)
        self.stdout.write(users.getvalue().rstrip("\n"))
