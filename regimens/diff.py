"""What changed between two versions of a protocol: per drug, field, old → new.

One function (``protocol_changes``) serves the activation page (the draft against the
version it replaces, what the second pharmacist checks) and a version's history (the
draft against its predecessor), so the checker and the history show the same list
(issue 10, items 2 and 3). Pure functions over ``Protocol.to_schema_data()`` dicts (the
YAML format, or ``schema.Protocol.model_dump()``); the admin labels the fields and formats the values.

Drug lines are matched by phase, drug and, for a drug given more than once in the same
place, its order there; rules by their order on the line. Everything that reaches a dose
is compared: dose, basis, route, schedule (in the admin's notation), rounding, maximum
single dose, interval, times per day, every rule field, cycles and cycle length, phases
and their events, premedication and supportive care. The version number, status and
``checked_by`` differ between any two versions by nature and are left out.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from regimens import schema
from regimens.formatting import ENGINE, format_dose
from regimens.notation import format_schedule

PROTOCOL_FIELDS = ("name", "setting", "line", "cycle_length_days", "cycles", "until_progression",
                   "premedication", "supportive_care", "reimbursement", "source_document", "source_section",
                   "source_table", "authored_by", "review_date", "ambiguities", "precycle_criteria", "dose_levels")
PHASE_FIELDS = ("start_day", "cycle_1_day_1", "events", "note")
LINE_FIELDS = ("atc", "route", "dose", "basis", "schedule", "times_per_day", "rounding_step",
               "rounding_max_deviation_pct", "max_single_dose_mg", "min_interval_hours", "note")
RULE_FIELDS = ("kind", "comparison", "threshold", "dose", "omit", "source_text", "boundary_undefined",
               "boundary_interpretation", "at_boundary", "min_hours_to_next_event")


@dataclass(frozen=True)
class Change:
    """One difference. ``section`` is protocol | phase | drug | rule; ``where`` names the phase or the
    drug (``drug (phase)`` for a phase drug); ``rule`` is the rule's number on its line (1-based);
    ``field`` a field name of the matching model (regimens/models/), or ``"added"`` / ``"removed"``
    for a whole phase, drug line or rule (then ``old`` / ``new`` summarise it)."""

    section: str
    where: str
    field: str
    old: object
    new: object
    rule: int | None = None


def _value(value):
    if isinstance(value, (list, tuple)):
        return tuple(_value(v) for v in value)
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value


def _schedule(blocks) -> str:
    return format_schedule([b if isinstance(b, schema.DayBlock) else schema.DayBlock.model_validate(b)
                            for b in blocks or ()])


def _number(value):
    """A rounding step or limit as a plain Decimal (0.1, not 0.1000 from the database nor 0.1000000000000000055
    from a float), so a version read from YAML and one read from the database compare and print alike."""
    if value is None:
        return None
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    normal = number.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal


def _line(line: dict) -> dict:
    rounding = line.get("rounding") or {}
    return {
        "drug": line["drug"], "atc": line.get("atc", ""), "route": _value(line.get("route")),
        "dose": line.get("dose"), "basis": _value(line.get("basis")) or "",
        "schedule": _schedule(line.get("schedule")), "times_per_day": line.get("times_per_day", 1),
        "rounding_step": _number(rounding.get("step")),
        "rounding_max_deviation_pct": _number(rounding.get("max_deviation_pct")),
        "max_single_dose_mg": line.get("max_single_dose_mg"), "min_interval_hours": line.get("min_interval_hours"),
        "note": line.get("note", ""),
        "rules": [{name: _value(rule.get(name)) for name in RULE_FIELDS} for rule in line.get("rules", ())],
    }


def normalise(data: dict) -> dict:
    """The comparable content of a protocol: plain values, schedules in the admin's notation."""
    source = data.get("source") or {}
    top = {name: _value(data.get(name)) for name in PROTOCOL_FIELDS if name in data}
    top.update(source_document=source.get("document", ""), source_section=source.get("section", ""),
               source_table=source.get("table", ""))
    top["premedication"] = "\n".join(data.get("premedication", ()))
    top["supportive_care"] = "\n".join(data.get("supportive_care", ()))
    top["ambiguities"] = "\n".join(f"{a['source_text']} — {a.get('interpretation', '')}"
                                   for a in data.get("ambiguities", ()))
    top["precycle_criteria"] = "\n".join(
        f"{c['analyte']} {c['comparison']} {c.get('threshold')}: {c['action']} ({c.get('applies_to', 'every_cycle')}; "
        f"{c['source_document']}, {c['source_section']}: {c['source_text']})"
        for c in data.get("precycle_criteria", ()))
    top["dose_levels"] = "\n".join(
        f"{levels['drug']}: {' → '.join(str(d) for d in levels['doses'])} "
        f"({levels['source_document']}, {levels['source_section']}: {levels['source_text']})"
        for levels in data.get("dose_levels", ()))
    phases = {}
    lines = {}
    for phase in data.get("phases", ()):
        phases[phase["name"]] = {
            "start_day": phase.get("start_day"), "cycle_1_day_1": phase.get("cycle_1_day_1"),
            "note": phase.get("note", ""),
            "events": "\n".join(f"{e['day']}: {e['text']}" for e in phase.get("events", ())),
        }
        _add_lines(lines, phase.get("drugs", ()), phase["name"])
    _add_lines(lines, data.get("drugs", ()), "")
    return {"protocol": top, "phases": phases, "lines": lines}


def _add_lines(out: dict, lines, phase: str) -> None:
    seen: dict[str, int] = {}
    for line in lines:
        n = seen[line["drug"]] = seen.get(line["drug"], 0) + 1
        where = line["drug"] if not phase else f"{line['drug']} ({phase})"
        out[where if n == 1 else f"{where} #{n}"] = _line(line)


def content_digest(data: dict) -> str:
    """A fingerprint of what a checker sees: the activation page carries it, and activation is
    refused when the draft no longer matches it (changed after the checker opened the page)."""
    text = json.dumps(normalise(data), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _summary(line: dict) -> str:
    dose = format_dose(line["dose"], line["basis"], **ENGINE) if line["dose"] is not None else "—"
    return f"{dose} {line['route']} {line['schedule']}".strip()


def protocol_changes(old: dict | None, new: dict) -> list[Change]:
    """Every difference from ``old`` to ``new`` (``old`` None: everything in ``new`` is added)."""
    before = normalise(old) if old is not None else {"protocol": {}, "phases": {}, "lines": {}}
    after = normalise(new)
    changes = []
    for name in (*PROTOCOL_FIELDS, "source_document", "source_section", "source_table"):
        a, b = before["protocol"].get(name), after["protocol"].get(name)
        if old is not None and a != b:
            changes.append(Change("protocol", "", name, a, b))
    for name in sorted(before["phases"].keys() | after["phases"].keys()):
        a, b = before["phases"].get(name), after["phases"].get(name)
        if a is None or b is None:
            changes.append(Change("phase", name, "added" if a is None else "removed",
                                  "" if a is None else name, "" if b is None else name))
            continue
        changes += [Change("phase", name, field, a[field], b[field]) for field in PHASE_FIELDS if a[field] != b[field]]
    order = list(before["lines"]) + [key for key in after["lines"] if key not in before["lines"]]
    for where in order:
        a, b = before["lines"].get(where), after["lines"].get(where)
        if a is None or b is None:
            changes.append(Change("drug", where, "added" if a is None else "removed",
                                  "" if a is None else _summary(a), "" if b is None else _summary(b)))
            continue
        changes += [Change("drug", where, field, a[field], b[field]) for field in LINE_FIELDS if a[field] != b[field]]
        for index in range(max(len(a["rules"]), len(b["rules"]))):
            ra = a["rules"][index] if index < len(a["rules"]) else None
            rb = b["rules"][index] if index < len(b["rules"]) else None
            if ra is None or rb is None:
                changes.append(Change("rule", where, "added" if ra is None else "removed",
                                      "" if ra is None else ra["source_text"], "" if rb is None else rb["source_text"],
                                      rule=index + 1))
                continue
            changes += [Change("rule", where, field, ra[field], rb[field], rule=index + 1)
                        for field in RULE_FIELDS if ra[field] != rb[field]]
    return changes
