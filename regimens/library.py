"""The protocol library as the guideline engine's data (guidelines.library): what ``evaluate`` receives.

Each regimen code gives one protocol version: the active one, else the latest (a draft the pharmacist is
completing, or a retired version). Only an active version — checked by a second pharmacist — gives the
engine doses and dose rules; any other gives its drugs alone, so the engine never quotes an unchecked dose.

Two sources, one conversion (``regimen_info``, through the schema of regimens/schema.py):

- ``from_files``: the shipped YAML under regimens/protocols/. Pure — YAML and pydantic, no database — so
  the engine's tests get the library without one.
- ``from_database``: the library the pharmacist keeps, the source of truth once loaded. One query per call:
  the versions with their drug names. An active or retired version cannot change (regimens/models.py: its
  row is frozen but for the status step, its lines and rules change only in a draft, and it cannot be
  deleted), so its doses and rules are read once per process, keyed on the version's id, code, number,
  status, edit counter and drugs; a draft is read afresh every time.
"""

from collections.abc import Iterable
from pathlib import Path

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
    return {p.code: regimen_info(p) for p in protocols if chosen[p.code] == (str(p.status), p.version)}


def read_file(path: Path) -> schema.Protocol:
    """One protocol file, validated (raises yaml.YAMLError or pydantic.ValidationError)."""
    return schema.Protocol.model_validate(yaml.safe_load(path.read_bytes()))


def from_files(directory: Path | str = PROTOCOL_DIR) -> Library:
    """The shipped library: every ``*.yaml`` in ``directory`` (default regimens/protocols)."""
    return from_protocols(read_file(path) for path in sorted(Path(directory).glob("*.yaml")))


# (pk, code, version, status, edit counter, drugs) of an active or retired version → what the engine reads.
_FROZEN: dict[tuple, RegimenInfo] = {}


def from_database() -> Library:
    """The library the pharmacist keeps (see the module docstring): one query, and on the first sight of an
    active version the few more that read its doses and rules."""
    from regimens.models import Protocol

    rows = Protocol.objects.values_list(
        "pk", "code", "status", "version", "lock_version", "drug_lines__drug", "drug_lines__phase_id",
        "drug_lines__phase__ordering", "drug_lines__ordering", "drug_lines__pk",
    )
    versions: dict[int, tuple] = {}
    lines: dict[int, list] = {}
    for pk, code, status, version, lock, drug, phase, phase_order, order, line_pk in rows:
        versions[pk] = (code, status, version, lock)
        if drug is not None:
            # a phase's lines before the cycles' (regimen_info's order), each in its stored order
            lines.setdefault(pk, []).append(((phase is None, phase_order or 0, phase or 0, order, line_pk), drug))
    chosen = _preferred((code, status, version) for code, status, version, _lock in versions.values())
    library, unread = {}, {}
    for pk, (code, status, version, lock) in versions.items():
        if chosen[code] != (status, version):
            continue
        drugs = tuple(drug for _key, drug in sorted(lines.get(pk, ())))
        if status == schema.Status.DRAFT:
            library[code] = RegimenInfo(code, status, tuple(DrugLineInfo(drug) for drug in drugs))
            continue
        key = (pk, code, version, status, lock, drugs)
        if key in _FROZEN:
            library[code] = _FROZEN[key]
        else:
            unread[pk] = key
    if unread:
        for protocol in Protocol.objects.filter(pk__in=unread).prefetch_related("phases", "drug_lines__rules"):
            library[protocol.code] = _FROZEN[unread[protocol.pk]] = regimen_info(protocol.to_schema())
    return library
