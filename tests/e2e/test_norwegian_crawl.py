"""The done-criterion of issue 12: a browser set to English (en-US, «Accept-Language: en-US») walks every
page type for every demo patient in the default bokmål and finds, on each page, no English sentence, no
internal key, no number with more decimals than its rule, no horizontal overflow at 1366 px and no
serious or critical axe-core violation (WCAG 2.1 A/AA). The dosing sheet and calendar PDFs are read as
text and checked the same way.

The data is the demo installation's (``manage.py setup_demo``: the demo users with their two-factor
devices, the eleven fictional demo patients and their plans); the physician walks the patient pages,
the pharmacist the verification and the admin's protocol pages, the nurse the start page and the
prints. The page list comes from the URL configuration: a page type added there without a place
here fails the test (``test_the_crawl_knows_every_page_type``). What counts as English, a key or too
many decimals: tests/e2e/page_text.py."""

import datetime
import io
import re
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.management.commands.seed_demo_users import DEMO_USERS
from patients.kinds import RECORD_KINDS
from patients.models import LabResult, Patient, TreatmentPlan
from regimens.models import Protocol
from regimens.presenters import next_monday
from tests.e2e.page_text import VISIBLE_TEXT_JS, problems

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()
WIDTH, HEIGHT = 1366, 768
PASSWORDS = {username: password for username, _first, _last, _role, password in DEMO_USERS}

# Every named page of the URL configuration: crawled (the page types below) or why not.
NOT_PAGES = {
    "patients:plan_issue": "a POST (the signing form is on the plan page)",
    "patients:plan_verify": "a POST (the countersigning form is on the plan page)",
    "patients:plan_return": "a POST (the return form is on the plan page)",
    "patients:plan_cancel": "a POST (the cancel form is on the plan page)",
    "patients:lab_delete": "a POST (the delete form is on the lab result's page)",
    "logout": "a POST",
    "set_language": "a POST (the switch)",
    "login": "crawled before logging in",
    "patients:plan_end": "a POST (the end-of-course form is on the plan page)",
    "course:confirm_administration": "a POST (the confirmation form is on the administration page)",
    "course:progression_decision": "a POST (the decision form is on the response tracker)",
}
CRAWLED = {
    "home", "two_factor", "patients:list", "patients:register", "patients:overview", "patients:edit",
    "patients:record", "patients:treatment_line_edit", "patients:lab_panel", "patients:lab_edit",
    "patients:history", "patients:assessment", "patients:responses", "patients:plan_list", "patients:plan_new",
    "patients:plan_detail", "patients:plan_revise", "patients:plan_sheet_pdf", "patients:plan_calendar_pdf",
    "regimens:list", "regimens:detail", "regimens:summary_pdf", "course:next_release", "course:cycle_release",
    "course:today", "course:physician_worklist", "course:pharmacist_worklist", "course:administration",
    "course:modify_plan", "course:plan_course",
}


def _names(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin",) or str(entry.pattern).startswith("api/"):
                continue
            yield from _names(entry, f"{entry.namespace}:" if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


@pytest.fixture(autouse=True)
def _connect_before_the_live_server(db):
    """As in test_csp_pages.py: the shared in-memory SQLite connection opened in the test thread."""
    from django.db import connection

    connection.ensure_connection()


@pytest.fixture
def demo(db):
    """The demo installation: users, patients, plans; a draft of VRd-induction for the admin's pages."""
    from regimens.actions import create_draft_version
    from tests.regimens.factories import protocol_author

    call_command("setup_demo", stdout=io.StringIO())
    active = Protocol.objects.active().get(code="VRd-induction")
    draft = create_draft_version(data=active.to_schema_data(), reason="review", by=protocol_author())
    return {"active": active, "draft": draft}


def test_the_crawl_knows_every_page_type():
    assert sorted(set(_names()) - CRAWLED - set(NOT_PAGES)) == []


def patient_pages(patient, start):
    p = patient.pk
    yield f"/patients/{p}/"
    yield f"/patients/{p}/?labs=1"
    yield f"/patients/{p}/edit/"
    yield f"/patients/{p}/history/"
    yield f"/patients/{p}/assessment/"
    yield f"/patients/{p}/responses/"
    yield f"/patients/{p}/labs/panel/"
    lab = LabResult.objects.filter(patient=patient).order_by("-date").first()
    if lab is not None:
        yield f"/patients/{p}/labs/{lab.pk}/"
    for kind in RECORD_KINDS:
        yield f"/patients/{p}/record/{kind}/"
    for line in patient.treatmentline_set.all():
        yield f"/patients/{p}/treatment-lines/{line.pk}/"
    yield f"/patients/{p}/plans/"
    yield f"/patients/{p}/plans/new/?regimen=VRd-induction&start_date={start}&cycles=1&bsa_formula=mosteller"
    for plan in TreatmentPlan.objects.filter(patient=patient):
        yield f"/patients/{p}/plans/{plan.pk}/"
        yield f"/patients/{p}/plans/{plan.pk}/revise/"
        # the course: the next cycle to release (a redirect to it) and the first cycle's release page
        yield f"/course/patients/{p}/plans/{plan.pk}/release/"
        yield f"/course/patients/{p}/plans/{plan.pk}/cycles/1/release/"
        yield f"/course/patients/{p}/plans/{plan.pk}/modify/"


class Crawl:
    """One browser context per role; every page checked, every finding kept by page."""

    def __init__(self, browser, base_url):
        self.browser, self.base_url, self.found, self.pages = browser, base_url, {}, 0
        self.axed = set()  # page types axe-core has checked (for the role)

    def login(self, username):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.second_factor import current_code

        context = self.browser.new_context(base_url=self.base_url, locale="en-US",
                                           extra_http_headers={"Accept-Language": "en-US,en;q=0.9"},
                                           viewport={"width": WIDTH, "height": HEIGHT})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/login/")
        self.check(page, "/login/", visit=False)
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORDS[username])
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("input[name=otp_token]", current_code(device))
        page.locator("main button[type=submit]").click()
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    def check(self, page, url, *, visit=True, axe=None):
        """The page's text, width and (once per page type and role, or where ``axe``) accessibility."""
        if visit:
            response = page.goto(url)
            assert response.status == 200, (url, response.status)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        self.pages += 1
        found = problems(page.evaluate(VISIBLE_TEXT_JS))
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            found["overflow"] = [f"document {width[0]} px wide in a {width[1]} px viewport"]
        kind = (page.context, page_type(url))
        if axe or (axe is None and kind not in self.axed):
            self.axed.add(kind)
            results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                             "resultTypes": ["violations"]})
            violations = [f"{v['id']}: {[n['target'] for n in v['nodes']][:4]}"
                          for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
            if violations:
                found["axe"] = violations
        if found:
            self.found[url] = found

    def check_pdf(self, page, url, tmp_path):
        """Every line of the PDF, the protocol's own interpretations included (written in bokmål since
        issue 12: a PDF has no language tags to exempt a text by)."""
        response = page.request.get(url)
        assert response.status == 200 and response.headers["content-type"] == "application/pdf", url
        path = tmp_path / "print.pdf"
        path.write_bytes(response.body())
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        self.pages += 1
        # a line of the PDF is judged as a text node of a page; the sheet's working column holds the
        # working's exact figures (the BSA at four decimals, the exact dose before «→»)
        lines = [line for line in text.splitlines() if line.strip()]
        found = problems([{"text": line, "working": True} for line in lines])
        if found:
            self.found[url] = found


def page_type(url):
    """The URL pattern a page is of («patients:record» and its kind, «admin» and its view)."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return (match.view_name, match.kwargs.get("kind", ""), "?" in url, path.rstrip("/").rsplit("/", 1)[-1]
            if match.view_name.startswith("admin:") else "")


# The assessment (the most clinical text, different for each patient) is checked by axe-core for every
# patient; any other page once per page type and role (its markup is the same for every patient; axe-core
# takes 0.5-2 s a page, the crawl's largest cost).
AXE_EVERY_PATIENT = re.compile(r"^/patients/\d+/assessment/$")


def test_every_page_type_for_every_demo_patient_reads_norwegian(browser, live_server, demo, tmp_path):
    crawl = Crawl(browser, live_server.url)
    start = next_monday(datetime.date.today())
    patients = list(Patient.objects.order_by("pk"))
    assert len(patients) >= 10  # the demo installation's patients
    plans = list(TreatmentPlan.objects.select_related("patient"))
    assert {plan.status for plan in plans} >= {"issued", "verified"}

    page = crawl.login("lege")
    for url in ("/", "/patients/", "/patients/new/", "/regimens/", "/account/two-factor/",
                "/course/worklist/physician/",
                *(f"/regimens/{code}/" for code in ("VRd-induction", "Isa-Kd", "PCd", "Mel-HMAS"))):
        crawl.check(page, url)
    for code in ("VRd-induction", "Isa-Kd", "Cy-mobilisation"):
        crawl.check_pdf(page, f"/regimens/{code}/summary.pdf", tmp_path)
    for patient in patients:
        for url in patient_pages(patient, start):
            crawl.check(page, url, axe=True if AXE_EVERY_PATIENT.match(url) else None)
    page.context.close()

    page = crawl.login("farmasoyt")
    crawl.check(page, "/")
    crawl.check(page, "/course/worklist/pharmacist/")
    for plan in plans:
        crawl.check(page, f"/patients/{plan.patient_id}/plans/{plan.pk}/")
    draft = demo["draft"]
    for url in ("/admin/", "/admin/regimens/protocol/", f"/admin/regimens/protocol/{demo['active'].pk}/change/",
                f"/admin/regimens/protocol/{demo['active'].pk}/history/",
                f"/admin/regimens/protocol/{draft.pk}/change/", f"/admin/regimens/protocol/{draft.pk}/preview/",
                f"/admin/regimens/protocol/{draft.pk}/activate/"):
        crawl.check(page, url)
    page.context.close()

    page = crawl.login("sykepleier")
    crawl.check(page, "/")
    crawl.check(page, "/course/today/")
    for plan in plans:
        crawl.check(page, f"/patients/{plan.patient_id}/plans/{plan.pk}/")
        if plan.status in ("issued", "verified"):  # the first scheduled administration's page
            crawl.check(page, f"/course/patients/{plan.patient_id}/plans/{plan.pk}/administrations/0/")
        if plan.status == "verified":
            crawl.check(page, f"/course/patients/{plan.patient_id}/plans/{plan.pk}/course/")
            crawl.check_pdf(page, f"/patients/{plan.patient_id}/plans/{plan.pk}/dosing-sheet.pdf", tmp_path)
            crawl.check_pdf(page, f"/patients/{plan.patient_id}/plans/{plan.pk}/calendar.pdf", tmp_path)
    page.context.close()

    assert crawl.pages > 200
    assert crawl.found == {}, "\n".join(
        f"{url}\n" + "\n".join(f"    {kind}: {item}" for kind, items in found.items() for item in items[:12])
        for url, found in crawl.found.items())
