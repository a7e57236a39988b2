"""Errors you can see (issue 12 item 5), in a real browser, in bokmål: every form htmx submits
shows the server's refusal at the field it names, whatever the status of the answer (the sign and
verify forms answer 422, which htmx does not swap by itself: static/js/app.js); a server error or
no answer at all shows a banner (role="alert"); an expired session opens the login page.

The expected messages are the Norwegian catalogue's words (locale/nb), written out here."""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.second_factor import current_code
from patients import actions, identity, plans
from patients.models import TreatmentPlan
from regimens.actions import create_draft_version
from tests.personas import PASSWORD
from tests.regimens.factories import protocol_author, stored

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.hazard("HAZ-050")]

REQUIRED = "Feltet er påkrevet."  # Django's «This field is required.» in bokmål


@pytest.fixture(autouse=True)
def _connect_before_the_live_server(db):
    """As in test_csp_pages.py: the shared in-memory SQLite connection opened in the test thread."""
    from django.db import connection

    connection.ensure_connection()


@pytest.fixture
def ward(physician, pharmacist, settings):
    """A patient measured today with a draft and an issued plan; signing needs password and code."""
    patient = actions.register_patient(by=physician, name="Feil Meldingsen", ward="Post 3",
                                       national_id=identity.make(datetime.date(1950, 3, 4), 312, synthetic=True))
    today = timezone.localdate()
    actions.record_height_weight(by=physician, patient=patient, date=today, height_cm=180, weight_kg=80)
    actions.record_lab_result(by=physician, patient=patient, date=today, analyte="creatinine", value=80)
    start = today + datetime.timedelta(days=7 - today.weekday())  # next Monday
    drafts = [actions.create_plan_draft(by=physician, patient=patient, regimen="VRd-induction", start_date=start)
              for _ in range(2)]
    issued = actions.issue_plan(plan=drafts[1], by=physician, password=PASSWORD, acknowledged_flags=[],
                                expected_fingerprint=plans.compute_for(drafts[1]).fingerprint)
    settings.SIGNING_REQUIRES_SECOND_FACTOR = True
    devices = {u.pk: TOTPDevice.objects.create(user=u, name="phone", confirmed=True) for u in (physician, pharmacist)}
    return {"patient": patient, "plans": {"draft": drafts[0], "issued": issued}, "devices": devices}


def status(plan):
    return TreatmentPlan.objects.get(pk=plan.pk).status


def plan_url(ward, which):
    plan = ward["plans"][which]
    return f"/patients/{ward['patient'].pk}/plans/{plan.pk}/"


def submit(form):
    form.locator("button[type=submit]").first.click()


def test_the_sign_forms_show_the_refusal_at_the_field(page, login, physician, pharmacist, ward, screenshot):
    login(physician)
    page.goto(plan_url(ward, "draft"))
    issue = page.locator("#issue-form")
    for box in issue.locator("input[type=checkbox]").all():
        box.check()
    issue.locator("input[name=password]").fill("not-my-password")
    issue.locator("input[name=otp_token]").fill(current_code(ward["devices"][physician.pk], steps_ahead=1))
    submit(issue)
    expect(page.locator("#issue-form #div_id_password")).to_contain_text(
        "Passordet er feil: signer på nytt med ditt eget passord.")
    screenshot(page, "issue-wrong-password")

    issue = page.locator("#issue-form")
    issue.locator("input[name=password]").fill(PASSWORD)
    issue.locator("input[name=otp_token]").fill("")
    submit(issue)  # no code
    expect(page.locator("#issue-form #div_id_otp_token")).to_contain_text(
        "Koden er feil eller allerede brukt: skriv inn koden autentiseringsappen viser nå.")
    assert status(ward["plans"]["draft"]) == "draft"
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url("**/login/**")

    login(pharmacist)
    page.goto(plan_url(ward, "issued"))
    verify = page.locator("#verify-form")
    verify.locator("input[name=password]").fill(PASSWORD)
    verify.locator("input[name=otp_token]").fill(current_code(ward["devices"][pharmacist.pk], steps_ahead=1))
    submit(verify)  # not one check ticked
    for check in ("check_identity", "check_measurements", "check_doses", "check_flags", "check_premedication"):
        expect(page.locator(f"#verify-form #div_id_{check}")).to_contain_text(REQUIRED)
    screenshot(page, "verify-unticked")
    verify = page.locator("#verify-form")
    for box in verify.locator("input[type=checkbox]").all():
        box.check()
    verify.locator("input[name=password]").fill("not-my-password")
    submit(verify)
    expect(page.locator("#verify-form #div_id_password")).to_contain_text(
        "Passordet er feil: signer på nytt med ditt eget passord.")
    assert status(ward["plans"]["issued"]) == "issued"
    assert page.locator("[data-testid=request-error]").is_hidden()


def test_the_record_register_revise_and_edit_forms_show_the_refusal_at_the_field(page, login, physician, ward,
                                                                                 screenshot):
    patient = ward["patient"]
    login(physician)
    page.goto(f"/patients/{patient.pk}/record/height-weight/")
    form = page.locator("#record-form")
    form.locator("input[name=date]").fill(timezone.localdate().isoformat())
    form.locator("input[name=weight_kg]").fill("-1")
    submit(form)
    expect(page.locator("#record-form #div_id_weight_kg")).to_contain_text("er ikke en plausibel vekt for en voksen")
    screenshot(page, "record-implausible-weight")

    page.goto("/patients/new/")
    form = page.locator("#patient-form")
    form.locator("input[name=name]").fill("Ny Pasient")
    form.locator("input[name=national_id]").fill("01017012345")  # the check digits do not add up
    submit(form)
    expect(page.locator("#patient-form #div_id_national_id .invalid-feedback")).to_be_visible()

    page.goto(f"{plan_url(ward, 'issued')}revise/")
    form = page.locator("#revise-form")
    submit(form)  # no reason
    expect(page.locator("#revise-form #div_id_reason")).to_contain_text(REQUIRED)

    page.goto(f"/patients/{patient.pk}/edit/")
    form = page.locator("#record-form")
    form.locator("input[name=ward]").fill("Post 4")
    submit(form)  # no reason
    expect(page.locator("#record-form #div_id_reason")).to_contain_text(REQUIRED)


def test_the_protocol_activation_shows_a_wrong_password(page, login, pharmacist, ward):
    active = stored(code="T-E2E-Activate")
    candidate = create_draft_version(data=active.to_schema_data(), reason="review", by=protocol_author())
    login(pharmacist)
    page.goto(f"/admin/regimens/protocol/{candidate.pk}/activate/")
    page.fill("input[name=password]", "not-my-password")
    page.fill("input[name=otp_token]", current_code(ward["devices"][pharmacist.pk], steps_ahead=1))
    page.locator("#content form button[type=submit], #content form input[type=submit]").first.click()
    expect(page.locator("#content")).to_contain_text("Passordet er feil: bekreft med ditt eget passord.")
    candidate.refresh_from_db()
    assert candidate.status == "draft"


def test_a_server_error_or_no_answer_shows_a_banner_and_keeps_the_form(page, login, physician, ward, screenshot):
    patient = ward["patient"]
    url = f"/patients/{patient.pk}/record/height-weight/"
    login(physician)
    page.goto(url)
    banner = page.locator("[data-testid=request-error]")
    expect(banner).to_be_hidden()
    page.route(f"**{url}", lambda route: route.fulfill(status=500, body="<h1>Server Error (500)</h1>")
               if route.request.method == "POST" else route.continue_())
    form = page.locator("#record-form")
    form.locator("input[name=date]").fill(timezone.localdate().isoformat())
    form.locator("input[name=weight_kg]").fill("81")
    submit(form)
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_contain_text("Tjeneren kunne ikke fullføre forespørselen (feil 500). Ingenting ble lagret "
                                   "halvveis")
    expect(page.locator("#record-form input[name=weight_kg]")).to_have_value("81")  # what was typed stays
    screenshot(page, "server-error-banner")

    page.unroute(f"**{url}")
    page.route(f"**{url}", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    submit(page.locator("#record-form"))
    expect(banner).to_contain_text("Fikk ikke svar fra tjeneren.")

    page.unroute(f"**{url}")
    form = page.locator("#record-form")
    form.locator("input[name=weight_kg]").fill("-1")
    submit(form)  # a refusal again: the form with its error, and the banner goes
    expect(page.locator("#record-form #div_id_weight_kg")).to_contain_text("er ikke en plausibel vekt")
    expect(banner).to_be_hidden()


def test_an_expired_session_opens_the_login_page_instead_of_filling_the_form_with_it(page, login, physician,
                                                                                       ward):
    patient = ward["patient"]
    login(physician)
    page.goto(f"/patients/{patient.pk}/record/height-weight/")
    page.context.clear_cookies(name="sessionid")
    form = page.locator("#record-form")
    form.locator("input[name=date]").fill(timezone.localdate().isoformat())
    form.locator("input[name=weight_kg]").fill("81")
    submit(form)
    page.wait_for_url("**/login/**")
    expect(page.locator("main h1")).to_have_text("Logg inn")
    assert page.locator("#record-form").count() == 0
