"""The whole walk in a real browser: a nurse records today's height and weight, a physician
follows the guideline assessment of a newly diagnosed patient to the recommended regimen and
issues the plan, a pharmacist verifies it and prints the dosing sheet and the calendar. The
PDFs' text is extracted and checked for the doses."""

import io
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.second_factor import current_code
from tests.patients.factories import clinical_patient, make_patient
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf_text(page, href):
    response = page.context.request.get(href)
    assert response.status == 200, href
    assert response.headers["content-type"] == "application/pdf"
    assert "no-store" in response.headers.get("cache-control", "no-store")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def _logout(page):
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url("**/login/**")


def test_nurse_physician_pharmacist_walk_to_printed_dosing_sheet(page, login, nurse, physician, pharmacist,
                                                                 screenshot, settings):
    # Signing needs password + TOTP code, as in production; the signers have authenticator apps.
    settings.SIGNING_REQUIRES_SECOND_FACTOR = True
    devices = {u.pk: TOTPDevice.objects.create(user=u, name="phone", confirmed=True) for u in (physician, pharmacist)}
    patient = make_patient(clinical_patient("ACTIVE_MYELOMA transplant-eligible"), today=timezone.localdate())

    # Nurse: today's height and weight (180 cm, 80 kg -> Mosteller sqrt(180 x 80 / 3600) = 2.00 m2)
    login(nurse)
    page.goto("/patients/")
    page.fill("input[name=q]", patient.name.split()[0])
    page.locator("[data-testid=patient-table]").get_by_text(patient.name).click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    page.goto(f"/patients/{patient.pk}/record/height-weight/")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.fill("input[name=height_cm]", "180")
    page.fill("input[name=weight_kg]", "80")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    expect(page.locator("[data-testid=latest-weight]")).to_contain_text("80")
    screenshot(page, "1-nurse-recorded-weight")
    _logout(page)

    # Physician: assessment -> recommended option -> new plan -> issue
    login(physician)
    page.goto(f"/patients/{patient.pk}/assessment/")
    expect(page.locator("[data-testid=diagnosis-code]")).to_have_text("ACTIVE_MYELOMA")
    expect(page.locator("[data-testid=treatment-setting]")).to_have_text("FIRST_LINE_TRANSPLANT")
    first = page.locator("[data-testid=treatment-options] li").first
    expect(first).to_contain_text("VRd-induction")
    screenshot(page, "2-assessment")
    first.locator("[data-testid=plan-link]").click()
    page.wait_for_url("**/plans/new/?regimen=VRd-induction")
    page.fill("input[name=start_date]", timezone.localdate().isoformat())
    page.fill("input[name=cycles]", "1")
    page.locator("input[name=cycles]").dispatch_event("change")
    preview = page.locator("[data-testid=plan-preview]")
    expect(preview).to_contain_text("2,6 mg")  # bortezomib 1.3 mg/m2 x 2.00 m2
    screenshot(page, "3-dose-preview")
    page.locator("[data-testid=plan-form] button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    issue = page.locator("[data-testid=issue-form]")
    for box in issue.locator("input[type=checkbox]").all():
        box.check()
    issue.locator("input[name=password]").fill(PASSWORD)
    # the login used this step's code (each code works once): the authenticator's next code
    issue.locator("input[name=otp_token]").fill(current_code(devices[physician.pk], steps_ahead=1))
    issue.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=print-blocked]")).to_be_visible()
    plan_url = page.url
    screenshot(page, "4-issued")
    _logout(page)

    # Pharmacist: verify, then print
    login(pharmacist)
    page.goto(plan_url)
    verify = page.locator("[data-testid=verify-form]")
    for box in verify.locator("input[type=checkbox]").all():
        box.check()
    verify.locator("input[name=password]").fill(PASSWORD)
    verify.locator("input[name=otp_token]").fill(current_code(devices[pharmacist.pk], steps_ahead=1))
    verify.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=print-sheet]")).to_be_visible()
    screenshot(page, "5-verified")

    sheet = _pdf_text(page, page.locator("[data-testid=print-sheet]").get_attribute("href"))
    assert patient.name in sheet and patient.national_id in sheet
    assert "2,6 mg" in sheet  # bortezomib 1.3 mg/m2 x 2.00 m2 (Mosteller)
    assert "25 mg" in sheet  # lenalidomide 25 mg days 1-21
    assert "40 mg" in sheet  # dexamethasone 40 mg days 1, 8, 15, 22
    assert physician.last_name in sheet and pharmacist.last_name in sheet
    assert re.search(r"Side 1 av \d+", sheet)
    calendar = _pdf_text(page, page.locator("[data-testid=print-calendar]").get_attribute("href"))
    assert "sprøyte under huden" in calendar and "2,6 mg" in calendar
    assert page.console_errors == [], page.console_errors
