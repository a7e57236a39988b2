"""The protocol summary in a browser (issue 14 item 4): from the regimen page and from the admin's protocol
page a pharmacist opens the summary PDF of the version shown."""

import io

from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from regimens.models import Protocol


def _pdf_text(page, href):
    response = page.context.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf", href
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split())


def test_the_regimen_page_and_the_admin_open_the_protocol_summary(page, login, pharmacist, screenshot):
    protocol = Protocol.objects.current("VRd-induction")
    TOTPDevice.objects.create(user=pharmacist, name="phone", confirmed=True)  # the admin needs two-factor
    login(pharmacist)
    page.goto("/regimens/VRd-induction/")
    href = page.locator("[data-testid=regimen-summary-pdf]").get_attribute("href")
    screenshot(page, "regimen-page")
    text = _pdf_text(page, href)
    assert f"Protokollsammendrag VRd-induction, versjon {protocol.version}" in text
    assert "Induksjonsbehandlingen" in text
    page.goto(f"/admin/regimens/protocol/{protocol.pk}/change/")
    admin_href = page.locator("[data-testid=admin-summary-pdf]").get_attribute("href")
    screenshot(page, "admin-protocol-page")
    assert admin_href == href
    assert page.console_errors == [], page.console_errors
