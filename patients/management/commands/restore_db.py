"""Restore a backup written by ``backup_db`` (patients/backup.py). Refuses a
database holding user accounts or patient records unless --force is given."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from patients import backup


class Command(BaseCommand):
    help = "Replace the database's contents with the backup at PATH (from backup_db)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--force", action="store_true",
            help="restore even though the database holds user accounts or patient records (they are replaced)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, force, database, **options):
        try:
            lines = backup.restore(connections[database], path, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in lines:
            self.stdout.write(line)
