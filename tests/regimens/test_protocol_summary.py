"""The printable protocol summary (issue 14 item 4): every regimen of the shipped library prints on one or
two A4 pages with its guideline citation and version (text read back with pypdf), reachable from the regimen
page and the admin's protocol page, for users who may view regimens."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from regimens.models import Protocol
from tests.regimens.admin_forms import change_url
from tests.regimens.protocol_library import protocols

CODES = sorted(protocols())


def summary_url(code, version=None):
    url = reverse("regimens:summary_pdf", args=[code])
    return f"{url}?version={version}" if version is not None else url


def pages(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]


@pytest.mark.hazard("HAZ-093")
@pytest.mark.parametrize("code", CODES)
def test_every_protocol_of_the_library_prints_on_at_most_two_pages_with_its_citation_and_version(
        client_for, nurse, code):
    protocol = Protocol.objects.current(code)
    printed = pages(client_for(nurse).get(summary_url(code)))
    text = " ".join(printed)
    assert 1 <= len(printed) <= 2, f"{code}: {len(printed)} pages"
    assert f"Protokollsammendrag {code}, versjon {protocol.version}" in text
    assert protocol.source_section in text and "Handlingsprogram for myelomatose" in text
    assert "Revisjonsdato " + protocol.review_date.strftime("%d.%m.%Y") in text
    assert "Kontrollert av" in text
    for page in printed:  # a page on its own still says which protocol, version and status it is
        assert f"Protokollsammendrag {code} · versjon {protocol.version}" in page


@pytest.mark.hazard("HAZ-093")
def test_the_vrd_summary_has_doses_basis_days_rule_and_support_in_the_guidelines_words(client_for, pharmacist):
    text = " ".join(pages(client_for(pharmacist).get(summary_url("VRd-induction"))))
    assert "Bortezomib (subkutant)" in text and "1,3 mg/m² per m² kroppsoverflate" in text
    assert "Hver syklus: dag 1, 8 og 15" in text
    assert "Lenalidomid (peroralt)" in text and "Hver syklus: dag 1–21" in text
    assert "eGFR < 30 mL/min: 15 mg" in text and "«Lenalidomid (peroralt) 25 mg / Ved eGFR <30: 15 mg." in text
    assert "Deksametason (peroralt)" in text and "40 mg fast dose" in text
    assert "valaciklovir 250 mg x 2" in text and "acetylsalisylsyre 75 mg x 1" in text
    assert "sykluslengde 28 dager · 6 sykluser" in text and "aktiv" in text


def test_a_draft_says_it_is_not_in_use(client_for, nurse):
    text = " ".join(pages(client_for(nurse).get(summary_url("Isa-Pd"))))
    assert "Utkast: ikke kontrollert og ikke i bruk." in text


def test_summary_anonymous_redirects_to_login(client, db):
    response = client.get(summary_url("VRd-induction"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_summary_without_a_role_is_forbidden(client_for, django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody", password="Persona-password-2026")
    assert client_for(nobody).get(summary_url("VRd-induction")).status_code == 403


@pytest.mark.parametrize("url", [summary_url("NOPE"), summary_url("VRd-induction", 99),
                                 summary_url("VRd-induction", "x")], ids=["unknown-code", "unknown-version",
                                                                           "not-a-version"])
def test_summary_of_an_unknown_regimen_or_version_is_404(client_for, physician, url):
    assert client_for(physician).get(url).status_code == 404


def test_summary_prints_the_version_asked_for(client_for, physician, vrd_draft):
    text = " ".join(pages(client_for(physician).get(summary_url("T-VRd", 1))))
    assert "Protokollsammendrag T-VRd, versjon 1" in text


def test_the_regimen_page_and_the_admin_link_to_the_summary(client_for, physician, pharmacist):
    protocol = Protocol.objects.current("VRd-induction")
    link = summary_url("VRd-induction", protocol.version)
    assert link in client_for(physician).get(reverse("regimens:detail", args=["VRd-induction"])).text
    admin_page = client_for(pharmacist).get(change_url(protocol))
    assert admin_page.status_code == 200 and link in admin_page.text
