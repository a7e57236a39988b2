"""Recording administrations in a browser (issue 15 item 4): the nurse opens «Dagens behandlinger»,
records today's bortezomib (sc: a parenteral anticancer drug) as given; a second nurse, logged in as
herself, confirms it with her password; the list shows who recorded and who confirmed it. Norwegian
pages (the new texts are in locale/pending/i15-admin.tsv until the integrator applies it)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patients import actions
from tests.patients.factories import ANNE_ID
from tests.patients.plan_helpers import measure, record_bloods, verified
from tests.personas import PASSWORD
from treatment_course import actions as course_actions
from treatment_course.models import Administration

pytestmark = pytest.mark.django_db(transaction=True)


def test_nurse_records_second_nurse_confirms_and_the_list_shows_it(page, login, physician, pharmacist, nurse,
                                                                    second_nurse, screenshot):
    other = second_nurse
    today = timezone.localdate()
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID)
    measure(patient, physician)
    record_bloods(patient, physician)
    plan = verified(physician, pharmacist, patient, start_date=today, cycles=2)
    course_actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    login(nurse)
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    page.locator("[data-testid=nav-today]").click()
    row = page.locator("[data-testid=due-row]", has_text="bortezomib")
    expect(row).to_contain_text("Anne Testesen")
    screenshot(page, "1-todays-treatments")
    row.locator("a.btn").click()
    expect(page.locator("[data-testid=second-nurse-needed]")).to_be_visible()
    form = page.locator("[data-testid=administration-form]")
    form.locator("input[name=outcome][value=given]").check()
    form.locator("input[name=given_time]").fill("00:00")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=administration-records]")).to_contain_text("Ida Nilsen")
    # the nurse who recorded it is told another confirms (HAZ-130), not given the form
    expect(page.locator("[data-testid=confirm-own-record]")).to_be_visible()
    expect(page.locator("[data-testid=confirm-form]")).to_have_count(0)
    screenshot(page, "2-recorded")
    record = Administration.objects.get()
    assert record.recorded_by == nurse and record.needs_second_nurse
    page.context.clear_cookies()
    login(other)
    page.goto(f"/course/patients/{patient.pk}/plans/{plan.pk}/administrations/{record.item}/")
    confirm = page.locator("[data-testid=confirm-form]")
    confirm.locator("input[name=password]").fill(PASSWORD)
    confirm.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=confirmed-by]")).to_contain_text("Siri Moe")
    page.locator("[data-testid=nav-today]").click()
    expect(page.locator("[data-testid=due-row]", has_text="bortezomib").locator("[data-testid=due-record]")
           ).to_contain_text("Siri Moe")
    screenshot(page, "3-confirmed-in-list")
    assert record.confirmation.confirmed_by == other
    assert page.console_errors == []
