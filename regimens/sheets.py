"""The dosing sheet and the patient calendar: one context builder each, used by
the on-screen page and the PDF alike, so what the clinician checked is what
prints (STYLE.md 8). Pure functions over a plan *snapshot* (a dict, frozen when
the plan is issued) — no database access here.

Snapshot shape (keys beyond these are ignored)::

    {
      "patient": {"name", "national_id", "birth_date", "ward"},
      "measurements": {"height_cm", "height_date", "weight_kg", "weight_date",
                       "bsa_m2", "bsa_formula", "egfr_ml_min", "egfr_date"},
      "protocol": {"code", "name", "version", "source"},
      "schedule": <the POST /api/v1/dosing response: administrations, premedication,
                   supportive_care, warnings; optional flags, working>,
      "plan": {"id", "version", "status", "start_date", "change_reason"},
      "signatures": [{"meaning", "name", "role", "role_code", "time"}],  # role: its Norwegian label
    }
"""

import datetime as dt
import hashlib
from collections import OrderedDict

from django.utils.translation import gettext as _

from core.formatting import format_datetime, format_quantity
from regimens.formatting import format_dose

ROUTE_WORDS = {
    "po": "tabletter/kapsler som svelges",
    "sc": "sprøyte under huden",
    "iv": "intravenøst (drypp i blodåre)",
}


def _date(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _patient(patient):
    return {**patient, "birth_date": _date(patient.get("birth_date"))}


def _signatures(signatures):
    """Each signature with its time (frozen as local ``YYYY-MM-DD HH:MM``) written dd.mm.åååå HH:MM."""
    return [{**s, "time": format_datetime(s["time"], missing="") if s.get("time") else ""} for s in signatures]


def working_text(working):
    """The working of one dose as lines of text: a string as given, or the engine's working
    (POST /dosing ``working``: formula, BSA method, rounding, notes) one item per line."""
    if not isinstance(working, dict):
        return working or ""
    lines = [working.get("formula", "")]
    if working.get("bsa_method"):
        lines.append(f"BSA: {working['bsa_method']}")
    lines.append(working.get("rounding", ""))
    lines += list(working.get("notes", []))
    return "\n".join(line for line in lines if line)


def flag_items(schedule):
    """Every point the physician must acknowledge before issuing: the engine's flags (a value exactly
    at a threshold the guideline leaves undefined) and the protocol's recorded ambiguities (e.g. a
    cycle the guideline's table does not mention). Each has a stable ``key`` for the acknowledgement."""
    items = []
    for flag in schedule.get("flags", []):
        key = f"{flag.get('kind', '')}:{flag.get('drug', '')}:{flag.get('threshold', '')}"
        items.append({**flag, "key": key, "text": flag.get("message") or flag.get("source_text", "")})
    for ambiguity in schedule.get("ambiguities", []):
        digest = hashlib.sha256(ambiguity["source_text"].encode()).hexdigest()[:12]
        items.append({
            "kind": "ambiguity", "source_text": ambiguity["source_text"],
            "interpretation": ambiguity.get("interpretation", ""), "key": f"ambiguity:{digest}",
            "text": f"{ambiguity['source_text']} — {ambiguity.get('interpretation', '')}",
        })
    return items


def dosing_sheet_context(snapshot):
    """Rows of the dosing sheet: every administration with date, cycle/day, drug,
    dose (and the exact calculated dose beside a rounded one), route, working,
    label and adjustments; the flags the clinician confirmed; premedication,
    supportive care and signatures (meaning, name, role, time: on screen, and on
    every page of the PDF)."""
    schedule = snapshot["schedule"]
    rows = []
    for item in schedule["administrations"]:
        rounded = item.get("calculated_dose") is not None and item["calculated_dose"] != item["dose"]
        rows.append({
            "date": _date(item["date"]),
            "cycle": item["cycle"],
            "day": item["day"],
            "drug": item["drug"],
            "dose": format_dose(item["dose"], item["unit"]),
            "calculated": format_dose(item["calculated_dose"], item["unit"]) if rounded else "",
            "route": item["route"],
            "basis": item.get("basis", ""),
            "working": working_text(item.get("working", "")),
            "label": item.get("label", ""),
            "adjustments": list(item.get("adjustments", [])),
        })
    m = snapshot.get("measurements", {})
    return {
        "patient": _patient(snapshot["patient"]),
        "protocol": snapshot["protocol"],
        "plan": snapshot.get("plan", {}),
        "measurements": {
            # measurements at their precision (core/formatting.py); the doses' working keeps the BSA used
            "height": format_quantity(m.get("height_cm"), "height"),
            "height_date": _date(m.get("height_date")),
            "weight": format_quantity(m.get("weight_kg"), "weight"),
            "weight_date": _date(m.get("weight_date")),
            "bsa": format_quantity(m.get("bsa_m2"), "bsa"),
            "bsa_formula": m.get("bsa_formula", ""),
            "egfr": format_quantity(m.get("egfr_ml_min"), "egfr"),
            "egfr_date": _date(m.get("egfr_date")),
        },
        "rows": rows,
        "flags": flag_items(schedule),
        "warnings": list(schedule.get("warnings", [])),
        "premedication": list(schedule.get("premedication", [])),
        "supportive_care": list(schedule.get("supportive_care", [])),
        "signatures": _signatures(snapshot.get("signatures", [])),
    }


def calendar_context(snapshot):
    """The patient's calendar in plain Norwegian: one entry per day with what is
    taken or given that day, in words a patient reads; the plan's signatures are printed
    at the foot of every page, as on the dosing sheet."""
    days = OrderedDict()
    for item in sorted(snapshot["schedule"]["administrations"], key=lambda a: (a["date"], a["drug"])):
        entry = days.setdefault(_date(item["date"]), [])
        entry.append({
            "drug": item["drug"],
            "dose": format_dose(item["dose"], item["unit"]),
            "how": ROUTE_WORDS.get(item["route"], item["route"]),
            "label": item.get("label", ""),
        })
    return {
        "patient": _patient(snapshot["patient"]),
        "protocol": snapshot["protocol"],
        "plan": snapshot.get("plan", {}),
        "days": [{"date": day, "items": items} for day, items in days.items()],
        "title": _("Your treatment calendar"),
        "signatures": _signatures(snapshot.get("signatures", [])),
    }
