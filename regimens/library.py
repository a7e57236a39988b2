"""The protocol library as the guideline engine's data (guidelines.library): what ``evaluate`` receives.

Each regimen code gives one protocol version: the active one, else the latest (a draft the pharmacist is
completing, or a retired version). Only an active version — checked by a second pharmacist — gives the
engine doses and dose rules; any other gives its drugs alone, so the engine never quotes an unchecked dose.

Two sources, one conversion (``regimen_info``, through the schema of regimens/schema.py):

- ``from_files``: the shipped YAML under regimens/protocols/. Pure — YAML and pydantic, no database — so
  the engine's tests get the library without one.
- ``from_database``: the library the pharmacist keeps, the source of truth once loaded. Read once per
  change of it: every evaluate asks one cheap query whether the library changed since it was read (the
  latest history record of its tables). A version the schema refuses (its rows changed in the database
  itself) gives its drugs alone. Writes to the protocol tables outside the app (raw SQL, queryset updates
  that record no history) are not supported (docs/adr/0010-history-reading-and-library-data.md):
  restarting the app forgets what was read.
"""

from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType

import yaml

from guidelines.library import DrugLineInfo, Library, RegimenInfo, RuleInfo
from regimens import schema

PROTOCOL_DIR = Path(__file__).resolve().parent / "protocols"


def _rule(rule: schema.DoseRule) -> RuleInfo:
    return RuleInfo(
        kind=str(rule.kind), source_text=rule.source_text,
        comparison=None if rule.comparison is None else str(rule.comparison), threshold=rule.threshold,
        dose=rule.dose, omit=rule.omit, boundary_undefined=rule.boundary_undefined,
        boundary_interpretation=rule.boundary_interpretation, at_boundary=str(rule.at_boundary),
        min_hours_to_next_event=rule.min_hours_to_next_event,
    )


def regimen_info(proto: schema.Protocol) -> RegimenInfo:
    """One validated protocol as the engine reads it: phases' drug lines first, then the cycles'; doses and
    rules only for an active version."""
    lines = [*(line for phase in proto.phases for line in phase.drugs), *proto.drugs]
    if proto.status != schema.Status.ACTIVE:
        return RegimenInfo(proto.code, str(proto.status), tuple(DrugLineInfo(line.drug) for line in lines))
    return RegimenInfo(proto.code, str(proto.status), tuple(
        DrugLineInfo(drug=line.drug, dose=line.dose, basis=str(line.basis),
                     rules=tuple(_rule(rule) for rule in line.rules))
        for line in lines
    ))


def _preferred(versions: Iterable[tuple[str, str, int]]) -> dict[str, tuple[str, int]]:
    """Per code, the (status, version) the engine reads: the active version, else the latest."""
    chosen: dict[str, tuple[str, int]] = {}
    for code, status, version in versions:
        best = chosen.get(code)
        if best is None or (status == schema.Status.ACTIVE, version) > (best[0] == schema.Status.ACTIVE, best[1]):
            chosen[code] = (status, version)
    return chosen


def from_protocols(protocols: Iterable[schema.Protocol]) -> Library:
    """The library of the given protocol versions."""
    protocols = list(protocols)
    chosen = _preferred((p.code, str(p.status), p.version) for p in protocols)
    return MappingProxyType({p.code: regimen_info(p) for p in protocols
                             if chosen[p.code] == (str(p.status), p.version)})


def read_file(path: Path) -> schema.Protocol:
    """One protocol file, validated (raises yaml.YAMLError or pydantic.ValidationError)."""
    return schema.Protocol.model_validate(yaml.safe_load(path.read_bytes()))


def from_files(directory: Path | str = PROTOCOL_DIR) -> Library:
    """The shipped library: every ``*.yaml`` in ``directory`` (default regimens/protocols)."""
    return from_protocols(read_file(path) for path in sorted(Path(directory).glob("*.yaml")))


# Per database: the change token the library was read at, and the library.
_READ: dict[str, tuple[tuple, Library]] = {}
_TOKEN_SQL: dict[str, str] = {}


def _token(using: str) -> tuple:
    """The latest history record of protocols, phases, drug lines and dose rules: every change the app makes
    to the library (regimens/actions.py, the admin, the loader) saves or deletes a row and so adds one
    (django-simple-history). Ids only grow over committed changes, so a token never returns with other
    content. One cheap query (four index lookups)."""
    from django.db import connections

    from regimens.models import DoseRule, DrugLine, Phase, Protocol

    connection = connections[using]
    if using not in _TOKEN_SQL:
        quote = connection.ops.quote_name
        _TOKEN_SQL[using] = "SELECT " + ", ".join(
            f"(SELECT MAX({quote('history_id')}) FROM {quote(model.history.model._meta.db_table)})"
            for model in (Protocol, Phase, DrugLine, DoseRule))
    with connection.cursor() as cursor:
        cursor.execute(_TOKEN_SQL[using])
        return tuple(cursor.fetchone())


def _read_database(using: str) -> Library:
    from regimens.models import Protocol, ProtocolInvalid

    versions = list(Protocol.objects.using(using).values_list("pk", "code", "status", "version"))
    chosen = _preferred((code, status, version) for _pk, code, status, version in versions)
    pks = [pk for pk, code, status, version in versions if chosen[code] == (status, version)]
    library = {}
    for protocol in (Protocol.objects.using(using).filter(pk__in=pks)
                     .prefetch_related("phases", "drug_lines__rules")):
        try:
            library[protocol.code] = regimen_info(protocol.parsed())
        except ProtocolInvalid:
            # refused by the schema: rows changed in the database itself, or a draft half edited in the admin
            lines = sorted(protocol.drug_lines.all(), key=lambda line: line.phase_id is None)
            library[protocol.code] = RegimenInfo(protocol.code, protocol.status,
                                                 tuple(DrugLineInfo(line.drug) for line in lines))
    return MappingProxyType(library)


def from_database(using: str = "default") -> Library:
    """The library the pharmacist keeps (see the module docstring). Outside a transaction one query while the
    library is unchanged (the change token, ``_token``); after a change, and always inside a transaction
    (where a rolled-back change could hand its ids to another), it is read afresh: five queries."""
    from django.db import connections

    if connections[using].in_atomic_block:
        return _read_database(using)
    token = _token(using)
    read = _READ.get(using)
    if read is not None and read[0] == token:
        return read[1]
    library = _read_database(using)
    _READ[using] = (token, library)
    return library
