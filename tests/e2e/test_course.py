"""The course in a browser (issue 15 item 1): an issued plan shows the treatment line it started; the
physician ends the course with progression and its date; the plan page and the patient's history
show it with user, time and reason."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patients import actions
from tests.patients.factories import ANNE_ID
from tests.patients.plan_helpers import issued, measure

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("/work/notes/shots/i15-course")


def test_physician_ends_the_course_with_progression(page, login, physician, screenshot):
    today = timezone.localdate()
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID)
    measure(patient, physician)
    plan = issued(physician, patient, start_date=today - datetime.timedelta(days=90))
    login(physician)
    page.goto(f"/patients/{patient.pk}/plans/{plan.pk}/")
    expect(page.locator("[data-testid=plan-line]")).to_contain_text("Behandlingslinje 1 (VRd-induction)")
    form = page.locator("[data-testid=end-form]")
    form.locator("select[name=end_reason]").select_option("progression")
    form.locator("input[name=progression_date]").fill((today - datetime.timedelta(days=2)).isoformat())
    form.locator("textarea[name=note]").fill("M-komponent stigende")
    shot = screenshot(page, "1-end-form")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=plan-status]")).to_have_text("avsluttet")
    expect(page.locator("[data-testid=plan-line]")).to_contain_text("progresjon")
    after = screenshot(page, "2-ended")
    page.goto(f"/patients/{patient.pk}/history/")
    expect(page.locator("main")).to_contain_text("Course ended (progression): M-komponent stigende")
    history = screenshot(page, "3-history")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in (shot, after, history):
        shutil.copy(path, SHOTS / path.name)
    assert page.console_errors == []
