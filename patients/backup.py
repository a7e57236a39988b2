"""Backups of the database while the app runs, and their restore
(``manage.py backup_db PATH``, ``manage.py restore_db PATH``).

- SQLite: the online backup API of sqlite3 copies the live database page by
  page under a read lock, so the copy is consistent even while gunicorn
  workers write; the copy is checked with ``PRAGMA integrity_check``. A
  restore copies the backup into the live database the same way.
- PostgreSQL: ``pg_dump --format=custom`` (one snapshot, consistent while the
  app runs), checked with ``pg_restore --list``; a restore runs ``pg_restore
  --clean --if-exists --single-transaction``, so it applies whole or not at all.
  The connection parameters come from the settings (``DATABASE_URL``), including
  the Unix-socket form ``postgres://user@/db?host=/path``; they are passed to the
  client programs in ``PG*`` environment variables, never on the command line.

A backup is written beside its destination as ``<PATH>.partial`` and renamed
only after it has been verified, so a failed backup never leaves a file that
looks like a good one. A restore refuses a database that already holds user
accounts or patient records unless forced: restoring replaces them.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"

# libpq parameters that may appear in DATABASES OPTIONS, and their environment variable.
_LIBPQ_OPTIONS = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


# --- what the database holds ------------------------------------------------------


def _counted_models():
    """Models whose rows make a database "non-empty" for a restore: user accounts
    and every patient table (records, plans, tokens and their history)."""
    return [get_user_model(), *apps.get_app_config("accounts").get_models(),
            *apps.get_app_config("patients").get_models()]


def holdings(connection):
    """{table label: row count} of user accounts and patient tables with rows."""
    tables = set(connection.introspection.table_names())
    counts = {}
    for model in _counted_models():
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table not in tables:
            continue
        count = model._default_manager.using(connection.alias).count()
        if count:
            counts[meta.label] = count
    return counts


def summary(connection):
    """One line of row counts of the tables that matter, for what the commands print."""
    tables = set(connection.introspection.table_names())
    wanted = [
        ("patients", "patients.Patient"),
        ("lab results", "patients.LabResult"),
        ("treatment lines", "patients.TreatmentLine"),
        ("treatment plans", "patients.TreatmentPlan"),
        ("regimen protocols", "regimens.Protocol"),
        ("users", "auth.User"),
    ]
    parts = []
    for label, model_label in wanted:
        try:
            model = apps.get_model(model_label)
        except LookupError:
            continue  # e.g. treatment plans on a branch without them
        if model._meta.db_table in tables:
            parts.append(f"{model._default_manager.using(connection.alias).count()} {label}")
    history = 0
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and model._meta.db_table in tables:
            history += model._default_manager.using(connection.alias).count()
    parts.append(f"{history} history records")
    return ", ".join(parts)


def _size(path):
    size = Path(path).stat().st_size
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""  # pragma: no cover


def _vendor_check(connection):
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup method for the {connection.vendor} backend")


def _database_label(connection):
    name = connection.settings_dict["NAME"]
    return f"{connection.vendor} database {name}"


# --- backup ---------------------------------------------------------------------------


def backup(connection, path, *, force=False):
    """Write a verified backup of ``connection``'s database to ``path``; return
    the lines that say what was done."""
    _vendor_check(connection)
    path = Path(path).resolve()
    if path.exists() and not force:
        raise BackupError(f"{path} exists; give --force to overwrite it")
    if not path.parent.is_dir():
        raise BackupError(f"directory {path.parent} does not exist")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "sqlite":
            lines = _sqlite_backup(connection, partial)
        else:
            lines = _pg_backup(connection, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return [f"Backed up the {_database_label(connection)} to {path} ({_size(path)}).", *lines]


def _sqlite_backup(connection, target_path):
    connection.ensure_connection()
    target = sqlite3.connect(target_path)
    try:
        connection.connection.backup(target)  # all pages in one step: one consistent read
        # The copy inherits the live database's WAL mode; a backup is one self-contained file.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    check, tables = _sqlite_verify(target_path)
    return [
        "Method: sqlite3 online backup API (consistent while the app runs).",
        f"Verified: PRAGMA integrity_check = {check}; {tables} tables.",
    ]


def _sqlite_verify(path):
    """(integrity_check result, number of tables) of an SQLite file; raises if not ok."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute("PRAGMA integrity_check").fetchall()
            tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from exc
    result = "; ".join(str(row[0]) for row in rows)
    if result != "ok":
        raise BackupError(f"integrity check of {path} failed: {result}")
    if not tables:
        raise BackupError(f"{path} holds no tables")
    return result, tables


def pg_program(name):
    """The newest installed PostgreSQL client program ``name`` (Debian keeps them
    under /usr/lib/postgresql/<version>/bin; /usr/bin has a version-picking wrapper)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parent.parent.name.split(".")],
    )
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client (Debian package postgresql-client)")
    return found


def pg_environment(settings_dict):
    """Environment for pg_dump/pg_restore connecting as Django does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    options = settings_dict.get("OPTIONS") or {}
    for key, var in _LIBPQ_OPTIONS.items():
        if options.get(key) not in (None, ""):
            env[var] = str(options[key])
    if settings_dict.get("HOST"):
        env["PGHOST"] = str(settings_dict["HOST"])
    if settings_dict.get("PORT"):
        env["PGPORT"] = str(settings_dict["PORT"])
    if settings_dict.get("USER"):
        env["PGUSER"] = str(settings_dict["USER"])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def _run(args, env):
    completed = subprocess.run(args, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed ({completed.returncode}): {completed.stderr.strip()}")
    return completed.stdout


def _pg_backup(connection, target_path):
    env = pg_environment(connection.settings_dict)
    _run([pg_program("pg_dump"), "--format=custom", "--no-password", f"--file={target_path}"], env)
    tables, data = _pg_verify(target_path)
    return [
        "Method: pg_dump --format=custom (one snapshot, consistent while the app runs).",
        f"Verified: pg_restore --list reads {tables} tables and {data} table data entries.",
    ]


def _pg_verify(path):
    listing = _run([pg_program("pg_restore"), "--list", str(path)], dict(os.environ))
    entries = [line.split() for line in listing.splitlines() if line and not line.startswith(";")]
    tables = sum(1 for e in entries if len(e) > 4 and e[3:5] == ["TABLE", "public"])
    data = sum(1 for e in entries if len(e) > 4 and e[3:5] == ["TABLE", "DATA"])
    if not tables:
        raise BackupError(f"{path}: pg_restore --list found no tables")
    return tables, data


# --- restore --------------------------------------------------------------------------


def backup_kind(path):
    """"sqlite" or "postgresql" from the file's first bytes; raises for anything else."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither an SQLite database nor a pg_dump custom-format archive")


def restore(connection, path, *, force=False):
    """Replace ``connection``'s database with the backup at ``path``; return the
    lines that say what was done. Refuses a non-empty database unless ``force``."""
    _vendor_check(connection)
    path = Path(path).resolve()
    kind = backup_kind(path)
    if kind != connection.vendor:
        raise BackupError(f"{path} is a {kind} backup; this database is {connection.vendor}")
    if connection.in_atomic_block:
        raise BackupError("a restore cannot run inside a transaction")
    held = holdings(connection)
    lines = []
    if held:
        described = ", ".join(f"{n} {label}" for label, n in sorted(held.items()))
        if not force:
            raise BackupError(
                f"the {_database_label(connection)} is not empty ({described}); "
                "give --force to replace its contents with the backup"
            )
        lines.append(f"Replaced existing contents (--force): {described}.")
    if kind == "sqlite":
        lines.insert(0, _sqlite_restore(connection, path))
    else:
        lines.insert(0, _pg_restore(connection, path))
    lines.insert(0, f"Restored {path} ({_size(path)}) into the {_database_label(connection)}.")
    from patients.freshness import renew_all  # the restored tokens are old ones (docs/adr/0005)

    lines.append(f"Renewed the overview cache key of {renew_all()} patients.")
    lines.append(f"Now holds: {summary(connection)}.")
    return lines


def _sqlite_restore(connection, path):
    _sqlite_verify(path)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()  # the schema may have changed under the connection
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        check = "; ".join(str(row[0]) for row in cursor.fetchall())
    if check != "ok":
        raise BackupError(f"integrity check after the restore failed: {check}")
    return f"Method: sqlite3 backup API into the live database; PRAGMA integrity_check = {check}."


def _pg_restore(connection, path):
    _pg_verify(path)
    connection.close()  # hold no lock while pg_restore drops and recreates tables
    env = pg_environment(connection.settings_dict)
    _run(
        [
            pg_program("pg_restore"), "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
            "--no-owner", "--no-privileges", "--no-password", f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
        env,
    )
    return "Method: pg_restore --clean --if-exists --single-transaction (all or nothing)."


class BackupCommand(BaseCommand):
    """``backup_db`` and ``restore_db``: PATH, --force (``force_help``), --database; ``run`` is
    ``backup`` or ``restore``; its lines are printed, its BackupError is the command's error."""

    force_help = ""

    def run(self, connection, path, *, force):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--force", action="store_true", help=self.force_help)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, force, database, **options):
        try:
            lines = self.run(connections[database], path, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in lines:
            self.stdout.write(line)
