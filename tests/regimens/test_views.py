"""Regimen library pages."""

import pytest
from django.urls import reverse

from regimens.models import DrugLine
from tests.regimens.factories import behind_the_draft_rule


def test_regimen_list_anonymous_redirects_to_login(client, vrd):
    response = client.get(reverse("regimens:list"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("persona", ["physician", "nurse", "pharmacist"])
def test_regimen_list_shows_the_library(request, client_for, persona, vrd, draft):
    response = client_for(request.getfixturevalue(persona)).get(reverse("regimens:list"))
    text = response.content.decode()
    assert response.status_code == 200 and "T-VRd" in text and "T-Isa-Pd" in text
    assert reverse("regimens:detail", args=["T-VRd"]) in text


def test_regimen_list_empty(client_for, physician, db):
    from regimens.models import Protocol

    behind_the_draft_rule(Protocol).all().delete()  # an empty library (the shipped one is active)
    response = client_for(physician).get(reverse("regimens:list"))
    assert "regimen-table" in response.content.decode()


def test_regimen_detail_success(client_for, physician, vrd):
    text = client_for(physician).get(reverse("regimens:detail", args=["T-VRd"])).content.decode()
    assert "bortezomib" in text and "1.3 mg/m²" in text and "D1-21" in text  # the unit as written (issue 12)
    assert "Ved eGFR &lt;30: 15 mg" in text  # the rule with the guideline's words
    assert "valaciklovir 250 mg x 2" in text and "Behandling av myelomatose" in text


def test_regimen_detail_draft_says_it_cannot_be_dosed(client_for, physician, draft):
    text = client_for(physician).get(reverse("regimens:detail", args=["T-Isa-Pd"])).content.decode()
    assert "pharmacist" in text or "farmasøyt" in text


def test_regimen_detail_version_and_unknown(client_for, physician, vrd):
    client = client_for(physician)
    assert client.get(reverse("regimens:detail", args=["T-VRd"]) + "?version=1").status_code == 200
    assert client.get(reverse("regimens:detail", args=["T-VRd"]) + "?version=9").status_code == 404
    assert client.get(reverse("regimens:detail", args=["T-VRd"]) + "?version=x").status_code == 404
    assert client.get(reverse("regimens:detail", args=["NOPE"])).status_code == 404


def test_regimen_detail_invalid_protocol_is_shown_not_500(client_for, physician, vrd):
    behind_the_draft_rule(DrugLine).filter(protocol=vrd, drug="bortezomib").update(schedule="Day one")
    response = client_for(physician).get(reverse("regimens:detail", args=["T-VRd"]))
    assert response.status_code == 200 and "regimen-error" in response.content.decode()


def test_regimen_detail_post_not_allowed(client_for, physician, vrd):
    assert client_for(physician).post(reverse("regimens:detail", args=["T-VRd"])).status_code == 405


def test_regimen_detail_names_the_document_and_writes_the_review_date_day_first(client_for, physician, vrd):
    """The page names the guideline (not the API's key «myeloma») and dates its review as a Norwegian
    ward writes a date; the API keeps the key and the ISO date (contract)."""
    text = client_for(physician).get(reverse("regimens:detail", args=["T-VRd"])).content.decode()
    citation = text.split('data-testid="regimen-citation">', 1)[1].split("</p>", 1)[0]
    assert "Handlingsprogram for myelomatose — Behandling av myelomatose" in citation
    assert "myeloma —" not in citation and "01.01.2027" in citation and "2027-01-01" not in citation
