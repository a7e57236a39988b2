"""Helpers for the treatment plan tests (imported by test_plan*.py and others; the plan patients
``vrd_patient`` and ``patient_75`` are fixtures in tests/patients/conftest.py).

Patient values are chosen so the expected doses can be worked out by hand:
180 cm and 80 kg give a Mosteller BSA of sqrt(180 x 80 / 3600) = sqrt(4) = 2.00 m2.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from patients import actions, identity, plans
from patients.models import TreatmentPlan
from regimens import actions as regimen_actions
from regimens.models import Protocol
from tests.patients.factories import make_patient
from tests.personas import PASSWORD
from tests.regimens.factories import activate, protocol_author


def today():
    return timezone.localdate()


def measure(patient, by, *, days_ago=0, height=180, weight=80, creatinine=80):
    day = today() - datetime.timedelta(days=days_ago)
    actions.record_height_weight(by=by, patient=patient, date=day, height_cm=height, weight_kg=weight)
    if creatinine is not None:
        actions.record_lab_result(by=by, patient=patient, date=day, analyte="creatinine", value=creatinine)


BLOOD_COUNT = {"hemoglobin": 12.5, "neutrophils": 3.0, "platelets": 220, "leukocytes": 6.0}


def record_bloods(patient, by, *, day=None):
    """A normal blood count on ``day`` (today): with ``measure``'s creatinine, every blood test a cycle's
    release shows (treatment_course.release.SHOWN_LABS)."""
    for analyte, value in BLOOD_COUNT.items():
        actions.record_lab_result(by=by, patient=patient, date=day or today(), analyte=analyte, value=value)


def born_years_ago(years, *, days_before=0):
    """A synthetic national identity number for someone exactly ``years`` old today (or a few days more)."""
    now = today()
    try:
        birth = now.replace(year=now.year - years)
    except ValueError:  # 29 February
        birth = now.replace(year=now.year - years, day=28)
    birth -= datetime.timedelta(days=days_before)
    for individual in range(100, 500):
        try:
            return identity.make(birth, individual, synthetic=True)
        except identity.InvalidNationalId:
            continue
    raise AssertionError("no valid number")


def draft(physician, patient, regimen="VRd-induction", **kwargs):
    kwargs.setdefault("start_date", datetime.date(2026, 1, 5))
    return actions.create_plan_draft(by=physician, patient=patient, regimen=regimen, **kwargs)


def shown(plan):
    """The fingerprint the signer's page carries: of the draft's dose preview, or of the issued doses.
    A draft the engine refuses shows no doses (and no fingerprint): the action refuses it first."""
    page = TreatmentPlan.objects.get(pk=plan.pk)  # as a page loads it
    if page.snapshot is not None:
        return plans.fingerprint(page.snapshot)
    try:
        return plans.compute_for(page).fingerprint
    except ValidationError:
        return "no-doses-shown"


def issued(physician, patient, regimen="VRd-induction", acknowledge=(), **kwargs):
    plan = draft(physician, patient, regimen, **kwargs)
    return actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=list(acknowledge),
                              expected_fingerprint=shown(plan))


def verified(physician, pharmacist, patient, regimen="VRd-induction", **kwargs):
    plan = issued(physician, patient, regimen, **kwargs)
    return actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(plan))


START = datetime.date(2026, 1, 5)  # a Monday


def doses(plan, drug):
    return [a for a in plan.snapshot["schedule"]["administrations"] if a["drug"] == drug]


def new_protocol_version(code, user, **line_changes):
    """A pharmacist's edit of ``code``: a new version with changed drug lines, drafted by another
    pharmacist (Eva Berg) and checked and activated by ``user`` (the four-eyes rule)."""
    active = Protocol.objects.get(code=code, status="active")
    data = active.to_schema_data()
    data["drugs"] = [{**line, **line_changes.get(line["drug"], {})} for line in data["drugs"]]
    new = regimen_actions.create_draft_version(data=data, reason="test edit", by=protocol_author())
    return activate(new, user)


def non_round_bsa_patient(by):
    """The patient of issue 14: 168 cm and 72,5 kg measured today (Mosteller sqrt(168 x 72.5 / 3600) =
    1.839384 m2, a non-round BSA), creatinine 80 µmol/L; Anne Testesen, born 14.03.1961."""
    spec = {"name": "Anne Testesen", "born": datetime.date(1961, 3, 14), "sex": "female",
            "ward": "Hematologisk post", "height_weight": [(0, "168", "72.5")], "labs": {"creatinine": [(0, "80")]}}
    return make_patient(spec, today=today(), by=by)
