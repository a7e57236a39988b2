"""A plan's status rules, in one place on the model (patients/models/plans.py, PLAN_ACTS): what a
plan in each status allows. The plan's life: a draft is issued (signed by a physician) or cancelled;
an issued plan is verified (countersigned by a pharmacist), returned to the physician (by a pharmacist),
revised or cancelled; a returned plan is revised or cancelled; only a verified plan is printed; a
superseded, cancelled or ended plan allows nothing; an issued or verified plan's course is ended
(issue 15 item 1: the plan and its treatment line end together)."""

import pytest

from patients.models import PLAN_TRANSITIONS, PlanStatus, TreatmentPlan

ALLOWED = {
    "draft": {"issue", "cancel"},
    "issued": {"verify", "return", "revise", "cancel", "end"},
    "verified": {"revise", "cancel", "print", "end"},
    "returned": {"revise", "cancel"},
    "superseded": set(),
    "cancelled": set(),
    "ended": set(),
}


@pytest.mark.parametrize("status", list(ALLOWED))
def test_what_each_status_allows(status):
    plan = TreatmentPlan(status=status)
    allowed = {act for act in ("issue", "verify", "return", "revise", "cancel", "print", "end")
               if getattr(plan, f"can_{act}")}
    assert allowed == ALLOWED[status]


def test_the_status_steps_follow_the_acts():
    assert PLAN_TRANSITIONS == {
        PlanStatus.DRAFT: {PlanStatus.ISSUED, PlanStatus.CANCELLED},
        PlanStatus.ISSUED: {PlanStatus.VERIFIED, PlanStatus.RETURNED, PlanStatus.SUPERSEDED, PlanStatus.CANCELLED,
                            PlanStatus.ENDED},
        PlanStatus.VERIFIED: {PlanStatus.SUPERSEDED, PlanStatus.CANCELLED, PlanStatus.ENDED},
        PlanStatus.RETURNED: {PlanStatus.SUPERSEDED, PlanStatus.CANCELLED},
        PlanStatus.SUPERSEDED: set(),
        PlanStatus.CANCELLED: set(),
        PlanStatus.ENDED: set(),
    }
    assert TreatmentPlan.TRANSITIONS is PLAN_TRANSITIONS


def test_only_a_draft_may_be_deleted():
    assert [status for status in ALLOWED if TreatmentPlan(status=status).allows("delete")] == ["draft"]
