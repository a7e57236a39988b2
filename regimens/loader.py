"""Load the protocol library (regimens/protocols/*.yaml) into the database.

Runs after every ``migrate`` (regimens/apps.py) and as ``manage.py
load_protocols``, so every database holds the library. Idempotent, and the
database wins once a protocol has been edited:

- a code not in the database is created as the YAML says;
- the same version with the same file hash: nothing to do;
- a YAML with a higher version than the database's latest version becomes a
  new version, but only when that latest version is unedited (loaded from YAML,
  not changed in the admin); an active new version retires the active one;
- anything else (edited in the admin, superseded by a newer version, the file
  changed without a new version number) is left alone and reported.

An invalid YAML file is an error naming the file: the library is never loaded
half-silently.

This is the one path that makes a version active without a second pharmacist's
check in the app (regimens/actions.py): the shipped library, reviewed as files in
the repository. A loaded version is attributed to its file: ``authored_by`` and
``checked_by`` as the file gives them, ``activated_by`` empty (the system), and the
history reason "loaded from <file>". Every later change is a draft in the admin.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from pydantic import ValidationError

from regimens import schema
from regimens.actions import create_protocol
from regimens.models import Protocol

PROTOCOL_DIR = Path(__file__).resolve().parent / "protocols"


class ProtocolFileError(Exception):
    """A protocol file that is not valid YAML or does not follow regimens/schema.py."""


@dataclass(frozen=True)
class LoadResult:
    path: str
    code: str
    version: int
    action: str  # created | new_version | unchanged | skipped
    detail: str = ""

    def __str__(self):
        text = f"{self.code} v{self.version}: {self.action}"
        return f"{text} ({self.detail})" if self.detail else text


def read_protocol_file(path: Path) -> tuple[schema.Protocol, str]:
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
        proto = schema.Protocol.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise ProtocolFileError(f"{path.name}: {exc}") from exc
    return proto, hashlib.sha256(raw).hexdigest()


def _load_one(path: Path) -> LoadResult:
    proto, digest = read_protocol_file(path)

    def result(action, detail=""):
        return LoadResult(path.name, proto.code, proto.version, action, detail)

    existing = Protocol.objects.filter(code=proto.code).order_by("-version")
    latest = existing.first()
    if latest is None:
        create_protocol(proto=proto, seed_hash=digest, reason=f"loaded from {path.name}")
        return result("created")
    same = existing.filter(version=proto.version).first()
    if same is not None:
        if same.seed_hash == digest:
            return result("unchanged")
        why = "edited in the admin" if same.edited else "the file changed without a new version number"
        return result("skipped", f"version {proto.version} is in the database, {why}; not overwritten")
    if proto.version < latest.version:
        return result("skipped", f"superseded by version {latest.version} in the database")
    if latest.edited:
        return result("skipped", f"the latest version {latest.version} was edited in the admin; not overwritten")
    if proto.status == schema.Status.ACTIVE:
        for active in existing.active():
            active.status = Protocol.Status.RETIRED
            active._change_reason = f"retired: version {proto.version} loaded from {path.name}"
            active.save()
    create_protocol(proto=proto, seed_hash=digest, reason=f"loaded from {path.name}")
    return result("new_version", f"after version {latest.version}")


def load_protocols(directory: Path | str | None = None) -> list[LoadResult]:
    """Load every ``*.yaml`` in ``directory`` (default regimens/protocols); one transaction."""
    directory = Path(directory) if directory is not None else PROTOCOL_DIR
    if not directory.is_dir():
        return []
    with transaction.atomic():
        return [_load_one(path) for path in sorted(directory.glob("*.yaml"))]


def load_after_migrate(sender=None, **kwargs):
    """post_migrate hook: load the library into the database just migrated."""
    if sender is None or sender.name != "regimens":
        return
    from django.db import connections

    using = kwargs.get("using", "default")
    if Protocol._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated backwards past the regimens tables
    results = load_protocols()
    verbosity = kwargs.get("verbosity", 1)
    if verbosity >= 2:  # pragma: no cover - console output only
        for item in results:
            print(f"  regimens: {item}")
