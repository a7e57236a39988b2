"""The house: every URL needs login, roles, static files, checks."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import roles
from tests.personas import english_client, in_english


def _all_routes(resolver=None, prefix=""):
    """Every concrete route in the URLconf, with placeholder path arguments filled in."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _all_routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern


def _concrete(route):
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<path:[^>]+>", "x/y", route)
    route = re.sub(r"<[^>]+>", "x", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route)  # regex routes (admin)
    route = route.replace("\\", "").replace("^", "")
    return "/" + route


# the login pages themselves, and the language switch the login page carries (it sets the
# language cookie and shows nothing: tests/accounts/test_language.py)
PUBLIC = {"/login/", "/admin/login/", "/i18n/setlang/"}


@pytest.mark.django_db
def test_every_url_requires_login():
    routes = sorted({_concrete(r) for r in _all_routes()})
    assert len(routes) > 20, routes  # the admin alone has dozens: proof we enumerated
    anonymous = Client()
    for url in routes:
        if url in PUBLIC:
            continue
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            if url.startswith("/api/"):
                assert response.status_code in (401, 403, 404, 405), (method, url, response.status_code)
                assert b"patient" not in response.content.lower() or response.status_code == 404
            else:
                assert response.status_code in (301, 302, 404, 405), (method, url, response.status_code)
                if response.status_code in (301, 302):
                    target = response["Location"]
                    if target.startswith(url) and response.status_code == 301:
                        continue  # APPEND_SLASH / admin canonical redirect, still not content
                    assert "login" in target, (method, url, target)


@pytest.mark.django_db
def test_login_page_is_public_and_norwegian_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="nb"' in response.content.decode()


@pytest.mark.django_db
def test_api_answers_anonymous_with_401_not_a_redirect(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 401
    response = client.post("/api/v1/evaluate", {}, content_type="application/json")
    assert response.status_code in (401, 404)


@pytest.mark.django_db
def test_role_groups_exist_with_their_permissions():
    from django.contrib.auth.models import Group

    for role in roles.ROLES:
        group = Group.objects.get(name=role)
        names = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert roles.ROLE_PERMISSIONS[role] <= names, role
    pharmacist = {p.codename for p in Group.objects.get(name=roles.PHARMACIST).permissions.all()}
    assert "verify_plan" in pharmacist and "issue_plan" not in pharmacist
    physician = {p.codename for p in Group.objects.get(name=roles.PHYSICIAN).permissions.all()}
    assert "issue_plan" in physician and "verify_plan" not in physician
    nurse = {p.codename for p in Group.objects.get(name=roles.NURSE).permissions.all()}
    assert nurse.isdisjoint({"issue_plan", "verify_plan", "register_patient", "activate_protocol"})


@pytest.mark.django_db
def test_demo_users_log_in_and_see_what_their_role_allows(capsys):
    call_command("seed_demo_users")
    printed = capsys.readouterr().out
    expectations = {
        "lege": ({"Issue treatment plans", "Register patients"}, {"Verify treatment plans"}),
        "sykepleier": (
            {"Record height, weight, labs and findings"},
            {"Issue treatment plans", "Verify treatment plans"},
        ),
        "farmasoyt": ({"Verify treatment plans", "Activate regimen protocols"}, {"Issue treatment plans"}),
        "admin": ({"Administer users", "Issue treatment plans"}, set()),
    }
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import current_code

    for line in printed.splitlines()[1:]:
        parts = line.split()
        if len(parts) != 4 or parts[1] not in expectations:
            continue  # the table rows: role, username, password, TOTP secret
        role, username, password, _secret = parts
        client = english_client()
        without_code = client.post(reverse("login"), {"username": username, "password": password})
        assert without_code.status_code == 200, username  # two-factor is on for every demo user
        code = current_code(TOTPDevice.objects.get(user__username=username, confirmed=True))
        response = client.post(reverse("login"), {"username": username, "password": password, "otp_token": code})
        assert response.status_code == 302, username
        home = in_english(client).get(reverse("home")).content.decode()
        allowed, forbidden = expectations[username]
        for text in allowed:
            assert text in home, (username, text)
        for text in forbidden:
            assert text not in home, (username, text)
        admin_page = client.get("/admin/")
        if role in roles.STAFF_ROLES:
            assert admin_page.status_code == 200, username
        else:
            assert admin_page.status_code == 302 and "/admin/login/" in admin_page["Location"], username


@pytest.mark.django_db
def test_wrong_password_is_refused(client):
    call_command("seed_demo_users", stdout=io.StringIO())
    response = client.post(reverse("login"), {"username": "lege", "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_nurse_cannot_open_admin_pages_and_gets_403_page(client_for, nurse):
    client = client_for(nurse)
    response = client.get(reverse("patients:list"))
    assert response.status_code == 200
    # A user without view right gets the 403 page:
    nurse.groups.clear()
    response = Client()
    response.force_login(nurse)
    denied = response.get(reverse("patients:list"))
    assert denied.status_code == 403


@pytest.mark.django_db
def test_static_assets_are_served_with_debug_off(tmp_path, physician):
    # Manifest storage as in production, minus the slow brotli/gzip pass.
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(
        STATIC_ROOT=tmp_path, DEBUG=False, WHITENOISE_AUTOREFRESH=False, WHITENOISE_USE_FINDERS=False,
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": manifest},
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client()  # a new handler: WhiteNoise scans STATIC_ROOT when it starts
        client.force_login(physician)
        page = client.get(reverse("home")).content.decode()
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
        assert any("bootstrap" in a for a in assets) and any("htmx" in a for a in assets)
        for asset in assets:
            response = client.get(asset)
            assert response.status_code == 200, asset
            assert b"".join(response.streaming_content)
    assert not any(a.startswith("http") for a in assets), "no CDN"


@pytest.mark.django_db
def test_security_headers_and_csp(client_for, physician):
    response = client_for(physician).get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()  # no inline script


@pytest.mark.django_db
def test_language_switch_to_english(client_for, physician):
    client = client_for(physician)
    assert "Pasienter" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Patients" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_manage_py_check_is_clean():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_api_token_authenticates_bearer_requests(client, physician):
    from accounts.models import ApiToken

    _, key = ApiToken.issue(user=physician, name="test")
    response = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {key}")
    # the document needs a session; bearer callers use the endpoints themselves
    assert response.status_code == 401
    assert ApiToken.objects.get().key_hash != key


def test_every_ui_string_has_a_norwegian_translation():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    missing = subprocess.run(
        [sys.executable, str(root / "scripts/po_fill.py"), "--missing"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert missing == "", f"untranslated msgids:\n{missing}"


@pytest.mark.django_db
def test_database_backend_follows_database_url():
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_pharmacist_group_has_the_regimen_admin_rights_after_migrate():
    from django.contrib.auth.models import Group

    codenames = {p.codename for p in Group.objects.get(name=roles.PHARMACIST).permissions.all()}
    assert {"add_protocol", "change_protocol", "view_protocol", "change_drugline"} <= codenames
    assert not {p.codename for p in Group.objects.get(name=roles.NURSE).permissions.all()} & {"change_protocol"}


@pytest.mark.django_db
def test_an_htmx_request_refused_403_gets_the_message_only(client_for, physician):
    """static/js/app.js swaps a 403 into the form that asked: the message, not a page in the page."""
    physician.groups.clear()
    client = client_for(physician)
    fragment = client.get(reverse("patients:list"), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 403
    text = fragment.content.decode()
    assert 'data-testid="denied"' in text and "Du har ikke tilgang til dette." in text
    assert "<html" not in text and "<nav" not in text
    page = client.get(reverse("patients:list"))
    assert page.status_code == 403 and "<html" in page.content.decode()
