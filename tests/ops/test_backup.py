"""backup_db / restore_db: a round trip keeps every row of every table (patients,
labs, treatment lines, history, the regimen library; treatment plans too where
the model exists), a non-empty database is protected, bad files are refused.

Runs on the database of the test run: SQLite always, PostgreSQL when
DATABASE_URL says so (CI's second run, scripts/with_postgres.sh). The tests use
``transactional_db``: a backup made by pg_dump sees committed rows only."""

import datetime
import io

import environ
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from patients import actions, backup, identity
from patients.models import LabResult, Patient, TreatmentLine
from regimens.models import Protocol

pytestmark = pytest.mark.django_db(transaction=True)

PATIENT_ID = identity.make(datetime.date(1955, 4, 9), 412, synthetic=True)


def _snapshot():
    """Every row of every table Django manages, by model, in primary-key order."""
    rows = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            fields = [f.attname for f in model._meta.concrete_fields if f.attname != "data_token"]
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*fields))
    return rows  # Patient.data_token is renewed by the restore (tests/patients/test_overview_cache.py)


@pytest.fixture
def records(physician):
    patient = actions.register_patient(by=physician, name="Backup Testesen", national_id=PATIENT_ID)
    day = datetime.date(2024, 1, 10)
    for offset, value in enumerate(("31.5", "28", "12.25")):
        actions.record_lab_result(
            by=physician, patient=patient, date=day + datetime.timedelta(days=30 * offset),
            analyte="m_protein", value=value, isotype="IgG",
        )
    actions.record_lab_result(by=physician, patient=patient, date=day, analyte="creatinine", value="88")
    actions.record_height_weight(by=physician, patient=patient, date=day, height_cm="172.5", weight_kg="70")
    line = actions.record_treatment_line(
        by=physician, patient=patient, line=1, regimen="VRd-induction",
        drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=day,
    )
    actions.update_treatment_line(by=physician, treatment_line=line, reason="Best response known", best_response="VGPR")
    return patient


@pytest.fixture
def verified_plan(records, physician):
    """An issued and verified treatment plan, where the app has treatment plans
    (built in parallel with this test: without them, None)."""
    from benchmarks.run import _verified_plan

    return _verified_plan(physician, records)


def _run(command, *args, **options):
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.hazard("HAZ-018")  # a restore renews the overview cache tokens
def test_backup_and_restore_round_trip_keeps_every_row(records, verified_plan, tmp_path, physician):
    assert Protocol.objects.exists(), "the regimen library is loaded at migrate"
    if verified_plan is not None:
        assert verified_plan.status == "verified" and verified_plan.snapshot["schedule"]["administrations"]
    assert Patient.history.count() and TreatmentLine.history.count() == 2
    before = _snapshot()
    path = tmp_path / "myelopath.backup"
    tokens_at_backup = set(Patient.objects.values_list("data_token", flat=True))

    printed = _run("backup_db", str(path))

    assert path.is_file() and not (tmp_path / "myelopath.backup.partial").exists()
    if connection.vendor == "sqlite":
        assert "PRAGMA integrity_check = ok" in printed
    else:
        assert "pg_restore --list reads" in printed
    # Work goes on after the backup; the restore returns to the backed-up state.
    actions.record_lab_result(by=physician, patient=records, date=datetime.date(2025, 1, 1),
                              analyte="m_protein", value="5")
    Protocol.objects.filter(pk=Protocol.objects.order_by("pk").first().pk).update(name="edited after backup")
    assert _snapshot() != before

    printed = _run("restore_db", str(path), force=True)

    assert _snapshot() == before
    assert set(Patient.objects.values_list("data_token", flat=True)).isdisjoint(tokens_at_backup)
    assert "Renewed the overview cache key of 1 patients." in printed
    assert "Replaced existing contents (--force)" in printed
    assert "1 patients, 4 lab results, 1 treatment lines" in printed
    if verified_plan is not None:
        assert "1 treatment plans" in printed
        assert type(verified_plan).objects.get().snapshot == verified_plan.snapshot
    assert LabResult.objects.filter(value="12.250").exists()  # Decimal survives exactly


def test_restore_refuses_a_non_empty_database_without_force(records, tmp_path, physician):
    path = tmp_path / "b"
    _run("backup_db", str(path))
    actions.record_lab_result(by=physician, patient=records, date=datetime.date(2025, 1, 1),
                              analyte="m_protein", value="5")
    after = _snapshot()

    with pytest.raises(CommandError, match="not empty .*patients.Patient.*--force"):
        _run("restore_db", str(path))

    assert _snapshot() == after


def test_restore_into_an_emptied_database_needs_no_force(records, tmp_path):
    before = _snapshot()
    path = tmp_path / "b"
    _run("backup_db", str(path))
    call_command("flush", interactive=False, verbosity=0)  # a new, migrated, empty database
    assert not Patient.objects.exists()
    assert backup.holdings(connection) == {}

    printed = _run("restore_db", str(path))

    assert "Replaced existing contents" not in printed
    assert _snapshot() == before


def test_backup_does_not_overwrite_a_file_without_force(records, tmp_path):
    path = tmp_path / "b"
    path.write_text("an older file")
    with pytest.raises(CommandError, match="exists; give --force"):
        _run("backup_db", str(path))
    assert path.read_text() == "an older file"
    _run("backup_db", str(path), force=True)
    assert backup.backup_kind(path) == connection.vendor


def test_backup_into_a_missing_directory_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        _run("backup_db", str(tmp_path / "no" / "such" / "b"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, not a backup", "neither an SQLite database nor a pg_dump"),
        (b"", "neither an SQLite database nor a pg_dump"),
    ],
    ids=["text file", "empty file"],
)
def test_restore_refuses_a_file_that_is_no_backup(records, tmp_path, content, message):
    path = tmp_path / "b"
    path.write_bytes(content)
    before = _snapshot()
    with pytest.raises(CommandError, match=message):
        _run("restore_db", str(path), force=True)
    assert _snapshot() == before


def test_restore_refuses_a_backup_of_the_other_backend(records, tmp_path):
    other = b"PGDMP\x01\x0f" if connection.vendor == "sqlite" else backup.SQLITE_MAGIC + b"\x00" * 100
    path = tmp_path / "b"
    path.write_bytes(other)
    with pytest.raises(CommandError, match=f"this database is {connection.vendor}"):
        _run("restore_db", str(path), force=True)


def test_restore_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        _run("restore_db", str(tmp_path / "missing"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite file format")
def test_restore_refuses_a_damaged_sqlite_backup(records, tmp_path):
    path = tmp_path / "b"
    _run("backup_db", str(path))
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # overwrite the schema page after the header
    path.write_bytes(bytes(data))
    before = _snapshot()
    with pytest.raises(CommandError, match="not a readable SQLite database|integrity check"):
        _run("restore_db", str(path), force=True)
    assert _snapshot() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_restore reads pg_dump archives")
def test_restore_refuses_a_truncated_pg_dump(records, tmp_path):
    path = tmp_path / "b"
    _run("backup_db", str(path))
    path.write_bytes(path.read_bytes()[:200])
    before = _snapshot()
    with pytest.raises(CommandError, match="pg_restore failed"):
        _run("restore_db", str(path), force=True)
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://myelopath@/myelopath?host=/tmp/pg-sock",
         {"PGHOST": "/tmp/pg-sock", "PGUSER": "myelopath", "PGDATABASE": "myelopath"}),
        ("postgres://ward:s3cret@db.example:5433/myelopath?sslmode=require",
         {"PGHOST": "db.example", "PGPORT": "5433", "PGUSER": "ward", "PGPASSWORD": "s3cret",
          "PGDATABASE": "myelopath", "PGSSLMODE": "require"}),
    ],
    ids=["unix socket (scripts/with_postgres.sh)", "tcp with password and sslmode"],
)
def test_pg_client_environment_follows_database_url(url, expected, monkeypatch):
    monkeypatch.setenv("PGHOST", "elsewhere")  # an inherited PG* variable must not leak in
    env = backup.pg_environment(environ.Env.db_url_config(url))
    assert {k: v for k, v in env.items() if k.startswith("PG")} == expected
