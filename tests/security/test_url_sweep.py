"""Every URL of the site, enumerated from the URLconf and filled with the real ids of a seeded
patient, treatment line and plan, requested with GET, POST, PUT and DELETE (and GET as htmx):

- by a logged-in user in no role: every method the view accepts answers 403, every other 405
  with an ``Allow`` header that names exactly the accepted methods: never 200, never a redirect,
  never a byte of the patient;
- by an anonymous visitor: a redirect to the login page (the API: 401), never data;
- by a user holding every permission but the one the view needs: 403; holding only that
  permission: the page (so the ids filled in are real and the table names the right permission).

The tables below are written by hand, not read from the code: a new URL that is in neither
table fails ``test_every_url_is_in_a_table``, a view that accepts a method the table does not
give it (``plan_detail`` answered POST) fails the method check, and a view that forgets its
permission (``plan_detail`` answered 200 to a user in no role) fails the sweep.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLResolver, get_resolver

from accounts import roles
from patients import actions
from tests.patients.plan_helpers import shown
from tests.personas import PASSWORD, english_client, verify_second_factor

METHODS = ("GET", "POST", "PUT", "DELETE")
GET, POST, GET_POST = {"GET"}, {"POST"}, {"GET", "POST"}

# URL name -> (methods the view accepts, of METHODS; the permission a user needs).
# "patients:record" needs a permission per record kind (RECORD_KIND_PERMISSION).
PROTECTED = {
    "patients:list": (GET, roles.VIEW_PATIENTS),
    "patients:register": (GET_POST, roles.REGISTER_PATIENT),
    "patients:overview": (GET, roles.VIEW_PATIENTS),
    "patients:edit": (GET_POST, roles.REGISTER_PATIENT),
    "patients:record": (GET_POST, None),
    "patients:treatment_line_edit": (GET_POST, roles.RECORD_CLINICAL_ASSESSMENT),
    "patients:history": (GET, roles.VIEW_PATIENTS),
    "patients:lab_panel": (GET_POST, roles.RECORD_OBSERVATIONS),
    "patients:lab_edit": (GET_POST, roles.RECORD_OBSERVATIONS),
    "patients:lab_delete": (POST, roles.RECORD_OBSERVATIONS),
    "patients:assessment": (GET, roles.VIEW_PATIENTS),
    "patients:responses": (GET, roles.VIEW_PATIENTS),
    "patients:plan_list": (GET, roles.VIEW_PATIENTS),
    "patients:plan_new": (GET_POST, roles.ISSUE_PLAN),
    "patients:plan_detail": (GET, roles.VIEW_PATIENTS),
    "patients:plan_issue": (POST, roles.ISSUE_PLAN),
    "patients:plan_verify": (POST, roles.VERIFY_PLAN),
    "patients:plan_revise": (GET_POST, roles.ISSUE_PLAN),
    "patients:plan_return": (POST, roles.VERIFY_PLAN),
    "patients:plan_cancel": (POST, roles.ISSUE_PLAN),
    "patients:plan_end": (POST, roles.ISSUE_PLAN),
    "course:cycle_release": (GET_POST, roles.ISSUE_PLAN),
    "course:next_release": (GET, roles.ISSUE_PLAN),
    "course:administration": (GET_POST, roles.RECORD_ADMINISTRATION),
    "course:confirm_administration": (POST, roles.RECORD_ADMINISTRATION),
    "course:today": (GET, roles.RECORD_ADMINISTRATION),
    "course:physician_worklist": (GET, roles.ISSUE_PLAN),
    "course:pharmacist_worklist": (GET, roles.VERIFY_PLAN),
    "course:progression_decision": (POST, roles.ISSUE_PLAN),
    "course:modify_plan": (GET_POST, roles.ISSUE_PLAN),
    "course:plan_course": (GET, roles.VIEW_PATIENTS),
    "patients:plan_sheet_pdf": (GET, roles.PRINT_PLAN),
    "patients:plan_calendar_pdf": (GET, roles.PRINT_PLAN),
    "regimens:list": (GET, roles.VIEW_PATIENTS),
    "regimens:detail": (GET, roles.VIEW_PATIENTS),
    "regimens:summary_pdf": (GET, roles.VIEW_PATIENTS),
    # The JSON API checks the same permission in its authentication (config/api.py).
    "api-v1:evaluate": (POST, roles.VIEW_PATIENTS),
    "api-v1:response": (POST, roles.VIEW_PATIENTS),
    "api-v1:poems_response_view": (POST, roles.VIEW_PATIENTS),
    "api-v1:response_series_view": (POST, roles.VIEW_PATIENTS),
    "api-v1:dosing_endpoint": (POST, roles.VIEW_PATIENTS),
    "api-v1:regimen_list": (GET, roles.VIEW_PATIENTS),
    "api-v1:regimen_detail": (GET, roles.VIEW_PATIENTS),
}
# Treatment history and clinical status are physician judgements (they drive the advice).
RECORD_KIND_PERMISSION = {
    "height-weight": roles.RECORD_OBSERVATIONS, "lab": roles.RECORD_OBSERVATIONS,
    "marrow": roles.RECORD_OBSERVATIONS, "imaging": roles.RECORD_OBSERVATIONS,
    "cytogenetics": roles.RECORD_OBSERVATIONS, "poems": roles.RECORD_OBSERVATIONS,
    "treatment-line": roles.RECORD_CLINICAL_ASSESSMENT, "clinical-status": roles.RECORD_CLINICAL_ASSESSMENT,
    "skeletal": roles.RECORD_CLINICAL_ASSESSMENT, "organ-function": roles.RECORD_OBSERVATIONS,
}
# Open to every logged-in user, and why: none shows a patient or a clinical rule.
OPEN = {
    "home": "the start page: the user's own name, roles and rights (the 403 page links to it)",
    "login": "logging in", "logout": "logging out", "two_factor": "the user's own second factor",
    "set_language": "the language of the pages (also before logging in: the login page has the switch)",
    "api-v1:openapi-json": "the API's description",
    "api-v1:api-root": "the API's index (an empty 404 from django-ninja)",
}
PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>")


def routes():
    """(URL name, route with its placeholders) of every URL outside the Django admin, which is a
    site of its own (staff and a verified second factor: config/admin_site.py)."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                yield ":".join(filter(None, [namespace, pattern.name])), prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns, "/", ""))


def swept():
    """One case per protected URL and record kind: (test id, URL name, route, kind)."""
    cases = []
    for name, route in routes():
        if name not in PROTECTED:
            continue
        kinds = RECORD_KIND_PERMISSION if "<slug:kind>" in route else [None]
        cases.extend(pytest.param(name, route, kind, id=f"{name}[{kind}]" if kind else name) for kind in kinds)
    return cases


def required(name, kind):
    return RECORD_KIND_PERMISSION[kind] if kind else PROTECTED[name][1]


@pytest.fixture
def world(physician, pharmacist, nurse, patient):
    """The patient of tests/security/conftest.py with measurements, a treatment line and a
    verified plan (so the PDFs exist): the ids every placeholder is filled with."""
    today = datetime.date.today()
    actions.record_height_weight(by=physician, patient=patient, date=today, height_cm=180, weight_kg=80)
    lab = actions.record_lab_result(by=physician, patient=patient, date=today, analyte="creatinine", value=80)
    line = actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd", drugs=["bortezomib"],
                                         start_date=datetime.date(2024, 1, 8))
    plan = actions.create_plan_draft(by=physician, patient=patient, regimen="VRd-induction",
                                     start_date=datetime.date(2026, 1, 5))
    plan = actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(plan))
    plan = actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(plan))
    from treatment_course.administer import record_administration

    record = record_administration(plan=plan, item=0, by=nurse, outcome="not_given", reason="Sweep")
    from treatment_course.models import ProgressionProposal

    proposal = ProgressionProposal.objects.create(patient=patient, treatment_line=line,
                                                  progression_date=today, reasons=[])
    return {"patient": patient, "values": {"pk": patient.pk, "plan_pk": plan.pk, "line_pk": line.pk,
                                           "lab_pk": lab.pk, "code": plan.protocol.code, "cycle": 1,
                                           "item": 0, "record_pk": record.pk,
                                           "proposal_pk": proposal.pk}}


def fill(route, world, kind):
    values = {**world["values"], "kind": kind}

    def value(match):
        assert values.get(match[1]) is not None, f"{route}: the sweep has no value for <{match[1]}>"
        return str(values[match[1]])

    return PLACEHOLDER.sub(value, route)


def request(client, method, url, **headers):
    return getattr(client, method.lower())(url, **headers)


def assert_no_patient_data(response, patient, where):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="replace")
    assert patient.name not in text and patient.national_id not in text, where


def client_for_user(user):
    client = english_client()
    client.force_login(user)
    verify_second_factor(client, user)
    return client


def test_every_url_is_in_a_table():
    names = [name for name, _route in routes()]
    assert len(names) == len(set(names)), "two URLs share a name"
    unlisted = set(names) - set(PROTECTED) - set(OPEN)
    assert not unlisted, f"add these URLs to PROTECTED (or OPEN, with a reason): {sorted(unlisted)}"
    assert set(PROTECTED) | set(OPEN) == set(names), "the tables name URLs that no longer exist"


def test_every_record_kind_is_swept():
    from patients.kinds import RECORD_KINDS

    assert set(RECORD_KIND_PERMISSION) == set(RECORD_KINDS)


@pytest.mark.hazard("HAZ-030")
@pytest.mark.parametrize(("name", "route", "kind"), swept())
def test_user_in_no_role_gets_403_or_405_on_every_url(name, route, kind, world, no_role):
    url = fill(route, world, kind)
    allowed = PROTECTED[name][0]
    client = client_for_user(no_role)
    for method in METHODS:
        response = request(client, method, url)
        where = f"{method} {url}"
        if method in allowed:
            assert response.status_code == 403, where
        else:
            assert response.status_code == 405, where
            named = {m.strip() for m in response["Allow"].split(",")} & set(METHODS)
            assert named == allowed, f"{where}: the view accepts {sorted(named)}, the table says {sorted(allowed)}"
        assert_no_patient_data(response, world["patient"], where)
        if method in allowed and not name.startswith("api-v1:"):
            fragment = request(client, method, url, HTTP_HX_REQUEST="true")
            assert fragment.status_code == 403, f"htmx {where}"
            assert_no_patient_data(fragment, world["patient"], f"htmx {where}")


@pytest.mark.hazard("HAZ-030")
@pytest.mark.parametrize(("name", "route", "kind"), swept())
def test_anonymous_visitor_is_sent_to_the_login_page_on_every_url(name, route, kind, world):
    url = fill(route, world, kind)
    client = Client()
    for method in METHODS:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = request(client, method, url, **headers)
            where = f"{method} {url} {headers}"
            if name.startswith("api-v1:"):
                assert response.status_code in (401, 405), where
            else:
                assert response.status_code == 302 and response["Location"].startswith("/login/"), where
            assert_no_patient_data(response, world["patient"], where)


@pytest.mark.hazard("HAZ-030")
@pytest.mark.parametrize(("name", "route", "kind"), swept())
def test_each_url_needs_exactly_the_permission_in_the_table(name, route, kind, world, django_user_model):
    url = fill(route, world, kind)
    permission = required(name, kind)
    method = "GET" if "GET" in PROTECTED[name][0] else "POST"
    every = {f"patients.{codename}" for codename, _label in roles.CUSTOM_PERMISSIONS} | {
        roles.RECORD_ADMINISTRATION}
    for holds, expect_denied in ((every - {permission}, True), ({permission}, False)):
        user = django_user_model.objects.create_user(username=f"u{len(holds)}", password="x")
        user.user_permissions.set(
            [Permission.objects.get(content_type__app_label=p.split(".")[0], codename=p.split(".")[1])
             for p in holds])
        response = request(client_for_user(user), method, url)
        where = f"{method} {url} by a user with {sorted(holds)}"
        if expect_denied:
            assert response.status_code == 403, where
        else:
            assert response.status_code not in (403, 404, 405) and response.status_code < 500, where


@pytest.mark.parametrize("name", sorted(OPEN))
def test_open_pages_show_a_user_in_no_role_no_patient(name, world, no_role):
    """The open pages answer a GET without data (logout takes POST only, a GET is refused)."""
    route = dict(routes())[name]
    response = client_for_user(no_role).get(fill(route, world, None))
    assert response.status_code in (200, 302, 404, 405), name
    assert_no_patient_data(response, world["patient"], name)


def test_the_admin_site_sends_a_user_in_no_role_to_its_login(world, no_role):
    response = client_for_user(no_role).get("/admin/patients/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
