"""Shape patient records for templates, so templates hold no logic (STYLE.md §4).

Pure functions: they receive the rows the view read (patients/queries.py) and return what the
template shows; none queries the database. Numbers and dates are written by core/formatting.py
(each at its quantity kind's precision: patients/quantities.py).
"""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.change_reasons import reason_text
from core.formatting import format_date, format_datetime, format_number, format_quantity
from core.locking import diff_versions
from core.messages import drug_name
from patients import identity, labcatalogue
from patients.quantities import fact_text
from patients.queries import CHARTS, LOG_HIDDEN_FIELDS
from regimens.calendar import calendar_context
from regimens.sheets import dosing_sheet_context

CHART_TITLES = {
    "m_protein": gettext_lazy("M-protein (serum)"),
    "flc": gettext_lazy("Free light chains"),
    "creatinine": gettext_lazy("Creatinine"),
    "hemoglobin": gettext_lazy("Haemoglobin"),
}


def format_national_id(number):
    return f"{number[:6]} {number[6:]}"


def patient_rows(patients, *, diagnoses=None, plans=None, diagnosis_labels=None):
    """The patient list's rows; with ``diagnoses`` ({pk: code}, assessment.diagnoses) each row names
    the diagnosis, with ``plans`` ({pk: live plans}, queries.live_plans) the plans in force or on their
    way (regimen, version and status)."""
    rows = []
    for patient in patients:
        row = patient_row(patient)
        if diagnoses is not None:
            code = diagnoses.get(patient.pk, "")
            row["diagnosis"] = {"code": code, "label": (diagnosis_labels or {}).get(code, code)}
        if plans is not None:
            row["plans"] = [{"pk": plan.pk, "code": plan.protocol.code, "version": plan.version,
                             "status": plan.status, "status_display": plan.get_status_display()}
                            for plan in plans.get(patient.pk, [])]
        rows.append(row)
    return rows


def patient_row(patient):
    today = timezone.localdate()
    return {
        "pk": patient.pk,
        "name": patient.name,
        "national_id": format_national_id(patient.national_id),
        "age": patient.age_on(today),
        "sex": patient.get_sex_display(),
        "ward": patient.ward,
    }


def identity_card(patient):
    # Read, not judged again: the number was validated when it was stored (no refusal on its date).
    parsed = identity.parse(patient.national_id, today=datetime.date.max)
    row = patient_row(patient)
    row.update(
        birth_date=patient.birth_date,
        is_d_number=parsed.is_d_number,
        is_synthetic=parsed.is_synthetic,
    )
    return row


def latest_body(latest):
    """Latest height and latest weight, each with its own date (either may be None), from
    ``latest`` ({field: the latest row that has it, or None}: queries.latest_body)."""
    return {field: {"value": getattr(row, field), "date": row.date} if row else None
            for field, row in latest.items()}


def treatment_timeline(lines):
    rows = []
    for line in lines:
        rows.append({
            "pk": line.pk,
            "edit_url": reverse("patients:treatment_line_edit", args=[line.patient_id, line.pk]),
            "line": line.line,
            "regimen": line.regimen,
            "drugs": ", ".join(drug_name(d) for d in line.drugs),
            "start_date": line.start_date,
            "end_date": line.end_date,
            "best_response": line.get_best_response_display() if line.best_response else "",
            "refractory_to": ", ".join(line.refractory_to),
            "intolerant_to": ", ".join(line.intolerant_to),
            "transplant": line.autologous_transplant,
            "transplant_date": line.transplant_date,
            "months_to_progression": format_quantity(line.months_from_transplant_to_progression, "months",
                                                     missing=None),
            "progression_date": line.progression_date,
            "progression_in_induction": line.get_progression_in_induction_display()
            if line.progression_in_induction else "",
            "tandem_transplant_date": line.tandem_transplant_date,
            "radiotherapy_gy": format_quantity(line.radiotherapy_gy, "count", missing=None),  # as entered
            "mrd_negative_months": format_quantity(line.mrd_negative_months, "months", missing=None),
        })
    return rows


def _flag(result):
    if result.lower_limit is not None and result.value < result.lower_limit:
        return "L"
    if result.upper_limit is not None and result.value > result.upper_limit:
        return "H"
    return ""


def _limits(result):
    if result.lower_limit is None and result.upper_limit is None:
        return ""
    low = format_quantity(result.lower_limit, result.spec.quantity, unit=False, missing="")
    high = format_quantity(result.upper_limit, result.spec.quantity, unit=False, missing="")
    return f"{low}–{high}"


def lab_table(results):
    rows = []
    for result in results:
        spec = result.spec
        rows.append({
            "date": result.date,
            "time": result.sampling_time,
            "analyte": spec.label,
            "value": format_quantity(result.value, spec.quantity, unit=False),
            "unit": spec.unit,
            "isotype": result.get_isotype_display() if result.isotype else "",
            "limits": _limits(result),
            "limits_source": _("catalogue default") if result.limits_from_catalogue else "",
            "flag": _flag(result),
            "edit_url": reverse("patients:lab_edit", args=[result.patient_id, result.pk]),
        })
    return rows


def analyte_filter_choices():
    return [(code, spec.label) for code, spec in labcatalogue.ANALYTES.items()]


def chart_axis(values, references=(), *, min_span=None):
    """The y axis of a trend chart: every value and reference limit inside it, at least
    ``min_span`` wide (centred on them; never below 0 for values that are not), with a tenth of
    the span as margin on each side. A change smaller than the analyte's usual variation then
    looks small (patients/labcatalogue.py ``chart_min_span``)."""
    points = [float(v) for v in (*values, *references) if v is not None]
    if not points:
        return {}
    low, high = min(points), max(points)
    floor = 0.0 if low >= 0 else None
    span = high - low
    if min_span is not None and span < float(min_span):
        span = float(min_span)
        low = (low + high - span) / 2
        if floor is not None and low < floor:
            low = floor
        high = low + span
    margin = span / 10 if span else max(abs(high) / 10, 1.0)
    low -= margin
    if floor is not None:
        low = max(low, floor)
    return {"min": round(low, 3), "max": round(high + margin, 3)}


def lab_charts(values, *, sex=None, age=None):
    """Data for static/js/lab-charts.js from ``values`` ((analyte, date, value), oldest first:
    queries.chart_values): one chart per group, dates as category labels (union of the
    series' dates, written dd.mm.åååå), values aligned with nulls for gaps, the y axis over the
    values and the reference limits for a patient of ``sex`` and ``age`` (``chart_axis``), and
    the reference range to shade where the chart has one analyte."""
    by_analyte = {}
    for analyte, date, value in values:
        # a later result of the same day wins, as before (ordered by date, id)
        by_analyte.setdefault(analyte, {})[date] = value
    charts = []
    for key, group in CHARTS:
        present = [code for code in group if code in by_analyte]
        if not present:
            continue
        days = sorted({day for code in present for day in by_analyte[code]})
        series = [
            {"label": str(labcatalogue.ANALYTES[code].label), "data": [by_analyte[code].get(d) for d in days]}
            for code in present
        ]
        references = {code: labcatalogue.reference_limits(code, sex=sex, age=age) for code in present}
        spans = [labcatalogue.ANALYTES[code].chart_min_span for code in present]
        unit = labcatalogue.ANALYTES[group[0]].unit
        reference = references[present[0]] if len(present) == 1 and None not in references[present[0]] else None
        charts.append({
            "key": key, "title": f"{CHART_TITLES[key]} ({unit})", "unit": unit,
            "labels": [format_date(d) for d in days], "dates": [d.isoformat() for d in days], "series": series,
            "y": chart_axis([v for code in present for v in by_analyte[code].values()],
                            [limit for pair in references.values() for limit in pair],
                            min_span=max((s for s in spans if s is not None), default=None)),
            "reference": [float(limit) for limit in reference] if reference else None,
        })
    return charts


def lab_section(values, results, analyte="", *, sex=None, age=None):
    """The overview's lab section (its own htmx fragment): trend charts over every
    charted result (``values``; reference limits for a patient of ``sex`` and ``age``), the
    latest results (``results``, of ``analyte`` when one is chosen) and the filter's choices."""
    return {
        "charts": lab_charts(values, sex=sex, age=age),
        "labs": lab_table(results),
        "analyte": analyte,
        "analytes": analyte_filter_choices(),
    }


def latest_findings(records):
    """The latest record of each finding kind (queries.latest_findings), as (title, date, [(label, value)])."""
    items = []
    for record in records:
        model = type(record)
        pairs = []
        for field in model._meta.get_fields():
            if getattr(field, "concrete", False) and field.name not in ("id", "patient", "date"):
                value = getattr(record, field.name)
                if value in (None, "", []):
                    continue
                pairs.append((str(field.verbose_name), _display(record, field, value)))
        items.append({"title": str(model._meta.verbose_name), "date": record.date, "pairs": pairs})
    return items


def _display(record, field, value):
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    if isinstance(value, list):
        return _code_list(field, value)
    return fact_text(field.name, value)


# The code lists that hold drugs (the contract's INN codes): shown by the drugs' names (core.messages.drug_name)
DRUG_LIST_FIELDS = frozenset({"drugs", "refractory_to", "intolerant_to", "reduced_tolerance"})


def _drug_names(codes):
    return ", ".join(drug_name(code) for code in codes) or _("none")


def _code_list(field, value):
    if field.name in DRUG_LIST_FIELDS:
        return _drug_names(value)
    return ", ".join(str(code) for code in value) or _("none")


def change_log(sources, related):
    """Every historical version of the patient and the patient's records and treatment plans
    (drafted, issued, verified, revised, superseded, cancelled), newest first: who, when, what
    (field: old → new) and why. ``sources`` and ``related``: queries.change_log."""
    entries = []
    for model, versions in sources:
        previous_by_id = {}
        for version in versions:
            previous = previous_by_id.get(version.id)
            changes = []
            if previous is None:
                for field in model._meta.get_fields():
                    if not getattr(field, "concrete", False) or field.name in LOG_HIDDEN_FIELDS:
                        continue
                    value = getattr(version, field.attname, None)
                    if value in (None, "", []):
                        continue
                    changes.append({"field": _field_label(field), "old": "",
                                    "new": _logged(field, value, related)})
            else:
                for field, old, new in diff_versions(previous, version, hidden=LOG_HIDDEN_FIELDS):
                    changes.append({"field": _field_label(field), "old": _logged(field, old, related),
                                    "new": _logged(field, new, related)})
            previous_by_id[version.id] = version
            user = version.history_user
            entries.append({
                "when": version.history_date,
                "who": (user.get_full_name() or user.username) if user else _("system"),
                "what": model.log_title(version) if hasattr(model, "log_title") else
                f"{model._meta.verbose_name} #{version.id}",
                "type": {"+": _("created"), "~": _("changed"), "-": _("deleted")}[version.history_type],
                "reason": reason_text(version.history_change_reason),
                "changes": changes,
            })
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


def _field_label(field):
    return str(field.verbose_name)


def _logged(field, value, related):
    """A value as the change log shows it: a plan's frozen snapshot as one line, a signature as
    meaning, name and time, a user by name (``related``: the rows relations name), anything else plainly."""
    if value in (None, ""):
        return _plain(value)
    if field.name == "snapshot":
        administrations = len((value.get("schedule") or {}).get("administrations") or [])
        return _("frozen dosing sheet (%(count)s administrations)") % {"count": administrations}
    if isinstance(value, dict) and "meaning" in value:
        return f"{value.get('meaning')}: {value.get('name')} {format_datetime(value.get('time'))}"
    if isinstance(value, list | tuple) and field.name in DRUG_LIST_FIELDS:
        return _drug_names(value)
    if field.name == "seen" and isinstance(value, dict):  # a cycle release's basis (treatment_course)
        return _seen_line(value)
    if field.name == "change_reason":
        return reason_text(value)
    if field.name == "modifications" and isinstance(value, list):  # the plan's dose changes (treatment_course)
        return _("%(count)s dose changes (each in the reason of the version that made it)") % {"count": len(value)}
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if field.is_relation and field.related_model is not None:
        target = related.get((field.related_model, value))
        if target is None:
            return f"#{value}"
        if hasattr(target, "get_full_name"):
            return target.get_full_name() or target.get_username()
        return str(target)
    if getattr(field, "choices", None):  # a choice by its label (an analyte, «ingen» plasmacytoma), not its code
        return str(dict(field.flatchoices).get(value, value))
    return _plain(value)


def _seen_line(seen):
    """What the physician saw at a cycle's release, as one line: weight, BSA and the weight change."""
    parts = []
    if seen.get("weight_kg") is not None:
        parts.append(_("weight %(value)s (%(date)s)") % {
            "value": format_quantity(Decimal(str(seen["weight_kg"])), "weight"),
            "date": format_date(datetime.date.fromisoformat(seen["weight_date"])) if seen.get("weight_date") else "—"})
    if seen.get("bsa_m2") is not None:
        parts.append(_("BSA %(value)s") % {"value": format_quantity(Decimal(str(seen["bsa_m2"])), "bsa")})
    if seen.get("weight_change_pct") is not None:
        parts.append(_("weight change %(value)s %% (limit %(limit)s %%)") % {
            "value": format_number(Decimal(str(seen["weight_change_pct"]))),
            "limit": format_number(Decimal(str(seen.get("weight_limit_pct") or 0)))})
    labs = [lab for lab in seen.get("labs") or () if lab.get("value") is not None]
    parts.append(_("%(count)s lab values") % {"count": len(labs)})
    return "; ".join(parts)


def _plain(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(map(str, value)) or _("none")
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, float | Decimal):
        return format_number(value)  # the change log shows what was stored: every digit
    return str(value)


# --- Treatment plans ----------------------------------------------------------


def _signer(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def plan_row(plan, *, active_versions):
    """One plan for the list and the detail header, with the superseded-protocol flag
    (``active_versions``: {code: pk of its active protocol version}, queries.active_versions)."""
    return {
        "pk": plan.pk,
        "code": plan.protocol.code,
        "name": plan.protocol.name,
        "protocol_version": plan.protocol.version,
        "version": plan.version,
        "status": plan.status,
        "status_display": plan.get_status_display(),
        "start_date": plan.start_date,
        "cycles": plan.cycles,
        "change_reason": reason_text(plan.change_reason),
        "previous_version": plan.previous.version if plan.previous_id else None,
        "created_by": _signer(plan.created_by),
        "issued_by": _signer(plan.issued_by),
        "issued_at": plan.issued_at,
        "verified_by": _signer(plan.verified_by),
        "verified_at": plan.verified_at,
        "cancel_reason": plan.cancel_reason,
        "return_reason": plan.return_reason,
        "returned_by": _signer(plan.returned_by),
        "returned_at": plan.returned_at,
        "superseded_protocol": plan.on_superseded_protocol_in(active_versions),
    }


def plan_rows(plans, *, active_versions):
    return [plan_row(plan, active_versions=active_versions) for plan in plans]


def plan_sheet(plan, *, active_versions):
    """The dosing sheet of an issued plan from its frozen snapshot: the one context the page shows
    and the PDF prints (regimens/sheets.py), plus the superseded-protocol flag."""
    context = dosing_sheet_context(plan.sheet_snapshot())
    context["protocol_superseded"] = plan.on_superseded_protocol_in(active_versions)
    return context


def plan_calendar(plan, *, active_versions):
    """The patient calendar of an issued plan from its frozen snapshot, with the superseded-protocol
    flag as on the dosing sheet: both papers say when the protocol version is no longer the active one."""
    context = calendar_context(plan.sheet_snapshot())
    context["protocol_superseded"] = plan.on_superseded_protocol_in(active_versions)
    return context


def regimen_choices(requested, *, active, options):
    """Choices for a new plan: the requested regimen and the guideline's options for this patient
    (``options``, in rank order) first, then every other regimen with an active protocol (``active``:
    {code: name}, queries.active_regimens). Returns (choices, recommended codes, recommended codes
    without an active protocol)."""
    wanted = ([requested] if requested else []) + [o.regimen for o in options]
    recommended, unavailable = [], []
    for code in wanted:
        if code in active and code not in recommended:
            recommended.append(code)
        elif code not in active and code not in unavailable and code != requested:
            unavailable.append(code)
    if requested and requested not in active:
        unavailable.insert(0, requested)
    rest = [code for code in active if code not in recommended]
    choices = [("", "—")]
    if recommended:
        choices.append((_("Recommended for this patient"), [(c, f"{c} · {active[c]}") for c in recommended]))
    choices.append((_("All active regimens"), [(c, f"{c} · {active[c]}") for c in rest]))
    return choices, recommended, unavailable
