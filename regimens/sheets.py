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
from decimal import Decimal

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.roles import ROLE_LABELS
from core.formatting import format_datetime, format_quantity
from core.messages import render, text_of, texts_of
from regimens import sheet_pages
from regimens.dosing.texts import bsa_formula
from regimens.formatting import PER_UNIT_WORDS, format_deviation, format_dose, significant


def _date(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _patient(patient):
    return {**patient, "birth_date": _date(patient.get("birth_date"))}


# A signature's meaning as it was signed and is frozen in the snapshot, in both languages
# (patients/models/plans.py ISSUE_MEANING, VERIFY_MEANING), shown in the reader's language.
SIGNATURE_MEANINGS = {"Forordnet / issued": pgettext_lazy("signature", "Issued"),
                      "Kontrollert / verified": pgettext_lazy("signature", "Verified")}


def signature_lines(signatures):
    """Each signature as the reader reads it: its meaning and the signer's role in the reader's language (the
    snapshot keeps both as signed), its time (frozen as local ``YYYY-MM-DD HH:MM``) written dd.mm.åååå HH:MM."""
    return [{**s, "meaning": str(SIGNATURE_MEANINGS.get(s.get("meaning"), s.get("meaning", ""))),
             "role": str(ROLE_LABELS[s["role_code"]]) if s.get("role_code") in ROLE_LABELS else s.get("role", ""),
             "time": format_datetime(s["time"], missing="") if s.get("time") else ""} for s in signatures]


# The engine's message of a per-m² dose's basis («1.3 mg/m2 x 2.00 m2», regimens/dosing/dose.py).
BSA_BASIS_CODE = "dosing.basis.per_m2"


def basis_text(item):
    """The dose's basis in the reader's words. A dose per m² shows the BSA at the sheet's two decimals
    (issue 14), but was calculated on the unrounded BSA: where the two differ the line says so, so that a
    pharmacist who multiplies «70 mg/m² × 1,97 m²» (137,9) by hand knows why the exact dose of the rounding
    line is 137,5678 mg (hazard HAZ-138)."""
    text = text_of(item, "basis")
    stored = item.get("basis_message") or {}
    bsa = (stored.get("params") or {}).get("bsa") if stored.get("code") == BSA_BASIS_CODE else None
    if bsa and Decimal(str(bsa["quantity"])) != Decimal(str(bsa["quantity"])).quantize(Decimal("0.01")):
        return _("%(basis)s (calculated on the unrounded BSA)") % {"basis": text}
    return text


def working_text(working, *, rounding=True):
    """The working of one dose as lines of text: a string as given, or the engine's working
    (POST /dosing ``working``: formula, BSA method, rounding, notes) one item per line. Without
    ``rounding`` (a plan under the rounding policy) the engine's rounding line, formula and BSA method
    are left out: the sheet writes the rounding in the reader's words beside the basis («1.3 mg/m2 x
    1.84 m2»), and the BSA with its formula once, on the cover."""
    if not isinstance(working, dict):
        return working or ""
    lines = []
    if rounding:
        lines.append(text_of(working, "formula"))
        if working.get("bsa_method"):
            lines.append(_("BSA: %(method)s") % {"method": text_of(working, "bsa_method")})
        lines.append(text_of(working, "rounding"))
    lines += texts_of(working, "notes")
    return "\n".join(line for line in lines if line)


# The BSA formulas as a snapshot's measurements name them (their English text), in the reader's words.
_BSA_FORMULAS = {str(bsa_formula(name)): bsa_formula(name) for name in ("mosteller", "dubois")}


def bsa_formula_text(text):
    """A snapshot's BSA formula («Mosteller: sqrt(height_cm x weight_kg / 3600)») in the reader's words."""
    return render(_BSA_FORMULAS.get(text, text or ""))


def rounding_line(item):
    """How the dose to give came from the exact dose, in the reader's words: «2,3912 mg → 2,39 mg
    (−0,05 %), three significant figures». Empty when nothing was rounded (no step, no deviation),
    and for a plan issued before the rounding policy (its snapshot has no deviation; the engine's
    own rounding line is then in the working)."""
    if "deviation_pct" not in item:
        return ""
    if not item["deviation_pct"] and item.get("rounding_step") is None:
        return ""  # the exact dose is the dose to give (25 mg, 2,6 mg): nothing was rounded
    unit = item["unit"]
    if item.get("rounding_step") is not None:
        rule = _("rounding step %(step)s") % {"step": format_dose(item["rounding_step"], unit)}
    else:
        rule = _("three significant figures, at most two decimals")
    return _words(_("Rounded: %(exact)s → %(given)s (%(deviation)s), %(rule)s"), {
        "exact": _kept(format_dose(item["calculated_dose"], unit, places=4)),
        "given": _kept(format_dose(item["dose"], unit)),
        "deviation": _kept(format_deviation(item["deviation_pct"])), "rule": rule,
    })


def per_unit_line(item):
    """The achieved dose per m² or kg beside the protocol's: «1,3 mg/m² (protocol 1,3 mg/m²)», so a
    tenfold error shows at a glance. The achieved value at three significant figures (its exact
    deviation is on the rounding line); empty for a flat dose and for a plan issued before the policy."""
    per_unit = item.get("per_unit")
    if not per_unit:
        return ""
    unit = PER_UNIT_WORDS.get(per_unit["basis"], per_unit["basis"])
    return _words(_("%(achieved)s (protocol %(protocol)s)"), {
        "achieved": _kept(format_dose(significant(per_unit["achieved"]), unit)),
        "protocol": _kept(format_dose(per_unit["protocol"], unit)),
    })


def _kept(text):
    """A number with its unit kept on one line on screen and paper («2,39 mg», never «2,39» / «mg»)."""
    return format_html('<span class="text-nowrap">{}</span>', text)


def _words(template, parts):
    """A translated sentence with its parts (HTML-safe: each part escaped, or kept on one line)."""
    return mark_safe(conditional_escape(template) % {k: conditional_escape(v) for k, v in parts.items()})


def flag_items(schedule):
    """Every point the physician must acknowledge before issuing: the engine's flags (a value exactly
    at a threshold the guideline leaves undefined) and the protocol's recorded ambiguities (e.g. a
    cycle the guideline's table does not mention). Each has a stable ``key`` for the acknowledgement."""
    items = []
    for flag in schedule.get("flags", []):
        # the engine's key (each protocol ambiguity its own: ``ambiguity:0``, ``ambiguity:1``); a snapshot
        # frozen before flags had keys: made of the flag's kind, drug and threshold
        key = flag.get("key") or f"{flag.get('kind', '')}:{flag.get('drug', '')}:{flag.get('threshold', '')}"
        items.append({**flag, "key": key, "text": text_of(flag, "message") or flag.get("source_text", ""),
                      "interpretation": text_of(flag, "interpretation")})
    flagged = {flag.get("source_text") for flag in schedule.get("flags", []) if flag.get("kind") == "ambiguity"}
    for ambiguity in schedule.get("ambiguities", []):
        if ambiguity["source_text"] in flagged:  # the engine's own flag of it (every schedule since it has them)
            continue
        digest = hashlib.sha256(ambiguity["source_text"].encode()).hexdigest()[:12]
        items.append({
            "kind": "ambiguity", "source_text": ambiguity["source_text"],
            "interpretation": ambiguity.get("interpretation", ""), "key": f"ambiguity:{digest}",
            "text": f"{ambiguity['source_text']} — {ambiguity.get('interpretation', '')}",
        })
    return items


def _warnings(schedule):
    """The schedule's warnings in the reader's words, but for the flags' messages: the API lists a flag's message
    among the warnings too (for a client that reads no flags); the sheet shows it once, with the flags."""
    flagged = {flag.get("message") for flag in schedule.get("flags", [])}
    texts = texts_of(schedule, "warnings")
    return [text for raw, text in zip(schedule.get("warnings", []), texts, strict=True) if raw not in flagged]


def dosing_sheet_context(snapshot):
    """Rows of the dosing sheet: every administration with date, cycle/day, drug,
    the dose to give with the achieved dose per unit beside the protocol's, the rounding
    (exact -> given, deviation), route, working, label and adjustments; the flags the
    clinician confirmed; premedication, supportive care and signatures (meaning, name, role, time: on screen, and on
    every page of the PDF). For the sheet of issue 14 (docs/adr/0016-dosing-sheet-one-page-per-cycle.md):
    ``workings`` (each distinct dose once, with its cycles and days), ``adjustments`` (each once),
    ``cycles`` (one page per cycle: regimens/sheet_pages.py) and ``signers`` (issued by, verified by)."""
    schedule = snapshot["schedule"]
    rows = []
    for item in schedule["administrations"]:
        policy = "deviation_pct" in item  # issued under the rounding policy (docs/adr/0014-dose-rounding-policy.md)
        rounded = item.get("calculated_dose") is not None and item["calculated_dose"] != item["dose"]
        rows.append({
            "date": _date(item["date"]),
            "cycle": item["cycle"],
            "phase": item.get("phase", ""),
            "day": item["day"],
            "drug": item["drug"],
            # the dose to give exactly as stored, signed and fingerprinted: the formatter never rounds it
            "dose": format_dose(item["dose"], item["unit"]),
            "calculated": format_dose(item["calculated_dose"], item["unit"]) if rounded and not policy else "",
            "per_unit": per_unit_line(item),
            "rounding": rounding_line(item),
            "route": item["route"],
            "basis": basis_text(item),
            "working": working_text(item.get("working", ""), rounding=not policy),
            "label": text_of(item, "label"),
            "adjustments": texts_of(item, "adjustments"),
        })
    m = snapshot.get("measurements", {})
    signatures = signature_lines(snapshot.get("signatures", []))
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
            "bsa_formula": bsa_formula_text(m.get("bsa_formula", "")),
            "egfr": format_quantity(m.get("egfr_ml_min"), "egfr"),
            "egfr_date": _date(m.get("egfr_date")),
        },
        "rows": rows,
        "flags": flag_items(schedule),
        "warnings": _warnings(schedule),
        # issue 15 item 3: the physician's reductions, stops, holds and delays, each with its reason
        "modifications": texts_of(schedule, "modifications"),
        "premedication": list(schedule.get("premedication", [])),
        "supportive_care": list(schedule.get("supportive_care", [])),
        "signatures": signatures,
        # issue 14 item 2: the working of each dose once, the adjustments, one page per cycle, the signers
        "workings": sheet_pages.workings(rows),
        "adjustments": list(dict.fromkeys(a for row in rows for a in row["adjustments"])),
        "cycles": sheet_pages.cycle_pages(schedule, format_dose=format_dose, date_of=_date),
        "signers": sheet_pages.signers(signatures),
    }
