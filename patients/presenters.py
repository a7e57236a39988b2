"""Shape patient records for templates, so templates hold no logic."""

import datetime

from django.db.models import FloatField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from patients import identity, labcatalogue
from patients.locking import diff_versions
from patients.models import (
    ClinicalStatus,
    CytogeneticsResult,
    HeightWeight,
    ImagingFinding,
    LabResult,
    MarrowFinding,
    Patient,
    PoemsFindings,
    TreatmentLine,
    TreatmentPlan,
)

RECORD_MODELS = (
    HeightWeight, LabResult, MarrowFinding, ImagingFinding, CytogeneticsResult, PoemsFindings,
    TreatmentLine, ClinicalStatus,
)

CHARTS = (
    ("m_protein", ("m_protein",)),
    ("flc", ("flc_kappa", "flc_lambda")),
    ("creatinine", ("creatinine",)),
    ("hemoglobin", ("hemoglobin",)),
)
CHARTED_ANALYTES = tuple(code for _key, group in CHARTS for code in group)
CHART_TITLES = {
    "m_protein": _l("M-protein (serum)"),
    "flc": _l("Free light chains"),
    "creatinine": _l("Creatinine"),
    "hemoglobin": _l("Haemoglobin"),
}


def format_national_id(number):
    return f"{number[:6]} {number[6:]}"


def search(query):
    """Patients whose name contains the query or whose national identity number
    starts with its digits."""
    query = (query or "").strip()
    patients = Patient.objects.all()
    if query:
        digits = "".join(query.split())
        condition = Q(name__icontains=query)
        if digits.isdigit():
            condition |= Q(national_id__startswith=digits)
        patients = patients.filter(condition)
    return [patient_row(p) for p in patients[:50]]


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


def latest_body(patient):
    """Latest height and latest weight, each with its own date (either may be None)."""
    body = {}
    for field in ("height_cm", "weight_kg"):
        row = HeightWeight.objects.filter(patient=patient, **{f"{field}__isnull": False}).first()
        body[field] = {"value": getattr(row, field), "date": row.date} if row else None
    return body


def treatment_timeline(patient):
    rows = []
    for line in TreatmentLine.objects.filter(patient=patient).order_by("line"):
        rows.append({
            "pk": line.pk,
            "edit_url": reverse("patients:treatment_line_edit", args=[patient.pk, line.pk]),
            "line": line.line,
            "regimen": line.regimen,
            "drugs": ", ".join(line.drugs),
            "start_date": line.start_date,
            "end_date": line.end_date,
            "best_response": line.get_best_response_display() if line.best_response else "",
            "refractory_to": ", ".join(line.refractory_to),
            "intolerant_to": ", ".join(line.intolerant_to),
            "transplant": line.autologous_transplant,
            "transplant_date": line.transplant_date,
            "months_to_progression": line.months_from_transplant_to_progression,
            "progression_date": line.progression_date,
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
    low = "" if result.lower_limit is None else f"{result.lower_limit.normalize():f}"
    high = "" if result.upper_limit is None else f"{result.upper_limit.normalize():f}"
    return f"{low}–{high}"


def lab_table(patient, analyte=None, limit=30):
    results = LabResult.objects.filter(patient=patient)
    if analyte in labcatalogue.ANALYTES:
        results = results.filter(analyte=analyte)
    rows = []
    for result in results[:limit]:
        spec = result.spec
        rows.append({
            "date": result.date,
            "analyte": spec.label,
            "value": f"{result.value.normalize():f}",
            "unit": spec.unit,
            "isotype": result.get_isotype_display() if result.isotype else "",
            "limits": _limits(result),
            "limits_source": _("catalogue default") if result.limits_from_catalogue else "",
            "flag": _flag(result),
        })
    return rows


def analyte_filter_choices():
    return [(code, spec.label) for code, spec in labcatalogue.ANALYTES.items()]


def lab_charts(patient):
    """Data for static/js/lab-charts.js: one chart per group, dates as category
    labels (union of the series' dates), values aligned with nulls for gaps.

    One query for every charted analyte, reading only analyte, date and value:
    ten years of monthly labs are hundreds of rows, so no model instances."""
    codes = CHARTED_ANALYTES
    by_analyte = {}
    rows = (
        LabResult.objects.filter(patient=patient, analyte__in=codes)
        .order_by("date", "id")
        # The chart draws floats: read them as such, not as a Decimal per value converted
        # back (the same number: the column holds at most 10 significant digits).
        .values_list("analyte", "date", Cast("value", FloatField()))
    )
    for analyte, date, value in rows:
        # a later result of the same day wins, as before (ordered by date, id)
        by_analyte.setdefault(analyte, {})[date.isoformat()] = value
    charts = []
    for key, group in CHARTS:
        present = [code for code in group if code in by_analyte]
        if not present:
            continue
        labels = sorted({day for code in present for day in by_analyte[code]})
        series = [
            {"label": str(labcatalogue.ANALYTES[code].label), "data": [by_analyte[code].get(d) for d in labels]}
            for code in present
        ]
        unit = labcatalogue.ANALYTES[group[0]].unit
        charts.append({"key": key, "title": f"{CHART_TITLES[key]} ({unit})", "unit": unit,
                       "labels": labels, "series": series})
    return charts


def lab_section(patient, analyte=""):
    """The overview's lab section (its own htmx fragment): trend charts over every
    charted result, the latest results (``analyte``: only that analyte's) and the
    filter's choices."""
    return {
        "charts": lab_charts(patient),
        "labs": lab_table(patient, analyte=analyte),
        "analyte": analyte,
        "analytes": analyte_filter_choices(),
    }


def latest_findings(patient):
    """The latest record of each finding kind, as (title, date, [(label, value)])."""
    items = []
    for model in (MarrowFinding, ImagingFinding, CytogeneticsResult, PoemsFindings, ClinicalStatus):
        record = model.objects.filter(patient=patient).first()
        if record is None:
            continue
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
        return ", ".join(value) if value else _("none")
    return str(value)


# Not shown in the change log: the row id and patient (the entry names them) and the
# optimistic-lock counter (patients/locking.py), which changes with every save.
LOG_HIDDEN_FIELDS = {"id", "patient", "lock_version"}


def change_log(patient):
    """Every historical version of the patient and the patient's records and treatment plans
    (drafted, issued, verified, revised, superseded, cancelled), newest first: who, when, what
    (field: old → new) and why."""
    entries = []
    sources = [(Patient.history.filter(id=patient.pk), Patient)]
    sources += [(model.history.filter(patient_id=patient.pk), model)
                for model in (*RECORD_MODELS, TreatmentPlan)]
    for queryset, model in sources:
        versions = list(queryset.order_by("id", "history_date", "history_id").select_related("history_user"))
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
                    changes.append({"field": _field_label(field), "old": "", "new": _logged(field, value)})
            else:
                for field, old, new in diff_versions(previous, version, hidden=LOG_HIDDEN_FIELDS):
                    changes.append({"field": _field_label(field), "old": _logged(field, old),
                                    "new": _logged(field, new)})
            previous_by_id[version.id] = version
            user = version.history_user
            entries.append({
                "when": version.history_date,
                "who": (user.get_full_name() or user.username) if user else _("system"),
                "what": f"{model._meta.verbose_name} #{version.id}",
                "type": {"+": _("created"), "~": _("changed"), "-": _("deleted")}[version.history_type],
                "reason": version.history_change_reason or "",
                "changes": changes,
            })
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


def _field_label(field):
    return str(field.verbose_name)


def _logged(field, value):
    """A value as the change log shows it: a plan's frozen snapshot as one line, a signature as
    meaning, name and time, a user by name, anything else plainly."""
    if value in (None, ""):
        return _plain(value)
    if field.name == "snapshot":
        administrations = len((value.get("schedule") or {}).get("administrations") or [])
        return _("frozen dosing sheet (%(count)s administrations)") % {"count": administrations}
    if isinstance(value, dict) and "meaning" in value:
        return f"{value.get('meaning')}: {value.get('name')} {value.get('time')}"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if field.is_relation and field.related_model is not None:
        target = field.related_model._base_manager.filter(pk=value).first()
        if target is None:
            return f"#{value}"
        if hasattr(target, "get_full_name"):
            return target.get_full_name() or target.get_username()
        return str(target)
    return _plain(value)


def _plain(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(map(str, value)) or _("none")
    return str(value)


# --- Treatment plans ----------------------------------------------------------


def _signer(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def plan_row(plan):
    """One plan for the list and the detail header, with the superseded-protocol flag."""
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
        "change_reason": plan.change_reason,
        "previous_version": plan.previous.version if plan.previous_id else None,
        "created_by": _signer(plan.created_by),
        "issued_by": _signer(plan.issued_by),
        "issued_at": plan.issued_at,
        "verified_by": _signer(plan.verified_by),
        "verified_at": plan.verified_at,
        "cancel_reason": plan.cancel_reason,
        "superseded_protocol": plan.on_superseded_protocol,
    }


def plan_rows(patient):
    from patients.models import TreatmentPlan

    plans = TreatmentPlan.objects.filter(patient=patient).select_related(
        "protocol", "previous", "created_by", "issued_by", "verified_by")
    return [plan_row(plan) for plan in plans]


def plan_sheet(plan):
    """The dosing sheet of an issued plan from its frozen snapshot: the one context the page shows
    and the PDF prints (regimens/sheets.py), plus the superseded-protocol flag."""
    from regimens.sheets import dosing_sheet_context

    context = dosing_sheet_context(plan.sheet_snapshot())
    context["protocol_superseded"] = plan.on_superseded_protocol
    return context


def plan_calendar(plan):
    """The patient calendar of an issued plan from its frozen snapshot, with the superseded-protocol
    flag as on the dosing sheet: both papers say when the protocol version is no longer the active one."""
    from regimens.sheets import calendar_context

    context = calendar_context(plan.sheet_snapshot())
    context["protocol_superseded"] = plan.on_superseded_protocol
    return context


def regimen_choices(patient, requested=""):
    """Choices for a new plan: the requested regimen and the guideline's options for this patient
    first (in rank order), then every other regimen with an active protocol. Returns
    (choices, recommended codes, recommended codes without an active protocol)."""
    from guidelines.evaluate import evaluate
    from patients.facts import facts_for
    from regimens.library import from_database as protocol_library
    from regimens.models import Protocol

    active = dict(
        Protocol.objects.filter(status=Protocol.Status.ACTIVE).order_by("code").values_list("code", "name")
    )
    facts, _sources = facts_for(patient)
    treatment = evaluate(facts, library=protocol_library()).treatment
    options = sorted(treatment.options, key=lambda o: o.rank) if treatment else []
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


def next_monday():
    """Default start date of a new plan: the next Monday."""
    from regimens.presenters import next_monday as after

    return after(timezone.localdate())
