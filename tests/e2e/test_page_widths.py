"""Pages that fit (issue 12 item 8): no page type scrolls sideways on a 1366 px laptop or a 768 px
tablet, and a very long patient name (and a long user name in the navbar) breaks neither the
header nor the navbar. Measured in the browser: the document is no wider than the viewport, and
the header's and the navbar's boxes end inside it.

Screenshots of each page at each width go to artifacts/screenshots/ (viewport only)."""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from patients import actions, plans
from patients.kinds import RECORD_KINDS
from patients.models import Patient
from regimens.actions import create_draft_version
from regimens.models import Protocol
from tests.e2e.browser import ARTIFACTS
from tests.patients.factories import clinical_patient, make_patient
from tests.personas import PASSWORD
from tests.regimens.factories import protocol_author

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.hazard("HAZ-052")]

WIDTHS = {1366: 768, 768: 1024}  # width: height (a ward laptop; a tablet upright)
# Long, as Norwegian double names are, with a part the browser cannot break at a space or hyphen.
LONG_NAME = ("Anne-Kristine Margrethe Solveig Wilhelmsen-Fjeldstad Christophersen-Brennhovd "
             "Oppegaardsmyrbakkensætersdalen")


@pytest.fixture(autouse=True)
def _connect_before_the_live_server(db):
    """As in test_csp_pages.py: the shared in-memory SQLite connection opened in the test thread."""
    from django.db import connection

    connection.ensure_connection()


@pytest.fixture
def ward(admin_user):
    """A newly diagnosed myeloma patient with a very long name, measured today, with a draft and an
    issued plan; the administrator (every right, staff) has a long name too and an authenticator."""
    admin_user.first_name, admin_user.last_name = "Tor-Bjørnar Alexander", "Christophersen-Brennhovd"
    admin_user.save()
    TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    today = timezone.localdate()
    patient = make_patient(clinical_patient("ACTIVE_MYELOMA transplant-eligible"), today=today)
    Patient.objects.filter(pk=patient.pk).update(name=LONG_NAME)  # the seed's name is short
    patient.refresh_from_db()
    actions.record_height_weight(by=admin_user, patient=patient, date=today, height_cm=180, weight_kg=80)
    actions.record_lab_result(by=admin_user, patient=patient, date=today, analyte="creatinine", value=80)
    start = today + datetime.timedelta(days=7 - today.weekday())
    drafts = [actions.create_plan_draft(by=admin_user, patient=patient, regimen="VRd-induction", start_date=start)
              for _ in range(2)]
    issued = actions.issue_plan(plan=drafts[1], by=admin_user, password=PASSWORD, acknowledged_flags=[],
                                expected_fingerprint=plans.compute_for(drafts[1]).fingerprint)
    active = Protocol.objects.active().get(code="VRd-induction")
    protocol_draft = create_draft_version(data=active.to_schema_data(), reason="review", by=protocol_author())
    return {"patient": patient, "draft": drafts[0], "issued": issued, "start": start, "protocol_draft": protocol_draft}


def pages(ward):
    p = ward["patient"].pk
    protocol = Protocol.objects.active().get(code="VRd-induction")
    yield "start", "/"
    yield "patient-list", "/patients/"
    yield "patient-search", f"/patients/?q={LONG_NAME.split()[0]}"
    yield "register", "/patients/new/"
    yield "overview", f"/patients/{p}/?labs=1"
    yield "assessment", f"/patients/{p}/assessment/"
    yield "responses", f"/patients/{p}/responses/"
    yield "history", f"/patients/{p}/history/"
    yield "patient-edit", f"/patients/{p}/edit/"
    for kind in RECORD_KINDS:
        yield f"record-{kind}", f"/patients/{p}/record/{kind}/"
    yield "plan-list", f"/patients/{p}/plans/"
    yield "plan-new", (f"/patients/{p}/plans/new/?regimen=VRd-induction&start_date={ward['start']}&cycles=1"
                       "&bsa_formula=mosteller")
    yield "plan-draft", f"/patients/{p}/plans/{ward['draft'].pk}/"
    yield "plan-issued", f"/patients/{p}/plans/{ward['issued'].pk}/"
    yield "plan-revise", f"/patients/{p}/plans/{ward['issued'].pk}/revise/"
    yield "regimen-library", "/regimens/"
    yield "regimen-detail", f"/regimens/{protocol.code}/"
    yield "two-factor", "/account/two-factor/"
    yield "admin-index", "/admin/"
    yield "admin-protocols", "/admin/regimens/protocol/"
    yield "admin-protocol-change", f"/admin/regimens/protocol/{protocol.pk}/change/"
    yield "admin-protocol-history", f"/admin/regimens/protocol/{protocol.pk}/history/"
    yield "admin-protocol-draft", f"/admin/regimens/protocol/{ward['protocol_draft'].pk}/change/"
    yield "admin-protocol-preview", f"/admin/regimens/protocol/{ward['protocol_draft'].pk}/preview/"
    yield "admin-protocol-activate", f"/admin/regimens/protocol/{ward['protocol_draft'].pk}/activate/"


MEASURE = """() => {
  const view = window.innerWidth;
  const right = sel => { const el = document.querySelector(sel); return el ? el.getBoundingClientRect().right : 0; };
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > view + 0.5 && el.getClientRects().length)
    .filter(el => !el.closest('.table-responsive, .table-scroll, .overflow-auto'))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                     (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : ''));
  return {view, scroll: document.documentElement.scrollWidth, wide,
          navbar: right('nav.navbar'), header: right('main nav[aria-label]')};
}"""


def measure(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status < 400, (url, response.status)
    return page.evaluate(MEASURE)


def test_no_page_scrolls_sideways_at_1366_or_768_px(page, login, admin_user, ward, screenshot):
    login(admin_user)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, url in pages(ward):
            m = measure(page, url)
            page.screenshot(path=str(ARTIFACTS / f"width-{width}-{name}.png"))
            if m["scroll"] > m["view"] or m["navbar"] > m["view"] + 0.5 or m["header"] > m["view"] + 0.5:
                too_wide[f"{width} {name}"] = m
    assert too_wide == {}, too_wide


def test_the_login_page_fits(page):
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        m = measure(page, "/login/")
        assert m["scroll"] <= m["view"], (width, m)


def test_a_long_name_keeps_the_navbar_on_one_line_at_1366_px(page, login, admin_user, ward):
    """The expanded navbar (from 992 px) holds the menu, the user's name and roles, the log-out
    button and the language switch on one line: no item falls below the brand."""
    login(admin_user)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/patients/{ward['patient'].pk}/")
    brand = page.locator("nav.navbar .navbar-brand").bounding_box()
    language = page.locator("nav.navbar select[name=language]").bounding_box()
    logout = page.locator("nav.navbar form[action='/logout/'] button").bounding_box()
    for box in (language, logout):
        assert box["y"] < brand["y"] + brand["height"], (box, brand)  # same line as the brand
        assert box["x"] + box["width"] <= 1366
