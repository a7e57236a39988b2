"""The browser shows no CSP violation (and no script error) on the main pages, the
two-factor pages and the admin. CSP violations reach the console as errors and are
also reported by a `securitypolicyviolation` listener installed before each page."""

import datetime

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import current_code
from patients import actions, identity
from tests.personas import PASSWORD
from tests.regimens.factories import stored

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _connect_before_the_live_server(db):
    """Open the shared in-memory SQLite connection in the test thread. Opened first by a
    live-server request thread it can be garbage-collected unclosed: a ResourceWarning,
    an error under filterwarnings=error (tests/e2e/test_login.py shows it on main)."""
    from django.db import connection

    connection.ensure_connection()

LISTENER = ("document.addEventListener('securitypolicyviolation', "
            "e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));")


@pytest.fixture
def watched(page):
    page.add_init_script(LISTENER)
    return page


@pytest.fixture
def patient(physician):
    patient = actions.register_patient(
        by=physician, name="Nettleser Testesen",
        national_id=identity.make(datetime.date(1950, 2, 3), 311, synthetic=True),
    )
    today = datetime.date.today()
    for days, value in ((60, 30), (30, 25), (0, 20)):
        actions.record_lab_result(by=physician, patient=patient, date=today - datetime.timedelta(days=days),
                                  analyte="m_protein", value=value)
    actions.record_height_weight(by=physician, patient=patient, date=today, height_cm=175, weight_kg=72)
    return patient


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status < 400, (url, response.status)


def test_the_detector_sees_a_violation(watched, login, physician):
    """Proof that the harness would notice: an inline script injected into the page is refused."""
    login(physician)
    watched.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
                     " document.body.appendChild(s); }")
    watched.wait_for_timeout(200)
    assert any("CSP violation" in e or "Content Security Policy" in e for e in watched.console_errors)
    assert watched.evaluate("() => window.x") is None


def test_main_pages_have_no_csp_violation(watched, login, physician, patient, screenshot):
    login(physician)
    protocol = stored(code="T-E2E")
    for url in ("/", "/patients/", f"/patients/{patient.pk}/", f"/patients/{patient.pk}/history/",
                f"/patients/{patient.pk}/record/lab/", f"/patients/{patient.pk}/record/clinical-status/",
                "/patients/new/", "/regimens/", f"/regimens/{protocol.code}/", "/account/two-factor/"):
        visit(watched, url)
    screenshot(watched, "two-factor-enrolment")
    # htmx: the record form posts as a fragment
    visit(watched, f"/patients/{patient.pk}/record/height-weight/")
    watched.fill("input[name=weight_kg]", "-1")
    # wait for the htmx answer itself: "networkidle" was already reached before the click, and a
    # request still served at teardown shares the in-memory database connection with the flush
    with watched.expect_response(lambda r: r.request.method == "POST"):
        watched.click("#record-form button[type=submit]")
    watched.wait_for_load_state("networkidle")
    assert watched.console_errors == [], watched.console_errors


def test_an_htmx_swap_over_an_element_with_a_style_has_no_csp_violation(watched, login, physician, patient):
    """htmx settles attributes of elements whose id is in the old and the new content; settling
    "style" copies it with setAttribute("style", …), which the CSP blocks. A style set by a script
    (allowed: CSSOM) on a field of the plan form, then a change that swaps the form."""
    login(physician)
    visit(watched, f"/patients/{patient.pk}/plans/new/")
    watched.evaluate("() => { document.getElementById('id_cycles').style.outline = '1px solid red'; }")
    watched.fill("input[name=cycles]", "2")
    with watched.expect_response(lambda r: "/plans/new/" in r.url):
        watched.locator("input[name=cycles]").dispatch_event("change")
    watched.wait_for_load_state("networkidle")
    watched.wait_for_timeout(300)
    assert watched.console_errors == [], watched.console_errors


def test_login_with_code_and_the_admin_have_no_csp_violation(watched, pharmacist, screenshot):
    device = TOTPDevice.objects.create(user=pharmacist, name="phone", confirmed=True)
    protocol = stored(code="T-E2E-Admin")
    draft = stored(code="T-E2E-Admin", version=2, status="draft")
    visit(watched, "/admin/")  # -> /admin/login/ -> /login/?next=/admin/
    assert "/login/" in watched.url
    watched.fill("input[name=username]", pharmacist.username)
    watched.fill("input[name=password]", PASSWORD)
    watched.fill("input[name=otp_token]", current_code(device))
    screenshot(watched, "login-with-code")
    watched.click("button[type=submit]")
    watched.wait_for_url("**/admin/")
    for url in ("/admin/", "/admin/regimens/protocol/", f"/admin/regimens/protocol/{protocol.pk}/change/",
                f"/admin/regimens/protocol/{protocol.pk}/history/", f"/admin/regimens/protocol/{protocol.pk}/retire/",
                f"/admin/regimens/protocol/{protocol.pk}/new-draft/", f"/admin/regimens/protocol/{draft.pk}/change/",
                f"/admin/regimens/protocol/{draft.pk}/history/", f"/admin/regimens/protocol/{draft.pk}/preview/",
                f"/admin/regimens/protocol/{draft.pk}/activate/"):
        visit(watched, url)
    screenshot(watched, "admin-history")
    assert watched.console_errors == [], watched.console_errors


def test_lockout_page_shows_the_message(watched, physician, settings, screenshot):
    settings.AXES_ENABLED = True
    watched.goto("/login/")
    for _ in range(5):
        watched.fill("input[name=username]", physician.username)
        watched.fill("input[name=password]", "wrong")
        watched.click("button[type=submit]")
        watched.wait_for_load_state("networkidle")
    assert watched.locator("[data-testid=lockout]").is_visible()
    screenshot(watched, "lockout")
    # the 429 status of the page itself is the only console error
    assert all("429" in e for e in watched.console_errors), watched.console_errors
