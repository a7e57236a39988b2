"""A cycle is not released on missing or old blood tests unless the physician says so (HAZ-142).

The release shows haemoglobin, neutrophils, platelets, leukocytes and creatinine (release.SHOWN_LABS)
with their dates; a test missing, or older than the hospital's CYCLE_LAB_MAX_AGE_DAYS on the day the cycle
begins, is flagged. The flag alone let a cycle be released on bloods from months ago without a word: now
the physician takes new tests or acknowledges the old ones, and the release's history names them. A
protocol criterion with a threshold is never checked on an old result. The limit is the hospital's
setting, not a guideline value."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from patients.models import HeightWeight
from tests.patients.plan_helpers import record_bloods, today, verified
from treatment_course import actions, release
from treatment_course.models import CycleRelease, ReleaseOutcome

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.hazard("HAZ-142")]
START = today() - datetime.timedelta(days=1)
MISSING = "Haemoglobin, Neutrophils, Platelets, Leukocytes"  # creatinine was measured today


def _plan(physician, pharmacist, patient, **kwargs):
    return verified(physician, pharmacist, patient, start_date=kwargs.pop("start", START), cycles=2, **kwargs)


def test_no_blood_count_refuses_the_release_and_names_the_tests(physician, pharmacist, patient_without_bloods,
                                                                  settings):
    settings.CYCLE_LAB_MAX_AGE_DAYS = 7
    plan = _plan(physician, pharmacist, patient_without_bloods)
    with pytest.raises(ValidationError) as exc:
        actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    assert exc.value.message_dict["old_labs_acknowledged"] == [
        f"Missing or older than 7 days when cycle 1 starts: {MISSING}. Take new blood tests, or confirm that you "
        "release the cycle on these."]
    assert not CycleRelease.objects.exists()
    assert not HeightWeight.objects.filter(patient=patient_without_bloods, date=today(), height_cm=None).exists()


def test_acknowledged_old_bloods_release_the_cycle_and_are_named_in_its_history(physician, pharmacist,
                                                                               patient_without_bloods):
    plan = _plan(physician, pharmacist, patient_without_bloods)
    made = actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80, old_labs_acknowledged=True)
    assert made.outcome == ReleaseOutcome.RELEASED
    assert made.seen["old_labs_acknowledged"] == ["hemoglobin", "neutrophils", "platelets", "leukocytes"]
    assert made.history.first().history_change_reason == (
        "Old or missing blood tests acknowledged (Haemoglobin, Neutrophils, Platelets, Leukocytes): Cycle 1 released")


def test_a_cycle_sent_for_verification_again_asks_no_acknowledgement(physician, pharmacist,
                                                                    patient_without_bloods):
    """+12 % weight: no drug is given on this decision, so nothing is asked; the new version's release asks."""
    made = actions.release_cycle(plan=_plan(physician, pharmacist, patient_without_bloods), cycle=1, by=physician,
                                 weight_kg=89.6)
    assert made.outcome == ReleaseOutcome.REVERIFY and made.seen["old_labs_acknowledged"] == []


def test_recent_bloods_need_no_acknowledgement(physician, pharmacist, course_patient):
    made = actions.release_cycle(plan=_plan(physician, pharmacist, course_patient), cycle=1, by=physician,
                                 weight_kg=80)
    assert made.outcome == ReleaseOutcome.RELEASED and made.seen["old_labs_acknowledged"] == []
    assert made.history.first().history_change_reason == "Cycle 1 released"


@pytest.mark.parametrize(("days_old", "refused"), [(7, False), (8, True)],
                         ids=["7-days-old-at-the-limit", "8-days-old-beyond-the-limit"])
def test_bloods_older_than_the_limit_at_the_cycle_start_refuse(physician, pharmacist, patient_without_bloods,
                                                               settings, days_old, refused):
    """The blood count taken ``days_old`` days before cycle 1 begins (today); the limit is 7 days."""
    settings.CYCLE_LAB_MAX_AGE_DAYS = 7
    record_bloods(patient_without_bloods, physician, day=today() - datetime.timedelta(days=days_old))
    plan = _plan(physician, pharmacist, patient_without_bloods, start=today())
    if refused:
        with pytest.raises(ValidationError, match="Missing or older than 7 days when cycle 1 starts: Haemoglobin"):
            actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
        assert not CycleRelease.objects.exists()
    else:
        assert actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80).outcome == ReleaseOutcome.RELEASED


def test_the_bloods_of_cycle_1_are_old_by_the_release_of_cycle_2(physician, pharmacist, patient_without_bloods,
                                                                  settings):
    """Cycle 1 began 27 days ago, released on that day's blood count; cycle 2 begins tomorrow (day 29):
    that count is 28 days old by then, so cycle 2 asks for new tests, and is released on them."""
    settings.CYCLE_LAB_MAX_AGE_DAYS = 7
    begun = today() - datetime.timedelta(days=27)
    record_bloods(patient_without_bloods, physician, day=begun)
    plan = _plan(physician, pharmacist, patient_without_bloods, start=begun)
    actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80, today=begun)
    assert release.cycle_dates(plan, 2)[0] == today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="Missing or older than 7 days when cycle 2 starts: Haemoglobin"):
        actions.release_cycle(plan=plan, cycle=2, by=physician, weight_kg=80)
    record_bloods(patient_without_bloods, physician)
    assert actions.release_cycle(plan=plan, cycle=2, by=physician, weight_kg=80).outcome == ReleaseOutcome.RELEASED


def test_a_threshold_is_not_checked_on_an_old_result():
    """A local criterion «platelets < 50: hold» and platelets 220 older than the limit: no value, unknown,
    which the release refuses (no tick replaces a recent result)."""
    local = {"analyte": "platelets", "comparison": "below", "threshold": 50, "action": "hold",
             "applies_to": "every_cycle", "source_document": "local", "source_section": "Lokal prosedyre",
             "source_text": "Lokal prosedyre 12 (test value)"}
    checked = release.evaluate([local], [{"analyte": "platelets", "value": "220", "old": True}], {})[0]
    assert checked["value"] is None and checked["met"] is None


# --- the page ------------------------------------------------------------------------------------------

def _url(plan, cycle=1):
    return reverse("course:cycle_release", args=[plan.patient_id, plan.pk, cycle])


def test_the_page_asks_for_the_acknowledgement_beside_the_flagged_tests(client_for, physician, pharmacist,
                                                                         patient_without_bloods):
    plan = _plan(physician, pharmacist, patient_without_bloods)
    client = client_for(physician)
    page = client.get(_url(plan)).text  # in Norwegian, the ward's language
    assert 'name="old_labs_acknowledged"' in page
    assert page.count('data-testid="lab-old"') == 4  # the four tests it asks about are flagged in the table
    refused = client.post(_url(plan), {"weight_kg": "80", "lock_version": plan.lock_version})
    assert refused.status_code == 422 and not CycleRelease.objects.exists()
    assert refused.text.count("Mangler eller er eldre enn 7 dager når syklus 1 starter: Hemoglobin, "
                              "Nøytrofile granulocytter, Trombocytter, Leukocytter.") == 1  # beside the tick box
    assert 'id="error_1_id_old_labs_acknowledged"' in refused.text
    done = client.post(_url(plan), {"weight_kg": "80", "old_labs_acknowledged": "on",
                                    "lock_version": plan.lock_version})
    assert done.status_code == 302
    assert CycleRelease.objects.get().seen["old_labs_acknowledged"] == [
        "hemoglobin", "neutrophils", "platelets", "leukocytes"]


def test_the_page_asks_nothing_when_the_bloods_are_recent(client_for, physician, pharmacist, course_patient):
    page = client_for(physician).get(_url(_plan(physician, pharmacist, course_patient))).text
    assert 'name="old_labs_acknowledged"' not in page
