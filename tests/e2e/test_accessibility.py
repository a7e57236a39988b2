"""Accessibility (issue 12 item 9): axe-core (axe-playwright-python ships it) checks every page type in
bokmål against WCAG 2.1 A and AA, which Norwegian public-sector web solutions must meet
(forskrift om universell utforming av IKT-løsninger); no serious or critical violation is allowed.
Collapsed evidence groups are opened first, so what they hide is checked too."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from patients import actions
from regimens.models import Protocol
from tests.patients.factories import clinical_patient, make_patient
from tests.patients.plan_helpers import draft, issued

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()
RECORD_KINDS = ("height-weight", "lab", "marrow", "imaging", "cytogenetics", "poems", "treatment-line",
                "clinical-status")


def _violations(page):
    """The serious and critical WCAG 2.1 A/AA violations on the page: {rule: [the elements' selectors]}."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                     "resultTypes": ["violations"]})
    return {v["id"]: [(node["target"], node.get("failureSummary", "")[:160]) for node in v["nodes"]][:8]
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")}


def _check(page, url, found, *, prepare=None):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    if prepare:
        prepare(page)
    violations = _violations(page)
    if violations:
        found[url] = violations


def _logout(page):
    page.goto("/")
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url("**/login/**")


def _open_evidence(page):
    page.evaluate("document.querySelectorAll('details.evidence').forEach(d => { d.open = true; })")


def test_every_page_type_has_no_serious_or_critical_axe_violation(page, login, physician, pharmacist, nurse):
    today = timezone.localdate()
    patient = make_patient(clinical_patient("ACTIVE_MYELOMA transplant-eligible"), today=today)
    actions.record_height_weight(by=physician, patient=patient, date=today, height_cm=182, weight_kg=84)
    relapse = make_patient(clinical_patient("RELAPSE_LINE_2 lenalidomide-refractory"), today=today)
    plan_draft = draft(physician, patient)
    plan_issued = issued(physician, patient)
    line = relapse.treatmentline_set.first()
    found = {}

    _check(page, "/login/", found)

    login(physician)
    _check(page, "/", found)
    _check(page, "/patients/", found)
    _check(page, "/patients/new/", found)
    _check(page, f"/patients/{patient.pk}/", found)
    _check(page, f"/patients/{patient.pk}/?labs=1", found)
    _check(page, f"/patients/{patient.pk}/edit/", found)
    _check(page, f"/patients/{patient.pk}/history/", found)
    for who in (patient, relapse):
        _check(page, f"/patients/{who.pk}/assessment/", found, prepare=_open_evidence)
    _check(page, f"/patients/{relapse.pk}/responses/", found)
    for kind in RECORD_KINDS:
        _check(page, f"/patients/{patient.pk}/record/{kind}/", found)
    _check(page, f"/patients/{relapse.pk}/treatment-lines/{line.pk}/", found)
    _check(page, f"/patients/{patient.pk}/plans/", found)
    _check(page, f"/patients/{patient.pk}/plans/new/?regimen=VRd-induction", found)
    _check(page, f"/patients/{patient.pk}/plans/{plan_draft.pk}/", found)
    _check(page, f"/patients/{patient.pk}/plans/{plan_issued.pk}/revise/", found)
    _check(page, "/regimens/", found)
    _check(page, "/regimens/VRd-induction/", found)
    _check(page, "/account/two-factor/", found)
    _logout(page)

    TOTPDevice.objects.create(user=pharmacist, name="phone", confirmed=True)  # the admin needs two-factor
    login(pharmacist)
    _check(page, "/", found)
    _check(page, f"/patients/{patient.pk}/plans/{plan_issued.pk}/", found)
    _check(page, "/admin/", found)
    protocol = Protocol.objects.active().get(code="VRd-induction")
    _check(page, f"/admin/regimens/protocol/{protocol.pk}/change/", found)
    _logout(page)

    login(nurse)
    _check(page, "/", found)
    _check(page, f"/patients/{patient.pk}/", found)

    assert found == {}, "\n".join(f"{url}: {violations}" for url, violations in found.items())
    assert page.console_errors == [], page.console_errors
