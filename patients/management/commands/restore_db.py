"""Restore a backup written by ``backup_db`` (patients/backup.py). Refuses a
database holding user accounts or patient records unless --force is given."""

from patients import backup


class Command(backup.BackupCommand):
    help = "Replace the database's contents with the backup at PATH (from backup_db)."
    force_help = "restore even though the database holds user accounts or patient records (they are replaced)"

    def run(self, connection, path, *, force):
        return backup.restore(connection, path, force=force)
