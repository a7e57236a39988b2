"""Releasing a cycle (issue 15 item 2, treatment_course/actions.py): only on a verified plan, with
today's weight; a weight change at or above the hospital's limit (default 10 %) since the dose basis
drafts a new plan version that must be issued and verified again; old labs are flagged; the
protocol's pre-cycle criteria (the guideline's, for the bispecific antibodies) hold the cycle."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from patients.models import HeightWeight, PlanStatus
from tests.patients.plan_helpers import issued, shown, today, verified
from tests.personas import PASSWORD
from treatment_course import actions, release
from treatment_course.models import CycleRelease, ReleaseOutcome

pytestmark = pytest.mark.usefixtures("english")
START = today() - datetime.timedelta(days=1)


def _vrd(physician, pharmacist, patient, **kwargs):
    return verified(physician, pharmacist, patient, start_date=START, cycles=3, **kwargs)


@pytest.mark.hazard("HAZ-111")
def test_release_records_who_and_what_was_seen(physician, pharmacist, course_patient):
    plan = _vrd(physician, pharmacist, course_patient)
    made = actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=81, note="Fit for cycle 1")
    assert made.outcome == ReleaseOutcome.RELEASED and made.released_by == physician
    assert made.seen["weight_kg"] == "81.0" and made.seen["basis"]["weight_kg"] == 80
    assert made.seen["weight_change_pct"] == "1.2"  # |81 - 80| / 80 = 1,25 %
    assert made.seen["bsa_m2"] == "2.01"  # sqrt(180 x 81 / 3600) = 2,012
    assert {lab["analyte"] for lab in made.seen["labs"]} >= {"hemoglobin", "platelets", "neutrophils", "creatinine"}
    assert made.history.first().history_change_reason == "Cycle 1 released: Fit for cycle 1"
    assert HeightWeight.objects.filter(patient=course_patient, date=today(), weight_kg=81).exists()
    assert release.next_cycle(plan) == 2


@pytest.mark.hazard("HAZ-111")
@pytest.mark.parametrize(("weight", "outcome"), [
    (89.6, ReleaseOutcome.REVERIFY),  # +12 %
    (88, ReleaseOutcome.REVERIFY),  # +10 %: «at or above» the limit
    (87.9, ReleaseOutcome.RELEASED),  # +9,9 %
    (72, ReleaseOutcome.REVERIFY),  # -10 %
], ids=["plus-12-percent", "plus-10-percent-at-the-limit", "plus-9.9-percent", "minus-10-percent"])
def test_a_weight_change_at_the_limit_sends_the_plan_for_verification_again(
        physician, pharmacist, course_patient, weight, outcome):
    plan = _vrd(physician, pharmacist, course_patient)
    made = actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=weight)
    assert made.outcome == outcome
    if outcome == ReleaseOutcome.REVERIFY:
        revision = made.revision
        assert revision.status == PlanStatus.DRAFT and revision.previous == plan
        assert "at the release of cycle 1: doses recomputed, to be verified again" in revision.change_reason
        assert release.next_cycle(plan) == 1  # not released


@pytest.mark.hazard("HAZ-111")
def test_after_a_weight_change_the_cycle_is_released_on_the_reverified_plan(physician, pharmacist, course_patient):
    plan = _vrd(physician, pharmacist, course_patient)
    revision = actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=89.6).revision
    from patients import actions as patient_actions

    with pytest.raises(ValidationError, match="released only on a plan a pharmacist has verified"):
        actions.release_cycle(plan=revision, cycle=1, by=physician, weight_kg=89.6)
    revision = patient_actions.issue_plan(plan=revision, by=physician, password=PASSWORD, acknowledged_flags=[],
                                          expected_fingerprint=shown(revision))
    assert revision.snapshot["measurements"]["weight_kg"] == 89.6  # the doses' new basis
    with pytest.raises(ValidationError, match="released only on a plan a pharmacist has verified"):
        actions.release_cycle(plan=revision, cycle=1, by=physician, weight_kg=89.6)
    revision = patient_actions.verify_plan(plan=revision, by=pharmacist, password=PASSWORD,
                                           expected_fingerprint=shown(revision))
    made = actions.release_cycle(plan=revision, cycle=1, by=physician, weight_kg=89.6)
    assert made.outcome == ReleaseOutcome.RELEASED and made.seen["weight_change_pct"] == "0.0"


@pytest.mark.hazard("HAZ-111")
def test_an_issued_plan_not_yet_verified_is_not_released(physician, course_patient):
    plan = issued(physician, course_patient, start_date=START, cycles=3)
    with pytest.raises(ValidationError, match="verified"):
        actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    assert not CycleRelease.objects.exists()


def test_release_needs_todays_weight_and_the_next_cycle(physician, pharmacist, course_patient):
    plan = _vrd(physician, pharmacist, course_patient)
    with pytest.raises(ValidationError) as exc:
        actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=None)
    assert "weight_kg" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        actions.release_cycle(plan=plan, cycle=2, by=physician, weight_kg=80)
    assert "Cycle 1 is the next to release" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=900)
    assert "weight_kg" in exc.value.error_dict and not CycleRelease.objects.exists()


def test_labs_older_than_the_hospitals_limit_are_flagged(physician, pharmacist, patient_without_bloods, settings):
    course_patient = patient_without_bloods
    settings.CYCLE_LAB_MAX_AGE_DAYS = 3
    from patients import actions as patient_actions

    patient_actions.record_lab_result(by=physician, patient=course_patient, date=today() - datetime.timedelta(days=4),
                                      analyte="platelets", value=150)
    plan = _vrd(physician, pharmacist, course_patient)
    labs = {lab["analyte"]: lab for lab in release.seen(plan, 1)["labs"]}
    assert labs["platelets"]["old"] and Decimal(labs["platelets"]["value"]) == 150
    assert not labs["creatinine"]["old"]  # measured today
    assert labs["hemoglobin"]["old"] and labs["hemoglobin"]["value"] is None  # none recorded


def test_a_nurse_cannot_release(physician, pharmacist, nurse, course_patient):
    plan = _vrd(physician, pharmacist, course_patient)
    with pytest.raises(PermissionDenied):
        actions.release_cycle(plan=plan, cycle=1, by=nurse, weight_kg=80)


def test_a_release_is_never_changed(physician, pharmacist, course_patient):
    made = actions.release_cycle(plan=_vrd(physician, pharmacist, course_patient), cycle=1, by=physician,
                                 weight_kg=80)
    made.note = "changed"
    with pytest.raises(ValueError, match="never changed"):
        made.save()
    with pytest.raises(ValueError, match="never deleted"):
        made.delete()


# --- the page ---------------------------------------------------------------------------------------

def _url(plan, cycle=1):
    return reverse("course:cycle_release", args=[plan.patient_id, plan.pk, cycle])


def test_the_release_page_shows_the_basis_and_releases_in_norwegian(client_for, physician, pharmacist, course_patient):
    plan = _vrd(physician, pharmacist, course_patient)
    client = client_for(physician)
    page = client.get(_url(plan)).text
    assert "Frigi syklus 1" in page and "80,0 kg" in page and "2,00 m²" in page
    response = client.post(_url(plan), {"weight_kg": "89,6", "lock_version": plan.lock_version})
    assert response.status_code == 302
    revision = CycleRelease.objects.get().revision
    assert response["Location"] == reverse("patients:plan_detail", args=[course_patient.pk, revision.pk])


def test_the_release_page_names_the_missing_weight(client_for, physician, pharmacist, course_patient):
    plan = _vrd(physician, pharmacist, course_patient)
    response = client_for(physician).post(_url(plan), {"weight_kg": "", "lock_version": plan.lock_version})
    assert response.status_code == 422 and "Vei pasienten i dag: frigivelsen trenger dagens vekt." in response.text


def test_the_release_page_refuses_a_nurse(client_for, physician, pharmacist, nurse, course_patient):
    plan = _vrd(physician, pharmacist, course_patient)
    assert client_for(nurse).get(_url(plan)).status_code == 403


@pytest.mark.hazard("HAZ-134")
def test_the_release_page_shows_the_response_at_this_cycle_start(client_for, physician, pharmacist, course_patient):
    """«i forbindelse med hver syklusstart»: serum M 30 g/L before the start, 12 g/L the day before cycle 2
    (tabell 8.2, PR: «≥50 % reduksjon av serum M-komponent»); then 24 g/L and 25 g/L, a rise of ≥ 25 % and
    ≥ 5 g/L from the nadir twice: the release page warns of the progression to confirm."""
    from patients import actions as records

    plan = verified(physician, pharmacist, course_patient, start_date=today() - datetime.timedelta(days=60), cycles=3)
    first_of_2, _last = release.cycle_dates(plan, 2)
    records.record_lab_result(by=physician, patient=course_patient, date=today() - datetime.timedelta(days=61),
                              analyte="m_protein", value="30", isotype="IgG")
    records.record_lab_result(by=physician, patient=course_patient, date=first_of_2 - datetime.timedelta(days=1),
                              analyte="m_protein", value="12")
    page = client_for(physician).get(_url(plan, cycle=2)).text
    assert 'data-testid="release-cycle-response">PR<' in page
    assert 'data-testid="release-progression-pending"' not in page
    for days, value in ((5, "24"), (1, "25")):
        records.record_lab_result(by=physician, patient=course_patient, date=today() - datetime.timedelta(days=days),
                                  analyte="m_protein", value=value)
    page = client_for(physician).get(_url(plan, cycle=3)).text
    assert 'data-testid="release-progression-pending"' in page


# --- not before the cycle is near (HAZ-140) ---------------------------------------------------------------

@pytest.mark.hazard("HAZ-140")
def test_cycle_2_is_not_released_a_month_before_it_begins(physician, pharmacist, course_patient, settings):
    settings.CYCLE_LAB_MAX_AGE_DAYS = 7
    plan = _vrd(physician, pharmacist, course_patient)  # began yesterday: cycle 2 begins in 27 days
    actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    first_of_2, _last = release.cycle_dates(plan, 2)
    assert first_of_2 == START + datetime.timedelta(days=28)
    with pytest.raises(ValidationError) as exc:
        actions.release_cycle(plan=plan, cycle=2, by=physician, weight_kg=80)
    earliest = first_of_2 - datetime.timedelta(days=7)
    assert exc.value.message_dict["cycle"] == [
        f"Cycle 2 begins {first_of_2:%d.%m.%Y}: it is released from {earliest:%d.%m.%Y}, at most 7 days before it "
        "begins, so that the weight and the blood tests it is released on are recent when it begins."]
    assert CycleRelease.objects.count() == 1


@pytest.mark.hazard("HAZ-140")
def test_a_cycle_is_released_from_the_hospitals_limit_before_it_begins(physician, pharmacist, course_patient,
                                                                       settings):
    settings.CYCLE_LAB_MAX_AGE_DAYS = 7
    plan = verified(physician, pharmacist, course_patient, start_date=today() + datetime.timedelta(days=7), cycles=2)
    assert actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80).outcome == ReleaseOutcome.RELEASED


@pytest.mark.hazard("HAZ-140")
def test_a_cycle_beginning_a_day_beyond_the_limit_is_not_released_yet(physician, pharmacist, course_patient,
                                                                      settings):
    settings.CYCLE_LAB_MAX_AGE_DAYS = 7
    plan = verified(physician, pharmacist, course_patient, start_date=today() + datetime.timedelta(days=8), cycles=2)
    with pytest.raises(ValidationError, match="at most 7 days before it begins"):
        actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    assert not CycleRelease.objects.exists()


@pytest.mark.hazard("HAZ-140")
def test_a_lab_is_old_when_it_is_older_than_the_limit_on_the_day_the_cycle_begins(physician, pharmacist,
                                                                                 patient_without_bloods, settings):
    from patients import actions as patient_actions

    course_patient = patient_without_bloods
    settings.CYCLE_LAB_MAX_AGE_DAYS = 7
    patient_actions.record_lab_result(by=physician, patient=course_patient, date=today() - datetime.timedelta(days=2),
                                      analyte="platelets", value=150)
    plan = verified(physician, pharmacist, course_patient, start_date=today() + datetime.timedelta(days=6), cycles=2)
    labs = {lab["analyte"]: lab for lab in release.seen(plan, 1)["labs"]}
    assert labs["platelets"]["old"]  # 2 days old today, 8 days old when cycle 1 begins


@pytest.mark.hazard("HAZ-140")
def test_the_release_page_of_a_cycle_not_yet_near_says_from_when_and_has_no_form(client_for, physician, pharmacist,
                                                                                 course_patient):
    plan = _vrd(physician, pharmacist, course_patient)
    actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    page = client_for(physician).get(_url(plan, cycle=2)).text
    assert 'data-testid="release-too-early"' in page and 'data-testid="release-form"' not in page
    assert "Syklus 2 begynner" in page
