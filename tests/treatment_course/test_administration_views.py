"""The administration pages (issue 15 items 4 and 6): «Dagens behandlinger», one administration's page
(record, correct, second nurse's confirmation) and the worklists with their navbar counts."""

import datetime

import pytest
from django.urls import reverse

from patients.models import PlanStatus
from tests.patients.plan_helpers import draft, issued, measure, today, verified
from tests.personas import PASSWORD, in_english, in_norwegian
from treatment_course import actions, administer, worklists
from treatment_course.models import Administration, AdministrationConfirmation

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    """The pages' English source text (the user's choice of English with the switch)."""
    in_english(client)


def _sc(plan):
    return next(i for i, a in enumerate(administer.items(plan)) if a["date"] == today().isoformat()
                and a["route"] == "sc")


def _url(plan, item):
    return reverse("course:administration", args=[plan.patient_id, plan.pk, item])


def test_todays_list_shows_the_due_items_with_release_and_verification(client_for, nurse, released):
    page = client_for(nurse).get(reverse("course:today"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Anne Testesen" in text and "bortezomib" in text.lower()
    assert 'data-testid="due-row"' in text and "not released" not in text


def test_todays_list_flags_an_unreleased_cycle(client_for, nurse, physician, pharmacist, course_patient):
    verified(physician, pharmacist, course_patient, start_date=today(), cycles=2)
    text = client_for(nurse).get(reverse("course:today")).content.decode()
    assert "not released" in text


def test_the_page_refuses_given_on_an_unreleased_cycle(client_for, nurse, physician, pharmacist, course_patient):
    plan = verified(physician, pharmacist, course_patient, start_date=today(), cycles=2)
    client = client_for(nurse)
    assert 'data-testid="administration-refused"' in client.get(_url(plan, _sc(plan))).content.decode()
    answer = client.post(_url(plan, _sc(plan)), {"outcome": "given", "given_time": "00:00"})
    assert answer.status_code == 422 and "Cycle 1 is not released" in answer.content.decode()
    assert not Administration.objects.exists()


def test_record_then_second_nurse_confirms(client_for, client, nurse, second_nurse, released):
    other = second_nurse
    item = _sc(released)
    answer = client_for(nurse).post(_url(released, item), {"outcome": "given", "given_time": "00:00"})
    assert answer.status_code == 302
    record = Administration.objects.get()
    assert record.needs_second_nurse and record.recorded_by == nurse
    confirm = reverse("course:confirm_administration", args=[released.patient_id, released.pk, item, record.pk])
    refused = client.post(confirm, {"password": PASSWORD})
    assert refused.status_code == 422 and "another person" in refused.content.decode()
    client.logout()
    assert in_english(client_for(other)).post(confirm, {"password": PASSWORD}).status_code == 302
    assert AdministrationConfirmation.objects.get().confirmed_by == other
    assert "confirmed by Siri Moe" in client.get(reverse("course:today")).content.decode()


def test_a_correction_is_a_new_record_with_the_reason(client_for, nurse, released):
    client = client_for(nurse)
    item = _sc(released)
    client.post(_url(released, item), {"outcome": "given", "given_time": "00:00"})
    answer = client.post(_url(released, item), {"outcome": "not_given"})
    assert answer.status_code == 422
    client.post(_url(released, item), {"outcome": "not_given", "reason": "Recorded on the wrong patient"})
    first, second = Administration.objects.order_by("id")
    assert second.corrects == first and first.outcome == "given"


def test_a_physician_may_not_record(client_for, physician, released):
    assert client_for(physician).get(_url(released, 0)).status_code == 403


def test_worklists_and_navbar_counts(client_for, client, physician, pharmacist, course_patient, released):
    draft(physician, course_patient)
    issued(physician, course_patient, start_date=today(), cycles=1)
    page = client_for(physician).get(reverse("course:physician_worklist"))
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="worklist-drafts"' in text
    assert 'data-testid="nav-physician-worklist"' in text
    client.logout()
    page = client_for(pharmacist).get(reverse("course:pharmacist_worklist"))
    assert page.status_code == 200 and "Anne Testesen" in page.content.decode()
    assert 'data-testid="nav-pharmacist-worklist"' in page.content.decode()
    assert released.status == PlanStatus.VERIFIED


def test_the_navbar_counts_only_the_users_own_lists_and_follows_the_work(client_for, client, physician,
                                                                          pharmacist, course_patient, released):
    """A draft and an issued plan: the physician's navbar counts the draft (and the cycle due), the
    pharmacist's the plan to verify; a count is kept per user until the work changes: the next draft is
    counted on the next page, not a while later."""
    draft(physician, course_patient)
    issued(physician, course_patient, start_date=today(), cycles=1)
    page = client_for(physician).get(reverse("patients:list")).content.decode()
    expected = len(worklists.physician()["drafts"]) + len(worklists.physician()["cycles"])
    assert f'data-testid="count-physician">{expected}<' in page and 'count-pharmacist' not in page
    draft(physician, course_patient)
    page = client_for(physician).get(reverse("patients:list")).content.decode()
    assert f'data-testid="count-physician">{expected + 1}<' in page
    client.logout()
    page = client_for(pharmacist).get(reverse("patients:list")).content.decode()
    assert 'data-testid="count-pharmacist">1<' in page and 'count-physician' not in page


@pytest.mark.hazard("HAZ-139")
def test_the_page_of_a_dose_planned_for_a_later_day_says_so_and_refuses_given(client_for, nurse, physician, pharmacist,
                                                                              course_patient):
    later = today() + datetime.timedelta(days=3)
    plan = verified(physician, pharmacist, course_patient, start_date=later, cycles=2)
    actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    item = next(i for i, a in enumerate(administer.items(plan))
                if a["date"] == later.isoformat() and a["route"] == "sc")
    client = client_for(nurse)
    page = client.get(_url(plan, item)).content.decode()
    assert 'data-testid="administration-refused"' in page and f"planned for {later:%d.%m.%Y}" in page
    answer = client.post(_url(plan, item), {"outcome": "given", "given_time": "00:00"})
    assert answer.status_code == 422 and "it is not recorded as given before that day" in answer.content.decode()
    assert not Administration.objects.exists()


def test_the_administration_page_writes_the_dose_and_route_as_the_sheet_does(client_for, nurse, released):
    """VRd-induction: lenalidomide 25 mg p.o., bortezomib 1,3 mg/m² × 2,00 m² = 2,6 mg s.c. (180 cm, 80 kg)."""
    client = in_norwegian(client_for(nurse))
    lenalidomide = next(i for i, a in enumerate(administer.items(released)) if a["date"] == today().isoformat()
                        and a["drug"] == "lenalidomide")
    html = client.get(_url(released, lenalidomide)).content.decode()
    assert 'data-testid="administration-drug">lenalidomid 25 mg p.o.</h1>' in html
    answer = client.post(_url(released, _sc(released)), {"outcome": "reduced", "given_time": "00:00",
                                                         "given_dose": "3", "reason": "Nevropati"})
    assert answer.status_code == 422
    assert "Den reduserte dosen må være over 0 og under planlagt 2,6 mg." in answer.content.decode()


def test_todays_treatments_write_the_dose_and_route_as_the_sheet_does(client_for, nurse, released):
    html = in_norwegian(client_for(nurse)).get(reverse("course:today")).content.decode()
    assert "25 mg</td><td>p.o." in html and "2,6 mg</td><td>s.c." in html
    assert "25,0 mg" not in html and "<td>po" not in html


@pytest.mark.hazard("HAZ-130")
def test_the_nurse_who_recorded_is_told_another_confirms_not_given_the_form(client_for, nurse, released):
    client = client_for(nurse)
    item = _sc(released)
    assert client.post(_url(released, item), {"outcome": "given", "given_time": "00:00"}).status_code == 302
    page = client.get(_url(released, item)).content.decode()
    assert 'data-testid="confirm-own-record"' in page and 'data-testid="confirm-form"' not in page


@pytest.mark.hazard("HAZ-140")
def test_the_physicians_list_holds_the_cycles_whose_release_window_has_opened(physician, pharmacist,
                                                                            course_patient, other_patient,
                                                                            settings):
    settings.CYCLE_LAB_MAX_AGE_DAYS = 7
    measure(other_patient, physician)
    in_window = verified(physician, pharmacist, course_patient, start_date=today() + datetime.timedelta(days=7),
                         cycles=1)
    verified(physician, pharmacist, other_patient, start_date=today() + datetime.timedelta(days=8), cycles=1)
    assert [row["plan"] for row in worklists.physician()["cycles"]] == [in_window]
