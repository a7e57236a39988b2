"""The assessment page summary first (issue 12 item 6), in Chromium at 1366 × 768 in bokmål: the summary
(diagnosis, stage and risk, the next step, what is missing, warnings) ends within the first screen for
every clinical test patient; the evidence below opens from a link, from «Open all» and for printing."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.patients.factories import PATIENTS, clinical_patient, make_patient

pytestmark = pytest.mark.django_db(transaction=True)

SCREEN = {"width": 1366, "height": 768}


def test_the_summary_fits_one_screen_for_every_test_patient(page, login, physician, screenshot):
    patients = {key: make_patient(clinical_patient(key), today=timezone.localdate()) for key in PATIENTS}
    page.set_viewport_size(SCREEN)
    login(physician)
    bottoms = {}
    for key, patient in patients.items():
        page.goto(f"/patients/{patient.pk}/assessment/")
        summary = page.locator("[data-testid=assessment-summary]")
        expect(summary.locator("[data-testid=diagnosis-code]")).to_be_visible()
        for part in ("stages", "next-step", "missing", "warnings"):
            expect(summary.locator(f"[data-testid={part}]")).to_be_visible()
        assert page.evaluate("window.scrollY") == 0
        box = summary.bounding_box()
        bottoms[key] = box["y"] + box["height"]
    screenshot(page, "last-patient")
    assert {key: bottom for key, bottom in bottoms.items() if bottom > SCREEN["height"]} == {}
    assert page.console_errors == [], page.console_errors


def test_the_evidence_opens_from_a_link_for_all_and_for_printing(page, login, physician):
    patient = make_patient(clinical_patient("ACTIVE_MYELOMA transplant-eligible"), today=timezone.localdate())
    page.set_viewport_size(SCREEN)
    login(physician)
    page.goto(f"/patients/{patient.pk}/assessment/")
    groups = page.locator("details.evidence")
    assert groups.count() >= 8
    assert all(not groups.nth(i).evaluate("d => d.open") for i in range(groups.count()))  # collapsed at first
    facts = page.locator("[data-testid=facts-used]")
    expect(facts).to_be_hidden()

    # a link of the summary opens its group
    page.locator("[data-testid=next-step] a[href='#evidence-treatment']").click()
    expect(page.locator("[data-testid=option-evidence]")).to_be_visible()

    page.locator("[data-evidence-toggle=open]").click()
    expect(facts).to_be_visible()
    page.locator("[data-evidence-toggle=close]").click()
    expect(facts).to_be_hidden()

    # printing shows every group: the browser's print event opens them, and the print style would too
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(facts).to_be_visible()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    expect(facts).to_be_hidden()
    page.emulate_media(media="print")
    expect(facts).to_be_visible()
    page.emulate_media(media="screen")

    # the summary's «Ny plan» opens the new-plan form with that regimen chosen
    page.locator("[data-testid=treatment-options] li[data-regimen='VRd-induction'] [data-testid=plan-link]").click()
    page.wait_for_url("**/plans/new/?regimen=VRd-induction")
    expect(page.locator("select[name=regimen]")).to_have_value("VRd-induction")
    assert page.console_errors == [], page.console_errors
