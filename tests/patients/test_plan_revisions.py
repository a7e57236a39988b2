"""Treatment plan actions: revision, cancellation, and plans on a superseded protocol version. Doses
are worked out by hand from the guideline's tables (Handlingsprogram for myelomatose,
"Induksjonsbehandlingen": VRd = bortezomib 1.3 mg/m2 d 1, 8, 15; lenalidomide 25 mg d 1-21 (eGFR
<30: 15 mg); dexamethasone 40 mg d 1, 8, 15, 22; 28-day cycles)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patients import actions
from patients.models import PlanStatus, TreatmentPlan
from regimens.models import Protocol
from tests.patients.plan_helpers import START, doses, draft, issued, measure, new_protocol_version, shown, verified
from tests.personas import PASSWORD

pytestmark = pytest.mark.usefixtures("english")  # these tests read the messages in English


# --- revise_plan ----------------------------------------------------------------

def test_revise_plan_makes_a_new_draft_version_and_supersedes_on_issue(physician, pharmacist, vrd_patient):
    v1 = verified(physician, pharmacist, vrd_patient, start_date=START)
    v1_snapshot = v1.snapshot
    v2 = actions.revise_plan(plan=v1, by=physician, reason="Start postponed one week", start_date=START
                             + datetime.timedelta(days=7))
    assert (v2.version, v2.previous, v2.status, v2.change_reason) == (2, v1, "draft", "Start postponed one week")
    v1.refresh_from_db()
    assert v1.status == PlanStatus.VERIFIED  # until the revision is issued
    v2 = actions.issue_plan(plan=v2, by=physician, password=PASSWORD,
                            acknowledged_flags=[], expected_fingerprint=shown(v2))
    v1.refresh_from_db()
    assert v1.status == PlanStatus.SUPERSEDED and v1.snapshot == v1_snapshot
    assert doses(v2, "bortezomib")[0]["date"] == "2026-01-12"
    assert v2.snapshot["plan"]["change_reason"] == "Start postponed one week"
    assert "Superseded by version 2" in v1.history.first().history_change_reason


def test_revise_plan_with_a_dose_change(physician, patient):
    # R-maintenance: lenalidomide 15 mg; "Hvis dårlig toleranse under induksjon: 10 mg".
    measure(patient, physician)
    v1 = issued(physician, patient, regimen="R-maintenance", cycles=1)
    v2 = actions.revise_plan(plan=v1, by=physician, reason="Poor tolerance", reduced_tolerance=["lenalidomide"])
    v2 = actions.issue_plan(plan=v2, by=physician, password=PASSWORD,
                            acknowledged_flags=[], expected_fingerprint=shown(v2))
    assert {a["dose"] for a in doses(v1, "lenalidomide")} == {15}
    assert {a["dose"] for a in doses(v2, "lenalidomide")} == {10}


def test_revise_plan_requires_a_reason(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    with pytest.raises(ValidationError) as exc:
        actions.revise_plan(plan=plan, by=physician, reason="  ", cycles=2)
    assert "change_reason" in exc.value.error_dict
    assert TreatmentPlan.objects.count() == 1


def test_revise_plan_refuses_a_draft(physician, vrd_patient):
    with pytest.raises(ValidationError, match="only an issued or verified plan can be revised"):
        actions.revise_plan(plan=draft(physician, vrd_patient), by=physician, reason="x")


def test_revise_plan_refuses_a_second_open_revision(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    actions.revise_plan(plan=plan, by=physician, reason="first")
    with pytest.raises(ValidationError, match="already exists"):
        actions.revise_plan(plan=plan, by=physician, reason="second")


def test_revision_of_a_cancelled_plan_cannot_be_issued(physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    revision = actions.revise_plan(plan=plan, by=physician, reason="two cycles", cycles=2)
    actions.cancel_plan(plan=plan, by=physician, reason="Treatment stopped")
    with pytest.raises(ValidationError, match="is cancelled"):
        actions.issue_plan(plan=revision, by=physician, password=PASSWORD, acknowledged_flags=[],
                           expected_fingerprint=shown(revision))


def test_version_after_the_first_needs_a_reason(physician, vrd_patient):
    plan = TreatmentPlan(patient=vrd_patient, protocol=Protocol.objects.get(code="VRd-induction", status="active"),
                         start_date=START, version=2, created_by=physician)
    with pytest.raises(ValidationError) as exc:
        plan.full_clean()
    assert "change_reason" in exc.value.error_dict


# --- cancel_plan ----------------------------------------------------------------

def test_cancel_plan(physician, vrd_patient):
    plan = actions.cancel_plan(plan=issued(physician, vrd_patient), by=physician, reason="Patient declined")
    assert plan.status == PlanStatus.CANCELLED and plan.cancel_reason == "Patient declined"
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        actions.cancel_plan(plan=plan, by=physician, reason="again")


def test_cancel_plan_requires_a_reason_and_the_right(physician, nurse, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError):
        actions.cancel_plan(plan=plan, by=physician, reason="")
    with pytest.raises(PermissionDenied):
        actions.cancel_plan(plan=plan, by=nurse, reason="not mine")
    with pytest.raises(ValidationError, match="only a draft can be issued"):
        actions.issue_plan(plan=actions.cancel_plan(plan=plan, by=physician, reason="wrong regimen"), by=physician,
                           password=PASSWORD, acknowledged_flags=[], expected_fingerprint=shown(plan))


# --- superseded protocol --------------------------------------------------------

def test_plan_issued_on_a_superseded_protocol_is_flagged(physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    assert plan.on_superseded_protocol is False
    new_protocol_version("VRd-induction", pharmacist, bortezomib={"dose": 1.0})
    plan.refresh_from_db()
    assert plan.on_superseded_protocol is True
    assert {a["dose"] for a in doses(plan, "bortezomib")} == {2.6}  # the frozen snapshot is unchanged


def test_draft_is_issued_on_the_protocol_version_active_at_issue(physician, pharmacist, vrd_patient):
    plan = draft(physician, vrd_patient)
    old = plan.protocol
    new = new_protocol_version("VRd-induction", pharmacist, bortezomib={"dose": 1.0})
    plan = actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(plan))
    assert plan.protocol == new != old and plan.on_superseded_protocol is False
    # 1.0 mg/m2 x 2.00 m2 = 2 mg
    assert {a["dose"] for a in doses(plan, "bortezomib")} == {2.0}
