"""SQLite as a ward's database (docs/adr/0009-sqlite-for-a-ward.md): the connection settings
the app opens an SQLite file with, and backups of a database in WAL mode.

Connections are opened on a file in the test's scratch directory with the settings'
``SQLITE_OPTIONS`` (the suite's own test database is in memory, where WAL does not apply), so
these run on either backend of the suite. That the app's SQLite database gets those options is
checked on the SQLite run; that they hold eight writers on two gunicorn processes, by
tests/concurrency/test_two_app_processes.py."""

import sqlite3

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import ConnectionHandler

from patients import backup


@pytest.fixture
def ward_db(tmp_path, django_db_blocker, monkeypatch):
    """A Django connection to an SQLite file opened as the app opens its database; within the test,
    ``transaction.atomic`` works on it."""
    handler = ConnectionHandler({"default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "ward.sqlite3"),
        "OPTIONS": settings.SQLITE_OPTIONS,
    }})
    monkeypatch.setattr(transaction, "connections", handler)
    with django_db_blocker.unblock():
        ward = handler["default"]
        with ward.cursor() as cursor:
            cursor.execute("CREATE TABLE lab (value INTEGER)")
            cursor.execute("INSERT INTO lab VALUES (88)")
        yield ward
        ward.close()


def _pragma(ward, name):
    with ward.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the app's database is PostgreSQL in this run")
def test_the_apps_sqlite_database_gets_the_ward_options():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert {key: options[key] for key in settings.SQLITE_OPTIONS} == settings.SQLITE_OPTIONS


@pytest.mark.hazard("HAZ-035")
def test_wal_journal_full_sync_and_a_20_second_busy_timeout(ward_db):
    assert _pragma(ward_db, "journal_mode") == "wal"  # readers and the writer do not block each other
    assert _pragma(ward_db, "synchronous") == 2  # FULL: a commit is on disk before it is reported
    assert _pragma(ward_db, "busy_timeout") == 20_000  # milliseconds a writer waits for the lock


@pytest.mark.hazard("HAZ-035")
def test_a_transaction_holds_the_write_lock_from_its_first_statement(ward_db, tmp_path):
    """BEGIN IMMEDIATE: a transaction that has only read already holds the write lock, so a second
    writer waits (busy timeout) instead of both reading and one failing at its first write."""
    other = sqlite3.connect(tmp_path / "ward.sqlite3", timeout=0, isolation_level=None)
    try:
        with transaction.atomic(using=ward_db.alias), ward_db.cursor() as cursor:
            cursor.execute("SELECT value FROM lab")
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
            assert other.execute("SELECT value FROM lab").fetchall() == [(88,)]  # WAL: reads go on
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.hazard("HAZ-035")
def test_backup_of_a_wal_database_is_one_self_contained_file(ward_db, tmp_path):
    target = tmp_path / "backups" / "ward.backup"
    target.parent.mkdir()
    lines = backup.backup(ward_db, target)
    assert "PRAGMA integrity_check = ok" in " ".join(lines)
    assert sorted(p.name for p in target.parent.iterdir()) == ["ward.backup"]  # no -wal, -shm, .partial
    assert target.read_bytes()[18:20] == b"\x01\x01"  # file format: rollback journal, not WAL
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT value FROM lab").fetchall() == [(88,)]
