"""The pharmacist returns an issued plan to the physician instead of verifying it (four eyes: the
second person may say no): the plan is then neither verified nor printed, and the physician revises it
(the revision supersedes it when issued) or cancels it. Action and view (anonymous, wrong role,
invalid input, success)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from patients import actions
from patients.models import PlanStatus
from tests.patients.plan_helpers import draft, issued, shown
from tests.personas import PASSWORD, in_english

pytestmark = pytest.mark.usefixtures("english")

REASON = "Lenalidomide 25 mg: eGFR 28 on yesterday's creatinine, the renal dose is 15 mg."


@pytest.mark.hazard("HAZ-077")
def test_a_returned_plan_can_be_neither_verified_nor_printed_only_revised_or_cancelled(
        physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    actions.return_plan(plan=plan, by=pharmacist, reason=REASON)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == REASON and plan.returned_by == pharmacist
    assert plan.verified_by is None and not plan.can_verify and not plan.can_print
    with pytest.raises(ValidationError, match="only an issued plan can be verified"):
        actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(plan))
    # the physician revises it; issuing the revision supersedes the returned plan
    revision = actions.revise_plan(plan=plan, by=physician, reason="Renal dose of lenalidomide")
    actions.issue_plan(plan=revision, by=physician, password=PASSWORD, acknowledged_flags=[],
                       expected_fingerprint=shown(revision))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED and plan.return_reason == REASON


def test_a_returned_plan_can_be_cancelled(physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    actions.return_plan(plan=plan, by=pharmacist, reason=REASON)
    plan.refresh_from_db()
    actions.cancel_plan(plan=plan, by=physician, reason="Wrong regimen")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED


@pytest.mark.hazard("HAZ-077")
@pytest.mark.parametrize("persona", ["second_physician", "nurse"], ids=["physician", "nurse"])
def test_return_plan_refuses_a_role_without_the_verify_right(request, persona, physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    with pytest.raises(PermissionDenied):
        actions.return_plan(plan=plan, by=request.getfixturevalue(persona), reason=REASON)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_return_plan_refuses_the_issuer(admin_user, vrd_patient):
    plan = issued(admin_user, vrd_patient)  # the administrator holds both rights
    with pytest.raises(ValidationError, match="You issued this plan"):
        actions.return_plan(plan=plan, by=admin_user, reason=REASON)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501], ids=["empty", "blank", "too long"])
def test_return_plan_needs_a_reason(physician, pharmacist, vrd_patient, reason):
    plan = issued(physician, vrd_patient)
    with pytest.raises(ValidationError) as exc:
        actions.return_plan(plan=plan, by=pharmacist, reason=reason)
    assert "return_reason" in exc.value.error_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.return_reason == ""


def test_return_plan_refuses_a_draft_and_a_verified_plan(physician, pharmacist, vrd_patient):
    plan = draft(physician, vrd_patient)
    with pytest.raises(ValidationError, match="only an issued plan can be returned"):
        actions.return_plan(plan=plan, by=pharmacist, reason=REASON)
    plan = issued(physician, vrd_patient, regimen="VRd-induction")
    actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(plan))
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="only an issued plan can be returned"):
        actions.return_plan(plan=plan, by=pharmacist, reason=REASON)


# --- the view --------------------------------------------------------------------------


def _url(plan):
    return reverse("patients:plan_return", args=[plan.patient_id, plan.pk])


def test_plan_return_anonymous_redirects_to_login(client, physician, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = client.post(_url(plan), {"reason": REASON, "lock_version": plan.lock_version})
    assert response.status_code == 302 and "login" in response["Location"]


def test_plan_return_wrong_role_is_forbidden(client_for, physician, nurse, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = client_for(nurse).post(_url(plan), {"reason": REASON, "lock_version": plan.lock_version})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_plan_return_without_a_reason_says_so(client_for, physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    response = in_english(client_for(pharmacist)).post(
        _url(plan), {"reason": "", "lock_version": plan.lock_version}, follow=True)
    assert "Say why the plan is returned." in response.text
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_plan_return_success_shows_the_reason_to_the_physician(client_for, physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient)
    detail = client_for(pharmacist).get(reverse("patients:plan_detail", args=[vrd_patient.pk, plan.pk])).text
    assert 'data-testid="return-form"' in detail and 'data-testid="verify-form"' in detail
    response = client_for(pharmacist).post(_url(plan), {"reason": REASON, "lock_version": plan.lock_version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    detail = client_for(physician).get(reverse("patients:plan_detail", args=[vrd_patient.pk, plan.pk])).text
    assert 'data-testid="return-reason"' in detail and escape(REASON) in detail and "Per Lie" in detail
    assert 'data-testid="return-form"' not in detail and 'data-testid="verify-form"' not in detail
