"""Modifying doses in a browser (issue 15 item 3): the physician opens a verified VRd plan, «Endre doser»,
reduces lenalidomide by one dose level from cycle 2 with a reason; the new version (a draft) shows
25 → 15 mg in its preview; issued and verified again, its dosing sheet shows the change with its level and
reason, and the patient's history says who, when and why. Norwegian pages (the new texts are in
locale/pending/i15-doselevels.tsv until the integrator applies it: the assertions read numbers and test ids)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patients import actions
from patients.models import TreatmentPlan
from tests.patients.factories import ANNE_ID
from tests.patients.plan_helpers import measure, shown, verified
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.hazard("HAZ-125")
def test_physician_reduces_lenalidomide_from_cycle_2(page, login, physician, pharmacist, screenshot):
    today = timezone.localdate()
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID)
    measure(patient, physician)
    plan = verified(physician, pharmacist, patient, start_date=today + datetime.timedelta(days=1), cycles=3)
    login(physician)
    page.goto(f"/patients/{patient.pk}/plans/{plan.pk}/")
    page.locator("[data-testid=modify-doses]").click()
    expect(page.locator("[data-testid=levels-lenalidomide]")).to_contain_text("25 mg → 15 mg → 10 mg")
    expect(page.locator("[data-testid=steroid-principle]")).to_contain_text("bør dosereduseres først ved intoleranse")
    form = page.locator("[data-testid=modify-form]")
    form.locator("input[name=kind][value=reduce]").check()
    form.locator("select[name=drug]").select_option("lenalidomide")
    form.locator("input[name=cycle]").fill("2")
    form.locator("textarea[name=reason]").fill("Utslett grad 2 i syklus 1")
    screenshot(page, "1-modify-form")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=plan-status]")).to_have_text("utkast")
    expect(page.locator("[data-testid=sheet-modifications]")).to_contain_text("25 → 15 mg")
    screenshot(page, "2-new-version-draft")
    new = TreatmentPlan.objects.get(previous=plan)
    new = actions.issue_plan(plan=new, by=physician, password=PASSWORD, acknowledged_flags=[],
                             expected_fingerprint=shown(new))
    actions.verify_plan(plan=new, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(new))
    page.goto(f"/patients/{patient.pk}/plans/{new.pk}/")
    modifications = page.locator("[data-testid=sheet-modifications]")
    expect(modifications).to_contain_text("25 → 15 mg")
    expect(modifications).to_contain_text("Utslett grad 2 i syklus 1")
    screenshot(page, "3-verified-sheet")
    page.goto(f"/patients/{patient.pk}/history/")
    expect(page.locator("main")).to_contain_text(
        "Dose redusert: lenalidomid 25 → 15 mg fra syklus 2 (dosetrinn 2): Utslett grad 2 i syklus 1")
    screenshot(page, "4-history")
    assert page.console_errors == []
