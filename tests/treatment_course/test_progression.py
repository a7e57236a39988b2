"""Progression found in the lab series is proposed, and the physician confirms or rejects it (issue 15 item 5)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from patients import actions
from patients.models import TreatmentLine
from tests.patients.factories import make_patient
from treatment_course import progression
from treatment_course.models import ProgressionProposal, ProposalStatus

pytestmark = pytest.mark.hazard("HAZ-133")


@pytest.fixture
def progressing(db, physician, patient):
    """Serum M 30 g/L before the line; 10 g/L (PR), then 20 and 21 g/L: a rise of 10 g/L from the nadir.

    Tabell 8.2, PD: «Økning på ≥ 25 % fra laveste verdi … Serum M-komponent (absolutt økning må være ≥ 5 g/L)»;
    confirmed by the next assessment, dated to the first (response_series CONFIRMATION_AMBIGUITY)."""
    today = timezone.localdate()
    ago = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    actions.record_lab_result(by=physician, patient=patient, date=ago(120), analyte="m_protein", value="30",
                              isotype="IgG")
    line = actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd",
                                         drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=ago(110))
    for days, value in ((80, "10"), (50, "20"), (20, "21")):
        actions.record_lab_result(by=physician, patient=patient, date=ago(days), analyte="m_protein", value=value)
    return line, ago


def test_progression_in_the_labs_is_proposed_once(progressing):
    line, ago = progressing
    first = progression.propose(line)
    assert first is not None and first.progression_date == ago(50) and first.confirmed_on == ago(20)
    assert progression.propose(line) == first
    assert list(progression.pending_progression_proposals()) == [first]


def test_confirm_sets_the_progression_date_and_leaves_the_pending_list(progressing, physician):
    line, ago = progressing
    proposal = progression.propose(line)
    decision = progression.confirm(proposal=proposal, by=physician)
    assert decision.status == ProposalStatus.CONFIRMED and decision.decided_by == physician
    assert TreatmentLine.objects.get(pk=line.pk).progression_date == ago(50)
    assert not progression.pending_progression_proposals().exists()
    with pytest.raises(ValidationError):
        progression.reject(proposal=proposal, by=physician, reason="late")


def test_reject_needs_a_reason_and_leaves_the_line(progressing, physician):
    line, _ago = progressing
    proposal = progression.propose(line)
    with pytest.raises(ValidationError):
        progression.reject(proposal=proposal, by=physician, reason="  ")
    decision = progression.reject(proposal=proposal, by=physician, reason="Lab error, resampled")
    assert decision.reason == "Lab error, resampled"
    assert TreatmentLine.objects.get(pk=line.pk).progression_date is None
    with pytest.raises(ValueError):
        ProgressionProposal.objects.get(pk=proposal.pk).delete()


def test_decision_view_confirms(progressing, client_for, physician):
    line, ago = progressing
    page = client_for(physician).get(reverse("patients:responses", args=[line.patient_id]))
    assert 'data-testid="progression-proposal"' in page.text
    proposal = ProgressionProposal.objects.get()
    answer = client_for(physician).post(reverse("course:progression_decision", args=[line.patient_id, proposal.pk]),
                                        {"decision": "confirmed"})
    assert answer.status_code == 302
    assert TreatmentLine.objects.get(pk=line.pk).progression_date == ago(50)


def test_decision_view_refuses_a_rejection_without_reason(progressing, client_for, physician):
    line, _ago = progressing
    proposal = progression.propose(line)
    answer = client_for(physician).post(reverse("course:progression_decision", args=[line.patient_id, proposal.pk]),
                                        {"decision": "rejected", "reason": ""})
    assert answer.status_code == 422
    assert not hasattr(ProgressionProposal.objects.get(pk=proposal.pk), "decision")


@pytest.mark.hazard("HAZ-019")
def test_confirmed_progression_turns_the_next_assessment_into_relapse_treatment(physician):
    """«Behandling av tilbakefall»: «Progressiv sykdom (se over og i tabell 8.2)» is an indication for relapse
    treatment. Line 1 (VRd) from 110 days ago, serum M 30 → 10 → 20 → 21 g/L: PD from the nadir (≥ 25 % and
    ≥ 5 g/L), proposed; before confirmation the assessment gives no relapse line, after it the second line."""
    from patients import assessment
    from tests.patients.factories import clinical_patient

    spec = clinical_patient("MGUS", lines=[{
        "line": 1, "regimen": "VRd-induction", "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
        "start": 110}])
    mgus = make_patient(spec, today=timezone.localdate())
    today = timezone.localdate()
    ago = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    for days, value in ((112, "30"), (80, "10"), (50, "20"), (20, "21")):
        actions.record_lab_result(by=physician, patient=mgus, date=ago(days), analyte="m_protein", value=value,
                                  isotype="IgG")
    line = TreatmentLine.objects.get(patient=mgus, line=1)
    before = assessment.assess(mgus)["treatment"]["setting"]
    assert not before.startswith("RELAPSE")
    proposal = progression.propose(line)
    assert proposal is not None
    progression.confirm(proposal=proposal, by=physician)
    assert assessment.assess(mgus)["treatment"]["setting"] == "RELAPSE_LINE_2"


def test_recording_the_lab_that_shows_progression_proposes_it_for_the_worklist(
        django_capture_on_commit_callbacks, client_for, physician, patient):
    """The physician's worklist lists the proposal as soon as the confirming lab value is recorded, in the
    reader's language, without anyone opening the response tracker (issue 15 items 5 and 6)."""
    today = timezone.localdate()
    ago = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_lab_result(by=physician, patient=patient, date=ago(120), analyte="m_protein", value="30",
                                  isotype="IgG")
        line = actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd",
                                             drugs=["bortezomib", "lenalidomide", "dexamethasone"],
                                             start_date=ago(110))
        for days, value in ((80, "10"), (50, "20")):
            actions.record_lab_result(by=physician, patient=patient, date=ago(days), analyte="m_protein",
                                      value=value)
    assert not ProgressionProposal.objects.exists()  # one PD assessment: not yet confirmed
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_lab_result(by=physician, patient=patient, date=ago(20), analyte="m_protein", value="21")
    proposal = ProgressionProposal.objects.get()
    assert proposal.treatment_line == line and proposal.progression_date == ago(50)
    page = client_for(physician).get(reverse("course:physician_worklist")).content.decode()
    assert 'data-testid="worklist-proposal"' in page and patient.name in page
    tracker = client_for(physician).get(reverse("patients:responses", args=[patient.pk])).content.decode()
    # the stored reasons render in bokmål (message data), with readable analyte names, not keys
    assert "bekreftet av PD" in tracker and "confirmed by PD" not in tracker
    assert "<code>serum_m_protein_g_l</code>" not in tracker and "M-komponent i serum" in tracker


def test_a_lab_panel_checks_the_patient_for_progression_once(
        django_capture_on_commit_callbacks, monkeypatch, physician, patient, other_patient):
    """Saving several lab values in one transaction (a lab panel) queues one progression check for the
    patient, not one per value; another patient's value queues its own."""
    checked = []
    monkeypatch.setattr(progression, "propose_for_patient", checked.append)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_lab_panel(by=physician, patient=patient, date=today, results=[
            {"analyte": "creatinine", "value": "97"}, {"analyte": "albumin", "value": "40"},
            {"analyte": "bilirubin", "value": "10"}])
        actions.record_lab_result(by=physician, patient=other_patient, date=today, analyte="creatinine", value="80")
    assert sorted(checked) == sorted([patient.pk, other_patient.pk])
