"""Treatment plan actions: drafting and issuing a plan, and the issued plan as an immutable snapshot.
Doses are worked out by hand from the guideline's tables (Handlingsprogram for myelomatose,
"Induksjonsbehandlingen": VRd = bortezomib 1.3 mg/m2 d 1, 8, 15; lenalidomide 25 mg d 1-21 (eGFR
<30: 15 mg); dexamethasone 40 mg d 1, 8, 15, 22; 28-day cycles)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patients import actions, plans
from patients.models import PlanLocked, PlanStatus, TreatmentPlan
from regimens.models import Protocol
from tests.patients.plan_helpers import START, doses, draft, issued, measure, shown, today, verified
from tests.personas import PASSWORD

pytestmark = pytest.mark.usefixtures("english")  # these tests read the messages in English


# --- create_plan_draft ----------------------------------------------------------

def test_create_plan_draft_on_the_active_protocol_version(physician, vrd_patient):
    plan = draft(physician, vrd_patient, cycles=2)
    assert plan.status == PlanStatus.DRAFT and plan.version == 1 and plan.previous is None
    assert plan.protocol == Protocol.objects.get(code="VRd-induction", status="active")
    assert plan.snapshot is None
    assert plan.history.first().history_user == physician



@pytest.mark.hazard("HAZ-027")
@pytest.mark.parametrize("start", [datetime.date(9999, 12, 31), datetime.date(1, 1, 1), datetime.date(1899, 12, 31)],
                         ids=["year-9999", "year-1", "1899"])
def test_create_plan_draft_refuses_a_start_date_outside_the_window(physician, vrd_patient, start):
    with pytest.raises(ValidationError) as exc:
        draft(physician, vrd_patient, start_date=start, cycles=1)
    assert list(exc.value.error_dict) == ["start_date"]
    assert not TreatmentPlan.objects.exists()
    with pytest.raises(ValidationError) as exc:
        plans.compute(vrd_patient, Protocol.objects.get(code="VRd-induction", status="active"), start_date=start)
    assert list(exc.value.error_dict) == ["start_date"]

def test_create_plan_draft_refuses_a_regimen_with_only_a_draft_protocol(physician, vrd_patient):
    # Isa-Pd: the guideline names the regimen without a dosing table, so the library holds a draft only.
    with pytest.raises(ValidationError) as exc:
        draft(physician, vrd_patient, regimen="Isa-Pd", cycles=1)
    assert "no active version" in str(exc.value) and "Isa-Pd" in str(exc.value)
    assert not TreatmentPlan.objects.exists()


def test_create_plan_draft_refuses_an_unknown_regimen(physician, vrd_patient):
    with pytest.raises(ValidationError, match="Unknown regimen"):
        draft(physician, vrd_patient, regimen="No-such-regimen")


@pytest.mark.parametrize("persona", ["nurse", "pharmacist"], ids=["nurse", "pharmacist"])
def test_create_plan_draft_refuses_a_role_without_issue_right(request, persona, vrd_patient):
    with pytest.raises(PermissionDenied):
        draft(request.getfixturevalue(persona), vrd_patient)


def test_create_plan_draft_refuses_reduced_tolerance_for_a_drug_not_in_the_regimen(physician, vrd_patient):
    with pytest.raises(ValidationError) as exc:
        draft(physician, vrd_patient, reduced_tolerance=["pomalidomide"])
    assert "reduced_tolerance" in exc.value.error_dict
    assert not TreatmentPlan.objects.exists()


def test_create_plan_draft_refuses_more_cycles_than_the_protocol_plans(physician, vrd_patient):
    # VRd before HMAS: 6 cycles of 28 days.
    with pytest.raises(ValidationError) as exc:
        draft(physician, vrd_patient, cycles=7)
    assert "cycles" in exc.value.error_dict


# --- issue_plan -----------------------------------------------------------------

def test_issue_plan_freezes_the_dosing_sheet_snapshot_with_the_signature(physician, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=START)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED
    snap = plan.snapshot
    assert snap["patient"]["name"] == "Anne Testesen"
    assert snap["patient"]["national_id"] == vrd_patient.national_id
    m = snap["measurements"]
    assert (m["height_cm"], m["weight_kg"]) == (180, 80)
    assert m["height_date"] == m["weight_date"] == today().isoformat()
    assert m["bsa_m2"] == 2.0 and m["bsa_formula"].startswith("Mosteller")
    assert m["egfr_date"] == today().isoformat() and m["egfr_ml_min"] > 30
    assert snap["protocol"]["code"] == "VRd-induction" and snap["protocol"]["version"] == plan.protocol.version
    assert "Induksjonsbehandlingen" in snap["protocol"]["source"]
    assert snap["plan"] == {**snap["plan"], "id": plan.pk, "version": 1, "start_date": "2026-01-05", "cycles": 6}
    # 1.3 mg/m2 x 2.00 m2 = 2.6 mg on day 1, 8, 15 of each of 6 cycles
    bortezomib = doses(plan, "bortezomib")
    assert len(bortezomib) == 18
    assert {a["dose"] for a in bortezomib} == {2.6}
    assert [a["date"] for a in bortezomib[:3]] == ["2026-01-05", "2026-01-12", "2026-01-19"]
    assert bortezomib[0]["working"]["formula"] == "1.3 mg/m2 x BSA 2.0000 m2 = 2.6 mg"
    # lenalidomide 25 mg day 1-21 (eGFR above 30); dexamethasone 40 mg day 1, 8, 15, 22
    assert len(doses(plan, "lenalidomide")) == 6 * 21 and {a["dose"] for a in doses(plan, "lenalidomide")} == {25}
    assert len(doses(plan, "dexamethasone")) == 6 * 4 and {a["dose"] for a in doses(plan, "dexamethasone")} == {40}
    assert any("valaciklovir" in s for s in snap["schedule"]["supportive_care"])
    [signature] = snap["signatures"]
    assert signature["meaning"] == "Forordnet / issued" and signature["name"] == "Kari Hansen"
    assert plan.issued_by == physician and plan.issued_meaning == "Forordnet / issued"
    assert plan.history.first().history_change_reason == "Issued"


def test_issue_plan_refuses_a_wrong_password(physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError) as exc:
        actions.issue_plan(plan=plan, by=physician, password="not-my-password", acknowledged_flags=[],
                           expected_fingerprint=shown(plan))
    assert "password" in exc.value.error_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.snapshot is None and plan.issued_by is None


@pytest.mark.parametrize("persona", ["nurse", "pharmacist"], ids=["nurse", "pharmacist"])
def test_issue_plan_refuses_a_role_without_issue_right(request, persona, physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(PermissionDenied):
        actions.issue_plan(plan=plan, by=request.getfixturevalue(persona), password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(plan))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_issue_plan_refuses_an_unacknowledged_age_boundary_flag(physician, patient_75):
    # DRd: "Deksametason (peroralt) <75 år: 40 mg / >75 år: 20 mg" leaves exactly 75 undefined.
    plan = draft(physician, patient_75, regimen="DRd", cycles=1)
    others = [f["key"] for f in plans.compute_for(plan).flags if f["kind"] != "age"]  # DRd's renal note
    with pytest.raises(ValidationError) as exc:
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=others,
                           expected_fingerprint=shown(plan))
    [message] = exc.value.messages
    assert "dexamethasone" in message and "<75 år: 40 mg / >75 år: 20 mg" in message
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_issue_plan_with_the_age_boundary_flag_acknowledged(physician, patient_75):
    plan = draft(physician, patient_75, regimen="DRd", cycles=1)
    flags = plans.compute_for(plan).flags
    [age_flag] = [f for f in flags if f["kind"] == "age"]
    assert age_flag["drug"] == "dexamethasone" and age_flag["value"] == 75
    keys = [f["key"] for f in flags]
    plan = actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=keys,
                              expected_fingerprint=shown(plan))
    assert plan.status == PlanStatus.ISSUED
    assert age_flag["key"] in plan.acknowledged_flags
    # "<75 år: 40 mg / >75 år: 20 mg" leaves 75 undefined; the protocol takes the reduction at the
    # boundary ("Steroider ... bør dosereduseres først", "Ved tvil er det bedre å gå ned i dose"), flagged
    assert {a["dose"] for a in doses(plan, "dexamethasone")} == {20}
    assert any(f.get("value") == 75 for f in plan.snapshot["schedule"]["flags"])


def test_issue_plan_refuses_an_unacknowledged_protocol_ambiguity(physician, vrd_patient):
    # Isa-VRd before HMAS: "Syklus 1: Dag 1, 8, 15, 22 / Syklus 3 og videre: Dag 1, 15" - cycle 2 unstated.
    plan = draft(physician, vrd_patient, regimen="Isa-VRd-induction", cycles=2)
    with pytest.raises(ValidationError) as exc:
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(plan))
    assert "Syklus 3 og videre" in " ".join(exc.value.messages)
    keys = [f["key"] for f in plans.compute_for(plan).flags]
    plan = actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=keys,
                              expected_fingerprint=shown(plan))
    assert plan.status == PlanStatus.ISSUED
    # isatuximab 10 mg/kg x 80 kg = 800 mg; cycle 2 on day 1 and 15 (the interpretation acknowledged)
    isatuximab = doses(plan, "isatuximab")
    assert [(a["cycle"], a["day"]) for a in isatuximab] == [(1, 1), (1, 8), (1, 15), (1, 22), (2, 1), (2, 15)]
    assert {a["dose"] for a in isatuximab} == {800}


@pytest.mark.parametrize(
    ("days_ago", "refused"),
    [(plans.MEASUREMENT_MAX_AGE_DAYS, False), (plans.MEASUREMENT_MAX_AGE_DAYS + 1, True)],
    ids=["weight-30-days-old-accepted", "weight-31-days-old-refused"],
)
def test_issue_plan_refuses_a_weight_older_than_the_limit(physician, patient, days_ago, refused):
    old = today() - datetime.timedelta(days=days_ago)
    actions.record_height_weight(by=physician, patient=patient, date=old, weight_kg=80)
    actions.record_height_weight(by=physician, patient=patient, date=today(), height_cm=180)
    actions.record_lab_result(by=physician, patient=patient, date=today(), analyte="creatinine", value=80)
    plan = draft(physician, patient)
    if refused:
        with pytest.raises(ValidationError) as exc:
            actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                               expected_fingerprint=shown(plan))
        message = " ".join(exc.value.messages)
        assert "weight" in message and old.strftime("%d.%m.%Y") in message and "31 days" in message
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT
    else:
        assert actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                                  expected_fingerprint=shown(plan)).status == "issued"


@pytest.mark.hazard("HAZ-004")
def test_issue_plan_refuses_a_stale_height_for_a_bsa_dose(physician, patient):
    old = today() - datetime.timedelta(days=400)
    actions.record_height_weight(by=physician, patient=patient, date=old, height_cm=180)
    measure(patient, physician, height=None)
    plan = draft(physician, patient)
    with pytest.raises(ValidationError, match="height"):
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(plan))


def test_issue_plan_does_not_ask_for_a_fresh_weight_for_a_flat_dose(physician, patient):
    # R-maintenance: lenalidomide 15 mg flat; no dose depends on weight or height.
    measure(patient, physician, days_ago=200)
    plan = draft(physician, patient, regimen="R-maintenance", cycles=1)
    assert actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(plan)).status == "issued"


def test_issue_plan_refuses_when_height_is_missing(physician, patient):
    actions.record_height_weight(by=physician, patient=patient, date=today(), weight_kg=80)
    plan = draft(physician, patient)
    with pytest.raises(ValidationError, match="height_cm"):
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(plan))


def test_issue_plan_refuses_doses_that_changed_since_they_were_shown(physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    shown = plans.compute_for(plan).fingerprint
    measure(vrd_patient, physician, weight=90)  # a new weight after the page was shown
    with pytest.raises(ValidationError, match="changed since the page was shown"):
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD,
                           acknowledged_flags=[], expected_fingerprint=shown)



@pytest.mark.hazard("HAZ-025")
@pytest.mark.parametrize("given", [None, ""], ids=["missing", "empty"])
def test_issue_plan_refuses_a_missing_or_empty_fingerprint_like_changed_doses(physician, vrd_patient, given):
    # Nobody signs doses their page did not show them: no fingerprint is treated as doses that changed.
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError, match="changed since the page was shown") as refused:
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD,
                           acknowledged_flags=[], expected_fingerprint=given)
    assert refused.value.code == "doses_changed"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.snapshot is None


@pytest.mark.hazard("HAZ-025")
def test_issue_plan_needs_the_fingerprint_argument(physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(TypeError, match="expected_fingerprint"):
        actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT

def test_issue_plan_twice_is_refused(physician, second_physician, vrd_patient):
    plan = draft(physician, vrd_patient)
    stale_copy = TreatmentPlan.objects.get(pk=plan.pk)
    actions.issue_plan(plan=plan, by=physician, password=PASSWORD,
                       acknowledged_flags=[], expected_fingerprint=shown(plan))
    # The second signer loaded the draft before it was issued: refused, naming who issued it.
    with pytest.raises(ValidationError, match="changed by Kari Hansen at .* since you opened it") as refused:
        actions.issue_plan(plan=stale_copy, by=second_physician, password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(stale_copy))
    assert refused.value.code == "stale"
    plan.refresh_from_db()
    assert plan.issued_by == physician and len(plan.snapshot["signatures"]) == 1


# --- immutability ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("field", "value"),
    [("start_date", datetime.date(2026, 2, 2)), ("cycles", 2), ("bsa_formula", "dubois"),
     ("reduced_tolerance", ["lenalidomide"]), ("snapshot", {"tampered": True}), ("acknowledged_flags", ["x"])],
    ids=["start_date", "cycles", "bsa_formula", "reduced_tolerance", "snapshot", "acknowledged_flags"],
)
def test_issued_plan_cannot_be_edited(physician, vrd_patient, field, value):
    plan = issued(physician, vrd_patient)
    before = plan.snapshot
    setattr(plan, field, value)
    with pytest.raises(PlanLocked):
        plan.save()
    plan.refresh_from_db()
    assert plan.snapshot == before


def test_issued_plan_snapshot_is_not_changed_by_editing_the_nested_dict(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    plan.snapshot["schedule"]["administrations"][0]["dose"] = 26
    with pytest.raises(PlanLocked):
        plan.save()


def test_plan_status_cannot_change_outside_the_actions(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    plan.status = PlanStatus.VERIFIED
    with pytest.raises(PlanLocked):
        plan.save()


def test_issued_plan_cannot_be_deleted(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    with pytest.raises(PlanLocked):
        plan.delete()
    assert TreatmentPlan.objects.filter(pk=plan.pk).exists()


def test_verification_signature_cannot_be_changed(physician, pharmacist, vrd_patient):
    plan = verified(physician, pharmacist, vrd_patient)
    plan.verified_signature = {**plan.verified_signature, "name": "Someone Else"}
    with pytest.raises(PlanLocked):
        plan.save()
