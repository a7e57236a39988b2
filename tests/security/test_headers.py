"""No-store on everything that can carry patient data; CSP without inline code."""

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from accounts.models import ApiToken

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def assert_no_store(response):
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")
    assert "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


@pytest.mark.parametrize("url", [
    "/", "/patients/", "/patients/{pk}/", "/patients/{pk}/history/", "/patients/new/",
    "/patients/{pk}/record/lab/", "/regimens/", "/account/two-factor/", "/admin/",
], ids=lambda u: u)
def test_authenticated_pages_are_no_store(client_for, admin_user, patient, url):
    response = client_for(admin_user).get(url.format(pk=patient.pk))
    assert response.status_code == 200, url
    assert_no_store(response)


def test_htmx_fragment_is_no_store(client_for, nurse, patient):
    response = client_for(nurse).get("/patients/?q=Sikker", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"Sikker" in response.content
    assert_no_store(response)


def test_api_with_session_and_bearer_is_no_store(client_for, physician):
    assert_no_store(client_for(physician).get("/api/v1/regimens"))
    _, key = ApiToken.issue(user=physician, name="t")
    response = Client().get("/api/v1/regimens", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert_no_store(response)


def test_error_and_redirect_responses_are_no_store(client_for, no_role, db):
    assert_no_store(Client().get("/patients/"))  # redirect to login
    assert_no_store(client_for(no_role).get("/patients/"))  # 403


def _pdf(request):
    return HttpResponse(b"%PDF-1.7 test", content_type="application/pdf")


urlpatterns = [path("test-pdf/", _pdf), path("", include("config.urls"))]


@pytest.mark.urls("tests.security.test_headers")
def test_pdf_responses_are_no_store(client_for, physician):
    response = client_for(physician).get("/test-pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert_no_store(response)


def test_static_files_stay_cacheable(client_for, physician):
    """WhiteNoise answers static files before the no-store middleware: no patient data there."""
    page = client_for(physician).get(reverse("home")).content.decode()
    asset = re.search(r'src="(/static/[^"]+\.js)"', page).group(1)
    response = Client().get(asset)
    assert response.status_code == 200 and b"".join(response.streaming_content)
    response.close()
    assert "no-store" not in response.get("Cache-Control", "")


def test_https_switch_redirects_plain_http(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


# ------------------------------------------------------------------ CSP

# Executable inline script: a <script> without src, unless it is json_script's data block.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)
INLINE = [
    (INLINE_SCRIPT, "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on*= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"hx-on", re.I), "htmx inline handler"),
]
PAGE_TEMPLATES = sorted(p for p in TEMPLATES.rglob("*.html") if "_pdf" not in p.name)


def test_templates_were_found():
    assert len(PAGE_TEMPLATES) >= 15


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_page_template_has_no_inline_script_or_style(template):
    """The CSP forbids inline script and style; a template with either would break in the browser.
    (PDF templates are rendered by WeasyPrint, never by a browser.)"""
    text = template.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert found == [], found


@pytest.mark.parametrize("url", ["/", "/patients/", "/patients/{pk}/", "/regimens/", "/account/two-factor/"])
def test_csp_header_forbids_inline_code(client_for, physician, patient, url):
    response = client_for(physician).get(url.format(pk=patient.pk))
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["script-src"].startswith("'self'") and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert not INLINE_SCRIPT.search(response.content.decode())
