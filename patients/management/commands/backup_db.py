"""Back up the database while the app runs (patients/backup.py): SQLite via the
online backup API, PostgreSQL via pg_dump; the backup is verified before it is kept."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from patients import backup


class Command(BaseCommand):
    help = "Write a verified backup of the database to PATH (SQLite file or pg_dump custom-format archive)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, force, database, **options):
        try:
            lines = backup.backup(connections[database], path, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in lines:
            self.stdout.write(line)
