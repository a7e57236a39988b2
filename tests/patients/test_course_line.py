"""The plan and the treatment line are one course (issue 15 item 1, patients/actions/course.py):
issuing starts or continues the line, a revision keeps it, ending the course ends the line with its
reason, and the rules' treatment history (patients/facts.py) and the response tracker read it.
VRd-induction and R-maintenance are the guideline's («Induksjonsbehandlingen», «Vedlikeholdsbehandling»)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from patients import actions, facts, responses
from patients.models import PlanStatus, TreatmentLine
from tests.patients.plan_helpers import START, issued, shown, today, verified
from tests.personas import PASSWORD

pytestmark = pytest.mark.usefixtures("english")


def _issue(plan, physician):
    return actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(plan))


@pytest.mark.hazard("HAZ-110")
def test_issuing_a_plan_starts_the_line_with_the_protocols_drugs(physician, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=START)
    line = plan.treatment_line
    assert (line.line, line.regimen, line.start_date, line.end_date) == (1, "VRd-induction", START, None)
    assert line.drugs == ["bortezomib", "lenalidomide", "dexamethasone"]
    assert "Started by treatment plan VRd-induction" in line.history.first().history_change_reason
    assert line.history.first().history_user == physician


@pytest.mark.hazard("HAZ-110")
def test_a_revision_keeps_the_line_and_counts_no_new_line(physician, pharmacist, vrd_patient):
    v1 = verified(physician, pharmacist, vrd_patient, start_date=START)
    v2 = _issue(actions.revise_plan(plan=v1, by=physician, reason="Start one week later",
                                    start_date=START + datetime.timedelta(days=7)), physician)
    assert v2.treatment_line_id == v1.treatment_line_id
    assert TreatmentLine.objects.filter(patient=vrd_patient).count() == 1
    assert v2.treatment_line.start_date == START + datetime.timedelta(days=7)  # the line starts with its plan


@pytest.mark.hazard("HAZ-110")
def test_a_new_plan_of_the_regimen_of_an_open_line_continues_it(physician, vrd_patient):
    first = issued(physician, vrd_patient, start_date=START)
    actions.cancel_plan(plan=first, by=physician, reason="Wrong cycles")
    second = issued(physician, vrd_patient, start_date=START, cycles=2)
    assert second.treatment_line_id == first.treatment_line_id
    other = issued(physician, vrd_patient, regimen="R-maintenance", cycles=1,
                   start_date=START + datetime.timedelta(days=90))
    assert other.treatment_line.line == 2 and other.treatment_line.regimen == "R-maintenance"


@pytest.mark.hazard("HAZ-110")
def test_a_line_typed_by_hand_cannot_start_in_the_future_but_a_plans_line_may(physician, vrd_patient):
    later = today() + datetime.timedelta(days=14)
    with pytest.raises(ValidationError) as exc:
        actions.record_treatment_line(by=physician, patient=vrd_patient, line=1, regimen="VRd",
                                      drugs=["bortezomib"], start_date=later)
    assert "start_date" in exc.value.error_dict
    plan = issued(physician, vrd_patient, start_date=later)
    assert plan.treatment_line.start_date == later
    # the rules do not see a line before it starts
    assert facts.facts_for(vrd_patient, as_of=today())[0].treatment_history == ()


@pytest.mark.hazard("HAZ-110")
def test_ending_with_progression_gives_the_rules_the_progression_date(physician, pharmacist, vrd_patient):
    start = today() - datetime.timedelta(days=120)
    plan = verified(physician, pharmacist, vrd_patient, start_date=start)
    progressed = today() - datetime.timedelta(days=3)
    ended = actions.end_course(plan=plan, by=physician, end_reason="progression", end_date=today(),
                               progression_date=progressed, note="M-component rising")
    assert ended.status == PlanStatus.ENDED and not ended.can_print and not ended.can_revise
    line = TreatmentLine.objects.get(pk=plan.treatment_line_id)
    assert (line.end_date, line.end_reason, line.progression_date) == (today(), "progression", progressed)
    history = facts.facts_for(vrd_patient, as_of=today())[0].treatment_history
    assert [(h.line, h.regimen, h.progression_date) for h in history] == [(1, "VRd-induction", progressed)]
    assert "Course ended (progression): M-component rising" in ended.history.first().history_change_reason


def test_the_response_tracker_reads_the_plans_line(physician, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=today() - datetime.timedelta(days=30))
    assert responses.current_line(vrd_patient).pk == plan.treatment_line_id


@pytest.mark.hazard("HAZ-110")
def test_progression_needs_its_date(physician, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=today() - datetime.timedelta(days=60))
    with pytest.raises(ValidationError) as exc:
        actions.end_course(plan=plan, by=physician, end_reason="progression", end_date=today())
    assert "progression_date" in exc.value.error_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.treatment_line.end_date is None


@pytest.mark.parametrize(("reason", "note", "field"), [
    ("", "", "end_reason"), ("other", "", "note"), ("sideways", "x", "end_reason")])
def test_ending_needs_a_known_reason_and_a_note_for_other(physician, vrd_patient, reason, note, field):
    plan = issued(physician, vrd_patient, start_date=today() - datetime.timedelta(days=60))
    with pytest.raises(ValidationError) as exc:
        actions.end_course(plan=plan, by=physician, end_reason=reason, end_date=today(), note=note)
    assert field in exc.value.error_dict


def test_intolerance_names_drugs_of_the_line(physician, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=today() - datetime.timedelta(days=60))
    with pytest.raises(ValidationError) as exc:
        actions.end_course(plan=plan, by=physician, end_reason="intolerance", end_date=today(),
                           intolerant_to=["pomalidomide"])
    assert "intolerant_to" in exc.value.error_dict
    actions.end_course(plan=plan, by=physician, end_reason="intolerance", end_date=today(),
                       intolerant_to=["bortezomib"], note="Neuropathy grade 3")
    assert TreatmentLine.objects.get(pk=plan.treatment_line_id).intolerant_to == ["bortezomib"]


def test_only_the_prescribing_role_ends_a_course(physician, pharmacist, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=today() - datetime.timedelta(days=60))
    with pytest.raises(PermissionDenied):
        actions.end_course(plan=plan, by=pharmacist, end_reason="completed", end_date=today())


def test_a_draft_cannot_be_ended(physician, vrd_patient):
    plan = actions.create_plan_draft(by=physician, patient=vrd_patient, regimen="VRd-induction", start_date=START)
    with pytest.raises(ValidationError, match="only an issued or verified plan can be ended"):
        actions.end_course(plan=plan, by=physician, end_reason="completed", end_date=today())


# --- the view --------------------------------------------------------------------------

def _end_url(plan):
    return reverse("patients:plan_end", args=[plan.patient_id, plan.pk])


def test_the_plan_page_shows_its_line_and_the_end_form(client_for, physician, nurse, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=START)
    page = client_for(physician).get(reverse("patients:plan_detail", args=[vrd_patient.pk, plan.pk])).text
    assert "Behandlingslinje 1 (VRd-induction), fra 05.01.2026" in page and 'data-testid="end-form"' in page
    page = client_for(nurse).get(reverse("patients:plan_detail", args=[vrd_patient.pk, plan.pk])).text
    assert 'data-testid="plan-line"' in page and 'data-testid="end-form"' not in page


def test_the_end_view_refuses_a_nurse(client_for, physician, nurse, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=today() - datetime.timedelta(days=60))
    response = client_for(nurse).post(_end_url(plan), {"end_reason": "completed", "end_date": today().isoformat(),
                                                       "lock_version": plan.lock_version})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_the_end_view_names_the_missing_progression_date_in_norwegian(client_for, physician, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=today() - datetime.timedelta(days=60))
    response = client_for(physician).post(_end_url(plan), {
        "end_reason": "progression", "end_date": today().isoformat(), "lock_version": plan.lock_version})
    assert response.status_code == 422
    assert "En linje som ble avsluttet med progresjon, trenger progresjonsdatoen." in response.text


def test_the_end_view_ends_the_course(client_for, physician, vrd_patient):
    plan = issued(physician, vrd_patient, start_date=today() - datetime.timedelta(days=60))
    response = client_for(physician).post(_end_url(plan), {
        "end_reason": "completed", "end_date": today().isoformat(), "lock_version": plan.lock_version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENDED and plan.treatment_line.end_reason == "completed"
