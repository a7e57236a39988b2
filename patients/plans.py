"""A treatment plan's doses, computed from the patient's record: the one place
where the new-plan preview, the draft page and ``issue_plan`` get the schedule
and the dosing sheet snapshot (shape: regimens/sheets.py), so what the physician
saw is what is signed and printed.

Inputs come from ``patients.facts.facts_for`` (latest value per fact, with its
date) and the protocol's *active* version; the doses from
``regimens.dosing.calculate_schedule`` with the hospital's rounding limit (settings
``DOSE_ROUNDING_MAX_DEVIATION_PERCENT``): each administration's ``dose`` is the dose to give,
stored, fingerprinted, signed and printed as it is, beside the exact ``calculated_dose``, the
deviation and the achieved dose per unit (docs/adr/0014-dose-rounding-policy.md); a rounding the
policy refuses is an error naming drug and dose. Nothing here writes to the database.

Measurement age: a dose calculated per m² or per kg (or by a weight rule) is
only issued on a height and weight measured at most ``MEASUREMENT_MAX_AGE_DAYS``
days before issuing. The guideline sets no such limit; 30 days is the app's
choice (one 28-day cycle plus a few days), shown on every plan page.

Start date: within 1900-01-01 … today + 2 years (guidelines/limits.py, the window every
API date keeps too); outside it the date is a typing error, refused naming ``start_date``.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_date, format_quantity, unit_text
from core.messages import with_message_data
from guidelines import limits
from guidelines.labs import egfr
from guidelines.sources import document_name
from patients.facts import facts_for
from regimens import dosing, schema
from regimens.models import Protocol, ProtocolInvalid
from regimens.presenters import schedule_dict
from regimens.refusals import dose_refusal, hospital_limit
from regimens.sheets import flag_items

MEASUREMENT_MAX_AGE_DAYS = 30

# A signature without the fingerprint of the doses the signer was shown, or with another one, is
# refused with this message (patients/actions/, and the signing forms for a missing one).
DOSES_CHANGED = gettext_lazy(
    "The doses have changed since the page was shown (new measurements or a new protocol version): "
    "check the dosing sheet again and sign."
)

# Engine error fields that are plan parameters (the rest are patient data or the protocol).
PLAN_FIELDS = ("start_date", "cycles", "bsa_formula", "reduced_tolerance", "modifications")


@dataclass(frozen=True)
class Preview:
    """A computed plan: the snapshot (without signatures), the points to acknowledge, stale
    measurements (each a message) and a fingerprint of the doses."""

    snapshot: dict
    flags: list
    stale: list
    fingerprint: str


def require_active_protocol(code):
    """The active version of a regimen code, or a ValidationError naming ``regimen`` that says why
    there is none."""
    protocol = Protocol.objects.active().filter(code=code).first()
    if protocol is not None:
        return protocol
    latest = Protocol.objects.filter(code=code).order_by("-version").first()
    if latest is None:
        raise ValidationError({"regimen": _("Unknown regimen %(code)s.") % {"code": code}})
    raise ValidationError({"regimen": _(
        "%(code)s has no active version (version %(version)s is %(status)s): a pharmacist must complete "
        "and activate it before a plan can be made."
    ) % {"code": code, "version": latest.version, "status": latest.status}})


def schema_of(protocol):
    try:
        return protocol.parsed()
    except ProtocolInvalid as exc:
        raise ValidationError({"regimen": _("%(code)s version %(version)s is not valid: %(error)s") % {
            "code": protocol.code, "version": protocol.version, "error": exc}}) from exc


def _lines(proto):
    return [*(d for p in proto.phases for d in p.drugs), *proto.drugs]


def drugs_of(protocol):
    """The drug names of a protocol (for the reduced-tolerance choice)."""
    try:
        return [line.drug for line in _lines(protocol.parsed())]
    except ProtocolInvalid:
        return []


def tolerance_drugs_of(protocol):
    """The drugs «Redusert toleranse» may mark (docs/adr/0024): those with a reduced-tolerance dose in the
    protocol (its tolerance rule) or dose levels (marked: one level below from cycle 1). Other drugs are
    not offered: marking them would change nothing."""
    try:
        proto = protocol.parsed()
    except ProtocolInvalid:
        return []
    with_rule = {line.drug for line in _lines(proto) if any(r.kind == "tolerance" for r in line.rules)}
    with_levels = {levels.drug for levels in proto.dose_levels}
    return [drug for drug in dict.fromkeys(line.drug for line in _lines(proto)) if drug in with_rule | with_levels]


def measurements_needed(proto):
    """Which body measurements the doses depend on: BSA needs height and weight, mg/kg and a weight
    rule need weight."""
    needed = set()
    for line in _lines(proto):
        if line.basis in (schema.Basis.MG_PER_M2, schema.Basis.G_PER_M2):
            needed |= {"height_cm", "weight_kg"}
        elif line.basis == schema.Basis.MG_PER_KG:
            needed.add("weight_kg")
        if any(rule.kind == schema.RuleKind.WEIGHT for rule in line.rules):
            needed.add("weight_kg")
    return needed


def stale_measurements(measurements, needed, today):
    """A message for each needed measurement older than the limit."""
    out = []
    labels = {"height_cm": (_("height"), "height"), "weight_kg": (_("weight"), "weight")}
    for name in ("weight_kg", "height_cm"):
        when = measurements.get(name.replace("_cm", "_date").replace("_kg", "_date"))
        if name not in needed or measurements.get(name) is None or when is None:
            continue
        age = (today - dt.date.fromisoformat(when)).days
        if age > MEASUREMENT_MAX_AGE_DAYS:
            label, kind = labels[name]
            out.append(_(
                "The %(what)s used (%(value)s %(unit)s, measured %(date)s) is %(days)s days old; a plan is "
                "issued only on a %(what)s measured within the last %(limit)s days. Record a new %(what)s."
            ) % {"what": label, "value": format_quantity(measurements[name], kind, unit=False),
                 "unit": unit_text(kind), "date": format_date(when),
                 "days": age, "limit": MEASUREMENT_MAX_AGE_DAYS})
    return out


def check_start_date(value, *, today=None):
    """Refuse a start date outside 1900-01-01 … today + 2 years (a form field error or, from an
    action, a ValidationError naming ``start_date``)."""
    today = today or timezone.localdate()
    if value is not None and not limits.date_in_window(value, today):
        raise ValidationError(
            _("Enter a start date between %(earliest)s and %(latest)s (today + 2 years).") % {
                "earliest": formats.date_format(limits.EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                "latest": formats.date_format(limits.latest_date(today), "SHORT_DATE_FORMAT")},
            code="date_range",
        )
    return value


def _iso(value):
    return value.isoformat() if value else None


def _source_text(protocol):
    text = f"{document_name(protocol.source_document)} — {protocol.source_section}"
    return f"{text} ({protocol.source_table})" if protocol.source_table else text


def compute(patient, protocol, *, start_date, cycles=None, bsa_formula="mosteller", reduced_tolerance=(),
            modifications=(), plan=None, today=None):
    """The plan as it would be issued now. Raises ValidationError naming the field (a plan parameter,
    a patient value or ``regimen``) when the engine refuses."""
    today = today or timezone.localdate()
    try:
        check_start_date(start_date, today=today)
    except ValidationError as exc:
        raise ValidationError({"start_date": exc}) from None
    if not protocol.is_active:
        require_active_protocol(protocol.code)
        raise ValidationError({"regimen": _("%(code)s version %(version)s is not the active version.") % {
            "code": protocol.code, "version": protocol.version}})
    proto = schema_of(protocol)
    facts, sources = facts_for(patient, as_of=today)
    kidney = egfr(facts)
    egfr_source = sources.get("labs.egfr_ml_min") or sources.get("labs.creatinine_umol_l")

    def measured(key):
        return sources[key].date if key in sources else None

    measurements = {
        "height_cm": facts.height_cm, "height_date": _iso(measured("height_cm")),
        "weight_kg": facts.weight_kg, "weight_date": _iso(measured("weight_kg")),
        "egfr_ml_min": kidney.value, "egfr_method": kidney.source,
        "egfr_date": _iso(egfr_source.date) if kidney.value is not None and egfr_source else None,
        "bsa_formula": dosing.BSA_FORMULAS.get(bsa_formula, ("",))[0],
    }
    dosing_patient = dosing.DosingPatient(
        weight_kg=facts.weight_kg, height_cm=facts.height_cm, age=facts.age, egfr_ml_min=kidney.value,
        sex=facts.sex.value if facts.sex else None, weight_measured_on=measured("weight_kg"),
        height_measured_on=measured("height_cm"),
        egfr_measured_on=egfr_source.date if kidney.value is not None and egfr_source else None,
        reduced_tolerance=frozenset(reduced_tolerance or ()),
    )
    try:
        result = dosing.calculate_schedule(
            proto, dosing_patient, start_date=start_date, cycles=cycles, bsa_formula=bsa_formula,
            max_deviation_pct=hospital_limit(),
            modifications=tuple(dosing.Modification.from_dict(m) for m in modifications or ()),
        )
    except dosing.DosingError as exc:
        raise ValidationError({exc.field if exc.field in PLAN_FIELDS else "__all__": dose_refusal(exc)},
                              code=exc.field) from exc
    # each engine text frozen as its English with its message data beside it (core.messages)
    schedule = json.loads(json.dumps(with_message_data(schedule_dict(result))))
    measurements["bsa_m2"] = schedule["bsa_m2"]
    snapshot = {
        "patient": {"name": patient.name, "national_id": patient.national_id,
                    "birth_date": patient.birth_date.isoformat(), "ward": patient.ward,
                    "age": facts.age, "sex": patient.sex},
        "measurements": measurements,
        "protocol": {"code": protocol.code, "name": protocol.name, "version": protocol.version,
                     "source": _source_text(protocol), "protocol_id": protocol.pk},
        "schedule": schedule,
        "plan": {"id": plan.pk if plan else None, "version": plan.version if plan else 1,
                 "status": "draft", "start_date": start_date.isoformat(),
                 "cycles": result.cycles, "bsa_formula": bsa_formula,
                 "reduced_tolerance": sorted(reduced_tolerance or ()),
                 "modifications": list(modifications or ()),
                 "change_reason": plan.change_reason if plan else ""},
        "signatures": [],
    }
    return Preview(
        snapshot=snapshot, flags=flag_items(schedule),
        stale=stale_measurements(measurements, measurements_needed(proto), today),
        fingerprint=fingerprint(snapshot),
    )


def fingerprint(snapshot):
    """A hash of what the physician checks (everything but signatures and plan status)."""
    data = {k: v for k, v in snapshot.items() if k not in ("signatures", "acknowledged_flags")}
    data["plan"] = {k: v for k, v in data.get("plan", {}).items() if k != "status"}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def issued_fingerprint(plan):
    """The fingerprint of an issued plan's frozen doses: the one its page shows the pharmacist and
    ``verify_plan`` compares (equal to the one the physician signed: signatures, status and the
    acknowledgements are not part of it). None for a plan not issued."""
    return fingerprint(plan.snapshot) if plan.snapshot is not None else None


def compute_for(plan, *, today=None):
    """The draft ``plan`` as it would be issued now (its protocol code's active version)."""
    protocol = require_active_protocol(plan.protocol.code)
    return compute(
        plan.patient, protocol, start_date=plan.start_date, cycles=plan.cycles, bsa_formula=plan.bsa_formula,
        reduced_tolerance=plan.reduced_tolerance, modifications=plan.modifications, plan=plan, today=today,
    )
