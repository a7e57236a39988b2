"""A physician opens a patient's guideline assessment, re-assesses it for a past date (htmx), follows a
missing fact to the form that records it, and opens the response tracker."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.patients.factories import clinical_patient, make_patient

pytestmark = pytest.mark.django_db(transaction=True)


def test_physician_walks_from_assessment_to_missing_fact(page, login, physician, screenshot):
    patient = make_patient(clinical_patient("MGUS"), today=timezone.localdate())
    login(physician)
    page.goto(f"/patients/{patient.pk}/")
    page.locator("[data-testid=assessment-links] a").first.click()
    page.wait_for_url(f"**/patients/{patient.pk}/assessment/")
    assert page.locator("[data-testid=diagnosis-code]").inner_text() == "MGUS"
    screenshot(page, "assessment-mgus")

    past = (timezone.localdate() - datetime.timedelta(days=500)).isoformat()
    page.fill("input[name=as_of]", past)
    page.locator("#assessment-form-submit, form[hx-get] button[type=submit]").first.click()
    page.wait_for_url(f"**as_of={past}")
    # 17.5 g/L as recorded, written with the decimal comma of the bokmål page (issue 12)
    page.locator("#evidence-facts > summary").click()  # the evidence group is collapsed until opened
    assert page.locator("[data-testid=facts-used] tr[data-path='labs.serum_m_protein_g_l'] td").nth(1).inner_text() \
        == "17,5"  # bokmål: a decimal comma

    # staging is that of myeloma: for an MGUS β2m is not missing to decide, but the workup's blood tests ask for it
    expect(page.locator("[data-testid=missing] [data-path='labs.beta2m_mg_l']")).to_have_count(0)
    page.locator("[data-testid=open-investigations]").click()  # opens the workup group
    page.locator("[data-testid=workup-checklist] a[data-path='labs.beta2m_mg_l']").click()
    # issue 12 item 7: a missing lab opens the lab panel with it selected, which returns to the assessment
    page.wait_for_url("**/labs/panel/?analyte=beta2m&next=*")
    expect(page.locator("[data-testid=panel-selected] tr[data-analyte=beta2m]")).to_be_visible()

    page.goto(f"/patients/{patient.pk}/responses/")
    expect(page.locator("[data-testid=no-line]")).to_be_visible()
    screenshot(page, "responses-no-line")
    assert page.console_errors == [], page.console_errors
