"""The course of a plan on its page (issue 15; the walk found the plan page silent about it): cycle by cycle,
the release decisions with who and when, and each administration with its newest record, linked for the nurse.
VRd-induction (Handlingsprogram for myelomatose, «Induksjonsbehandlingen»): bortezomib days 1, 8, 15,
lenalidomide days 1–21 and dexamethasone days 1, 8, 15, 22: 28 administrations a cycle."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.patients.plan_helpers import today, verified
from tests.personas import in_norwegian
from treatment_course import actions, administer, release
from treatment_course.models import AdministrationOutcome


def _course(client, plan):
    return in_norwegian(client).get(reverse("course:plan_course", args=[plan.patient_id, plan.pk])).content.decode()


def _row(html, cycle):
    return re.search(rf'data-testid="course-cycle" data-cycle="{cycle}">(.*?)</tr>', html, flags=re.S).group(1)


def test_the_plan_page_loads_the_course_and_links_it_without_javascript(client_for, nurse, released):
    page = in_norwegian(client_for(nurse)).get(reverse("patients:plan_detail", args=[released.patient_id,
                                                                                     released.pk])).content.decode()
    url = reverse("course:plan_course", args=[released.patient_id, released.pk])
    assert 'data-testid="plan-course-placeholder"' in page and f'hx-get="{url}"' in page and f'href="{url}"' in page


def test_the_course_shows_each_cycles_release_and_its_recorded_administrations(client_for, physician, nurse,
                                                                               released):
    lenalidomide = next(i for i, a in enumerate(administer.items(released))
                        if a["date"] == today().isoformat() and a["drug"] == "lenalidomide")
    administer.record_administration(plan=released, item=lenalidomide, by=nurse,
                                     outcome=AdministrationOutcome.GIVEN, given_at=timezone.now())
    html = _course(client_for(nurse), released)
    first, second = _row(html, 1), _row(html, 2)
    assert f"Frigitt: {physician.get_full_name()}, " in first
    assert "1 av 28" in first  # 3 bortezomib + 21 lenalidomide + 4 dexamethasone, one recorded
    assert "ikke frigitt" in second and "0 av 28" in second
    item_url = reverse("course:administration", args=[released.patient_id, released.pk, lenalidomide])
    assert f'href="{item_url}"' in first
    assert "course:administration" not in second and "/administrations/" not in second  # not released: no links


def test_the_physician_is_offered_the_next_release_from_the_course(client_for, physician, pharmacist,
                                                                   course_patient):
    plan = verified(physician, pharmacist, course_patient, start_date=today() - datetime.timedelta(days=25), cycles=2)
    actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)  # cycle 2 begins in 3 days
    html = _course(client_for(physician), plan)
    release_2 = reverse("course:cycle_release", args=[plan.patient_id, plan.pk, 2])
    assert f'href="{release_2}"' in _row(html, 2) and "Frigi syklus 2" in _row(html, 2)
    assert 'data-testid="course-release"' not in _row(html, 1)


@pytest.mark.hazard("HAZ-140")
def test_a_cycle_not_yet_in_its_release_window_says_from_when_and_offers_no_release(client_for, physician,
                                                                                   released):
    # cycle 2 begins in 28 days; the hospital's limit (CYCLE_LAB_MAX_AGE_DAYS, 7 by default) opens it 7 days before
    first, _last = release.cycle_dates(released, 2)
    row = _row(_course(client_for(physician), released), 2)
    assert 'data-testid="course-release"' not in row
    assert f"frigis fra {first - datetime.timedelta(days=7):%d.%m.%Y}" in row


@pytest.mark.hazard("HAZ-130")
def test_a_parenteral_dose_awaiting_its_second_nurse_says_so_in_the_course(client_for, nurse, released):
    bortezomib = next(i for i, a in enumerate(administer.items(released))
                      if a["date"] == today().isoformat() and a["drug"] == "bortezomib")
    administer.record_administration(plan=released, item=bortezomib, by=nurse,
                                     outcome=AdministrationOutcome.GIVEN, given_at=timezone.now())
    row = _row(_course(client_for(nurse), released), 1)
    assert 'data-testid="course-awaiting"' in row and "venter på sykepleier nr. 2" in row


def test_each_cycle_runs_to_its_day_28_as_the_sheet_says(client_for, nurse, released):
    """VRd-induction: 28-day cycles; the last dose is dexamethasone on day 22, the cycle ends on day 28."""
    start = today()
    row = _row(_course(client_for(nurse), released), 1)
    assert f"{start:%d.%m.%Y}–{start + datetime.timedelta(days=27):%d.%m.%Y}" in row
