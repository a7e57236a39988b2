"""Back up the database while the app runs (patients/backup.py): SQLite via the
online backup API, PostgreSQL via pg_dump; the backup is verified before it is kept."""

from patients import backup


class Command(backup.BackupCommand):
    help = "Write a verified backup of the database to PATH (SQLite file or pg_dump custom-format archive)."
    force_help = "overwrite PATH if it exists"

    def run(self, connection, path, *, force):
        return backup.backup(connection, path, force=force)
