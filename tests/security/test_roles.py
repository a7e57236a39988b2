"""Roles enforced everywhere: every role x every protected action, with the expected
outcome taken from accounts/roles.py (ROLE_PERMISSIONS, ROLE_MODEL_PERMISSIONS,
STAFF_ROLES), asserted on the real HTTP answer and on the database."""

import datetime

import pytest
from django.test import Client

from accounts import roles
from accounts.models import ApiToken
from patients import identity
from patients.models import ClinicalStatus, HeightWeight, Patient
from regimens.models import Protocol
from tests.personas import PASSWORD, english_client, verify_second_factor
from tests.regimens.factories import protocol_author, stored

NONE = "no role"
ROLE_FIXTURES = {roles.PHYSICIAN: "physician", roles.NURSE: "nurse", roles.PHARMACIST: "pharmacist",
                 roles.ADMIN: "admin_user", NONE: "no_role"}
NEW_ID = identity.make(datetime.date(1966, 9, 12), 419, synthetic=True)


def has(role, permission):
    return permission in roles.ROLE_PERMISSIONS.get(role, set())


def may_admin(role, action, app="regimens"):
    return role in roles.STAFF_ROLES and action in roles.ROLE_MODEL_PERMISSIONS.get(role, {}).get(app, ())


# Each action: (who may, according to roles.py) and a function that performs it and
# returns what happened: "allowed" or "denied" (anything else fails the test).


def _page(url):
    def run(client, ctx):
        response = client.get(url.format(**ctx))
        return {200: "allowed", 403: "denied"}.get(response.status_code, response.status_code)

    return run


def register_patient(client, ctx):
    response = client.post("/patients/new/", {"name": "Ny Pasient", "national_id": NEW_ID})
    created = Patient.objects.filter(national_id=NEW_ID).exists()
    if response.status_code == 302 and created:
        return "allowed"
    return "denied" if response.status_code == 403 and not created else (response.status_code, created)


def correct_patient(client, ctx):
    patient = Patient.objects.get(pk=ctx["pk"])
    response = client.post(f"/patients/{ctx['pk']}/edit/", {
        "name": patient.name, "national_id": patient.national_id, "ward": "Post 9", "reason": "Moved",
        "lock_version": patient.lock_version,
    })
    changed = Patient.objects.get(pk=ctx["pk"]).ward == "Post 9"
    if response.status_code == 302 and changed:
        return "allowed"
    return "denied" if response.status_code == 403 and not changed else (response.status_code, changed)


def record_observation(client, ctx):
    response = client.post(f"/patients/{ctx['pk']}/record/height-weight/",
                           {"date": datetime.date.today().isoformat(), "weight_kg": "71.5"})
    created = HeightWeight.objects.filter(patient_id=ctx["pk"]).exists()
    if response.status_code == 302 and created:
        return "allowed"
    return "denied" if response.status_code == 403 and not created else (response.status_code, created)


def record_clinical_assessment(client, ctx):
    response = client.post(f"/patients/{ctx['pk']}/record/clinical-status/",
                           {"date": datetime.date.today().isoformat(), "frailty": "fit"})
    created = ClinicalStatus.objects.filter(patient_id=ctx["pk"]).exists()
    if response.status_code == 302 and created:
        return "allowed"
    return "denied" if response.status_code == 403 and not created else (response.status_code, created)


def _admin_page(url):
    def run(client, ctx):
        response = client.get(url.format(**ctx))
        if response.status_code == 200:
            return "allowed"
        if response.status_code == 403 or (response.status_code == 302 and "/login/" in response["Location"]):
            return "denied"
        return response.status_code

    return run


def activate_protocol(client, ctx):
    """The activation page (issue 10: no bulk action), as the second pharmacist uses it."""
    draft = Protocol.objects.get(pk=ctx["draft"])
    draft.name = "Roles (checked)"
    draft._history_user = protocol_author()  # another pharmacist's last change: the user may be the checker
    draft.save()
    url = f"/admin/regimens/protocol/{draft.pk}/activate/"
    page = client.get(url)
    if page.status_code == 200:
        client.post(url, {**page.context["form"].initial, "password": PASSWORD})
    draft.refresh_from_db()
    return "allowed" if draft.status == "active" else "denied"


def _api(method, url, body=None, bearer=False):
    def run(client, ctx):
        if bearer:
            client = Client()
            headers = {"HTTP_AUTHORIZATION": f"Bearer {ctx['token']}"}
        else:
            headers = {}
        if method == "get":
            response = client.get(url, **headers)
        else:
            response = client.post(url, body, content_type="application/json", **headers)
        return {200: "allowed", 403: "denied"}.get(response.status_code, response.status_code)

    return run


ACTIONS = {
    "view patient list": (lambda r: has(r, roles.VIEW_PATIENTS), _page("/patients/")),
    "view patient overview": (lambda r: has(r, roles.VIEW_PATIENTS), _page("/patients/{pk}/")),
    "view patient change log": (lambda r: has(r, roles.VIEW_PATIENTS), _page("/patients/{pk}/history/")),
    "view regimen library": (lambda r: has(r, roles.VIEW_PATIENTS), _page("/regimens/")),
    "view regimen page": (lambda r: has(r, roles.VIEW_PATIENTS), _page("/regimens/T-Roles/")),
    "register patient": (lambda r: has(r, roles.REGISTER_PATIENT), register_patient),
    "correct patient details": (lambda r: has(r, roles.REGISTER_PATIENT), correct_patient),
    "record observations": (lambda r: has(r, roles.RECORD_OBSERVATIONS), record_observation),
    "record clinical assessment": (lambda r: has(r, roles.RECORD_CLINICAL_ASSESSMENT), record_clinical_assessment),
    "regimen admin add": (lambda r: may_admin(r, "add"), _admin_page("/admin/regimens/protocol/add/")),
    "regimen admin change": (lambda r: may_admin(r, "change"), _admin_page("/admin/regimens/protocol/{draft}/change/")),
    "activate protocol": (lambda r: r in roles.STAFF_ROLES and has(r, roles.ACTIVATE_PROTOCOL), activate_protocol),
    "user admin": (lambda r: may_admin(r, "change", "auth"), _admin_page("/admin/auth/user/")),
    "API regimens (session)": (lambda r: has(r, roles.VIEW_PATIENTS), _api("get", "/api/v1/regimens")),
    "API evaluate (session)": (lambda r: has(r, roles.VIEW_PATIENTS), _api("post", "/api/v1/evaluate", {"age": 70})),
    "API regimens (bearer)": (lambda r: has(r, roles.VIEW_PATIENTS), _api("get", "/api/v1/regimens", bearer=True)),
    "API evaluate (bearer)": (lambda r: has(r, roles.VIEW_PATIENTS),
                              _api("post", "/api/v1/evaluate", {"age": 70}, bearer=True)),
}


def test_the_matrix_covers_every_role_and_allows_and_denies_something():
    assert set(ROLE_FIXTURES) == {*roles.ROLES, NONE}
    for name, (rule, _run) in ACTIONS.items():
        outcomes = {rule(role) for role in ROLE_FIXTURES}
        assert outcomes == {True, False}, name  # every action is denied to someone, allowed to someone


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_role_may_only_what_roles_py_says(request, patient, role, action):
    user = request.getfixturevalue(ROLE_FIXTURES[role])
    draft = stored(code="T-Roles", status="draft")
    _, token = ApiToken.issue(user=user, name="matrix")
    client = english_client()
    client.force_login(user)
    verify_second_factor(client, user)  # a full login: password and code
    rule, run = ACTIONS[action]
    expected = "allowed" if rule(role) else "denied"
    assert run(client, {"pk": patient.pk, "draft": draft.pk, "token": token}) == expected


@pytest.mark.parametrize("action", ["view patient list", "register patient", "API regimens (session)"])
def test_anonymous_is_never_allowed(patient, action):
    client = Client()
    _rule, run = ACTIONS[action]
    result = run(client, {"pk": patient.pk, "draft": 0, "token": "x"})
    assert result != "allowed"


def test_revoked_bearer_token_is_refused(physician):
    api_token, key = ApiToken.issue(user=physician, name="old")
    ApiToken.objects.filter(pk=api_token.pk).update(revoked=True)
    assert Client().get("/api/v1/regimens", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
