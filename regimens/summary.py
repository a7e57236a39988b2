"""The printable protocol summary (issue 14 item 4): one regimen version on one or two A4 pages, like a BC
Cancer or eviQ protocol summary — each drug with its dose and per-unit basis, route and days per cycle, its
rules (renal, age, weight, tolerance) in the guideline's words, rounding and limits; premedication and
support medicines as the guideline writes them; the guideline citation, version, status, who checked and
activated it and the review date. Read from the stored version (``Protocol.parsed()``), in bokmål.

Doses are written by core/formatting.py with every digit the protocol holds (nothing rounded).
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.formatting import PER_UNIT_WORDS, format_datetime, format_dose, format_number
from guidelines.sources import DOCUMENTS
from regimens.calendar import day_list
from regimens.patient_words import drug_name, label_words
from regimens.review import library_attribution

# the guideline's own words for the route («Bortezomib (subkutant)», «Lenalidomid (peroralt)»)
ROUTES = {"po": "peroralt", "sc": "subkutant", "iv": "intravenøst"}
UNITS = {**PER_UNIT_WORDS, "microgram": "mikrogram"}
COMPARISONS = {"below": "<", "above": ">"}


def _unit(basis):
    return UNITS.get(basis, basis)


def _basis_words(basis):
    """What the dose is given per: body surface (mg/m², g/m²), body weight (mg/kg), or a flat dose."""
    if basis.endswith("/m2"):
        return _("per m² of body surface")
    if basis.endswith("/kg"):
        return _("per kg of body weight")
    return _("flat dose") if basis else ""


def _dose(value, basis):
    return format_dose(value, _unit(basis)) if value is not None and basis else "—"


def _cycles(block):
    if block.last_cycle is None:
        return _("cycle %(n)s and later") % {"n": block.first_cycle} if block.first_cycle > 1 else _("every cycle")
    if block.last_cycle == block.first_cycle:
        return _("cycle %(n)s") % {"n": block.first_cycle}
    return _("cycles %(first)s–%(last)s") % {"first": block.first_cycle, "last": block.last_cycle}


def _blocks(line, basis, *, phase):
    """The days of a drug line, one text per block: «syklus 1–2: dag 1, 8, 15 og 22», with a block's own
    dose and label («dag 1: 0,06 mg/kg (opptrappingsdose 1)»)."""
    texts = []
    for block in line.schedule:
        days = _("day %(days)s") % {"days": day_list(block.days)}
        text = days if phase else f"{_cycles(block)}: {days}"
        if block.dose is not None:
            text += f": {_dose(block.dose, basis)}"
        if block.label:
            text += f" ({label_words(block.label)})"
        texts.append(text)
    return texts


def _rule(rule, basis):
    """A dose rule: «eGFR < 30 mL/min: 15 mg», the guideline's words, and at an undefined boundary which
    side the boundary value takes."""
    subject = {"renal": "eGFR", "age": _("age"), "weight": _("weight")}.get(rule.kind, _("poor tolerance"))
    unit = {"renal": " mL/min", "age": " " + _("years"), "weight": " kg"}.get(rule.kind, "")
    condition = subject if rule.threshold is None else \
        f"{subject} {COMPARISONS[rule.comparison]} {format_number(rule.threshold)}{unit}"
    effect = _("omit the drug") if rule.omit else _dose(rule.dose, basis)
    return {"condition": condition, "effect": effect, "source_text": rule.source_text,
            "boundary": rule.boundary_interpretation if rule.boundary_undefined else ""}


def _line(line, *, phase=""):
    basis = str(line.basis) if line.basis else ""
    if line.rounding is not None:
        limits = [_("rounding step %(step)s") % {"step": format_dose(line.rounding.step, _unit(basis).split("/")[0])}]
    else:
        limits = [_("no rounding step: three significant figures, at most two decimals")]
    if line.max_single_dose_mg:
        limits.append(_("maximum single dose %(dose)s") % {"dose": format_dose(line.max_single_dose_mg, "mg")})
    if line.min_interval_hours:
        limits.append(_("at least %(hours)s hours between doses") % {"hours": line.min_interval_hours})
    if line.times_per_day > 1:
        limits.append(_("%(n)s times a day") % {"n": line.times_per_day})
    return {
        "name": drug_name(line.drug), "inn": line.drug, "atc": line.atc, "phase": phase,
        "route": ROUTES.get(str(line.route), str(line.route)),
        "dose": _dose(line.dose, basis), "basis_words": _basis_words(basis),
        "days": _blocks(line, basis, phase=bool(phase)),
        "rules": [_rule(rule, basis) for rule in line.rules],
        "limits": limits, "note": line.note,
    }


def protocol_summary_context(protocol):
    """The summary of one stored protocol version (regimens.models.Protocol), in bokmål."""
    with translation.override("nb"):
        parsed = protocol.parsed()
        lines = [*(_line(d, phase=p.name) for p in parsed.phases for d in p.drugs), *(_line(d) for d in parsed.drugs)]
        source = parsed.source
        return {
            "protocol": protocol, "parsed": parsed, "lines": lines,
            "status": protocol.get_status_display(), "setting": protocol.get_setting_display(),
            "phases": [{"name": p.name, "events": [f"{_('day')} {e.day}: {e.text}" for e in p.events], "note": p.note}
                       for p in parsed.phases],
            "citation": {"document": DOCUMENTS.get(source.document, source.document), "section": source.section,
                         "table": source.table},
            "activated_at": format_datetime(protocol.activated_at, missing=""),
            "checked_by": parsed.checked_by or library_attribution(protocol) or _("not checked"),
            "printed_at": format_datetime(timezone.now(), missing=""),
        }
