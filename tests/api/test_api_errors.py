"""Every error under /api/ is JSON (issue 10, item 11): 400, 401, 403, 404, 405, 413, 415, 422
and 500, whether ninja, Django's URL resolver, its request parsing, the CSRF check or an
unexpected exception produces it; a caller without (valid) credentials gets 401, never a CSRF
refusal; a body that is not ``application/json`` gets 415; no interactive docs page and no
JavaScript bundle with DOMPurify is served (django-ninja 1.7.1's swagger-ui carries DOMPurify
3.2.6, its redoc 3.2.4, both with published advisories)."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory

from accounts.models import ApiToken
from config import views
from tests.ops.makefile import setup_commands

BODY = json.dumps({"age": 70})


@pytest.fixture
def api_client():
    """A client that enforces CSRF as a browser-less caller meets it, and answers an unexpected
    exception with the app's 500 response instead of raising it into the test."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


@pytest.fixture
def token(physician):
    return ApiToken.issue(user=physician, name="ehr")[1]


def json_error(response, status):
    """The response is a JSON error with ``status`` and a ``detail``; its body, decoded."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].split(";")[0] == "application/json", response.content[:300]
    body = json.loads(response.content)
    assert isinstance(body.get("detail"), str) and body["detail"]
    return body


# --- 401: no or bad credentials -------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic bGVnZTpwYXNz"],
                         ids=["anonymous", "bad-token", "not-a-bearer-token"])
def test_no_or_bad_credentials_get_401_json_for_reads_and_writes(api_client, db, method, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    if method == "get":
        response = api_client.get("/api/v1/regimens", **headers)
    else:
        response = api_client.post("/api/v1/evaluate", BODY, content_type="application/json", **headers)
    body = json_error(response, 401)
    assert "diagnosis" not in body
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_gets_401_on_a_write(api_client, physician):
    record, key = ApiToken.issue(user=physician, name="ehr")
    record.revoked = True
    record.save()
    response = api_client.post("/api/v1/evaluate", BODY, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {key}")
    json_error(response, 401)


def test_a_session_without_its_csrf_token_still_gets_403_json(api_client, physician):
    """CSRF protects a logged-in browser's session; it is not what an anonymous caller meets."""
    api_client.force_login(physician)
    response = api_client.post("/api/v1/evaluate", BODY, content_type="application/json")
    json_error(response, 403)


def test_a_session_with_its_csrf_token_is_evaluated(api_client, physician):
    api_client.force_login(physician)
    api_client.get("/")  # a page sets the CSRF cookie that a browser sends back
    csrf = api_client.cookies["csrftoken"].value
    response = api_client.post("/api/v1/evaluate", BODY, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200 and "diagnosis" in response.json()


def test_a_user_in_no_role_gets_403_json(api_client, physician):
    physician.groups.clear()
    response = api_client.get("/api/v1/regimens", HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user=physician,
                                                                                          name='x')[1]}")
    json_error(response, 403)


# --- 400, 404, 405, 413, 415, 422 -------------------------------------------------------


def test_malformed_json_is_400_json(api_client, token):
    response = api_client.post("/api/v1/evaluate", "{bad json", content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {token}")
    json_error(response, 400)


def test_an_unknown_api_path_is_404_json(api_client, token):
    json_error(api_client.get("/api/v1/no-such-endpoint", HTTP_AUTHORIZATION=f"Bearer {token}"), 404)
    json_error(api_client.get("/api/v2/evaluate"), 404)


def test_an_unknown_regimen_is_404_json(api_client, token):
    json_error(api_client.get("/api/v1/regimens/NO-SUCH-REGIMEN", HTTP_AUTHORIZATION=f"Bearer {token}"), 404)


def test_a_wrong_method_is_405_json_with_the_allowed_methods(api_client, token):
    response = api_client.delete("/api/v1/evaluate", HTTP_AUTHORIZATION=f"Bearer {token}")
    json_error(response, 405)
    assert response["Allow"] == "POST"


def test_a_body_over_the_upload_limit_is_413_json(api_client, token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"age": 70, "sex": "male", "padding": "x" * 1000})
    response = api_client.post("/api/v1/evaluate", body, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {token}")
    json_error(response, 413)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                          "application/xml", ""])
def test_a_body_that_is_not_json_is_415_json(api_client, token, content_type):
    response = api_client.generic("POST", "/api/v1/evaluate", BODY, content_type=content_type,
                                  HTTP_AUTHORIZATION=f"Bearer {token}")
    body = json_error(response, 415)
    assert "application/json" in body["detail"]


def test_credentials_are_checked_before_the_media_type(api_client, db):
    response = api_client.post("/api/v1/evaluate", BODY, content_type="text/plain")
    json_error(response, 401)


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "Application/JSON"])
def test_json_with_or_without_a_charset_is_accepted(api_client, token, content_type):
    response = api_client.generic("POST", "/api/v1/evaluate", BODY, content_type=content_type,
                                  HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and "diagnosis" in response.json()


def test_invalid_input_stays_422_json(api_client, token):
    response = api_client.post("/api/v1/evaluate", json.dumps({"age": -1}), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {token}")
    assert json_error(response, 422)["errors"][0]["field"] == "age"


# --- 500: an unexpected exception ------------------------------------------------------


def test_an_unexpected_exception_is_500_json_without_its_details(api_client, token, monkeypatch):
    def broken(facts):
        raise RuntimeError("engine failure for Kari Nordmann 01017012345")

    monkeypatch.setattr("config.api_assessment.run_evaluation", broken)
    response = api_client.post("/api/v1/evaluate", BODY, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {token}")
    body = json_error(response, 500)
    text = response.content.decode()
    assert "Nordmann" not in text and "RuntimeError" not in text and "Traceback" not in text
    assert set(body) == {"detail"}


# --- Django's own error views answer JSON under /api/, HTML elsewhere ---------------------


@pytest.mark.parametrize(("view", "status"), [
    (lambda request: views.bad_request(request, Exception("bad")), 400),
    (lambda request: views.permission_denied(request, Exception("no")), 403),
    (lambda request: views.page_not_found(request, Exception("gone")), 404),
    (views.server_error, 500),
    (lambda request: views.csrf_failure(request, reason="CSRF cookie not set."), 403),
], ids=["400", "403", "404", "500", "csrf"])
def test_django_error_views_answer_json_under_api_and_html_elsewhere(db, view, status):
    factory = RequestFactory()
    json_error(view(factory.post("/api/v1/evaluate")), status)
    request = factory.get("/patients/")
    request.user = AnonymousUser()
    page = view(request)
    assert page.status_code == status and page["Content-Type"].startswith("text/html")


def test_csrf_failures_go_to_the_apps_view(settings):
    from django.middleware.csrf import _get_failure_view

    assert _get_failure_view() is views.csrf_failure


def test_a_disallowed_host_under_api_is_400_json(api_client, db):
    json_error(api_client.get("/api/v1/regimens", HTTP_HOST="evil.example"), 400)


# --- no interactive docs page, no vulnerable bundle -------------------------------------


def test_no_interactive_docs_page_only_the_openapi_document(api_client, physician):
    api_client.force_login(physician)
    json_error(api_client.get("/api/v1/docs"), 404)
    schema = api_client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and schema.json()["info"]["title"] == "MyeloPath API"


@pytest.mark.hazard("HAZ-037")
def test_no_static_file_carries_dompurify():
    """No file the app collects and serves (every staticfiles finder) bundles DOMPurify: the
    API docs page with django-ninja's swagger-ui (DOMPurify 3.2.6) and redoc (3.2.4) is gone."""
    carrying = []
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns=[]):
            if path.endswith((".js", ".mjs", ".html")):
                with storage.open(path) as handle:
                    if b"DOMPurify" in handle.read():
                        carrying.append(path)
    assert carrying == []


@pytest.mark.hazard("HAZ-037")
def test_make_setup_removes_static_files_no_app_ships_any_more():
    """STATIC_ROOT of an installation set up before holds ninja's bundles; WhiteNoise serves every
    file there, so `make run` collects with --clear."""
    collect = next(words for words in setup_commands() if words[0] == "collectstatic")
    assert "--clear" in collect
