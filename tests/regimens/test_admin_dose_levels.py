"""A pharmacist adds dose levels where the guideline gives none (issue 15 item 3): in the admin, on a draft,
with the source required; the levels show in the four-eyes differences and the activated version offers
the reduction (docs/adr/0024-dose-levels-and-plan-modifications.md)."""

import json

import pytest
from django.urls import reverse

from regimens.diff import normalise
from regimens.models import Protocol
from tests.personas import PASSWORD
from tests.regimens.admin_forms import change_data, change_url
from tests.regimens.factories import protocol_author

LOCAL = {"drug": "bortezomib", "doses": [1.3, 1.0, 0.7], "source_document": "local",
         "source_section": "Lokal prosedyre hematologisk post", "source_text": "Lokal prosedyre HEM-12, pkt. 4"}


def _save(client, draft, levels):
    return client.post(change_url(draft), change_data(draft, dose_levels=json.dumps(levels), change_reason="levels"))


@pytest.mark.hazard("HAZ-126")
@pytest.mark.parametrize("missing", ["source_text", "source_section"])
def test_admin_refuses_a_level_without_its_source(client_for, pharmacist, vrd_draft, missing):
    response = _save(client_for(protocol_author()), vrd_draft, [{**LOCAL, missing: ""}])
    assert response.status_code == 200
    assert f"Dose levels, entry 1 ({missing})" in response.content.decode()
    assert Protocol.objects.get(pk=vrd_draft.pk).dose_levels == []


@pytest.mark.hazard("HAZ-126")
def test_admin_refuses_levels_that_do_not_fall(client_for, vrd_draft):
    response = _save(client_for(protocol_author()), vrd_draft, [{**LOCAL, "doses": [1.0, 1.3]}])
    assert "each below the one before" in response.content.decode()


@pytest.mark.hazard("HAZ-126")
def test_admin_pharmacist_adds_levels_with_a_source_and_another_activates(client_for, pharmacist, vrd, vrd_draft):
    author = client_for(protocol_author())
    assert _save(author, vrd_draft, [LOCAL]).status_code == 302
    stored = Protocol.objects.get(pk=vrd_draft.pk)
    assert stored.dose_levels == [LOCAL] and stored.edited
    assert "bortezomib: 1.3 → 1.0 → 0.7 (local, Lokal prosedyre hematologisk post" in normalise(
        stored.to_schema_data())["protocol"]["dose_levels"]
    author.logout()
    checker = client_for(pharmacist)
    url = reverse("admin:regimens_protocol_activate", args=[stored.pk])
    page = checker.get(url)
    assert "Lokal prosedyre HEM-12" in page.content.decode()  # in the differences the checker reviews
    checker.post(url, {**page.context["form"].initial, "password": PASSWORD})
    active = Protocol.objects.current("T-VRd")
    assert active.pk == stored.pk and active.parsed().levels_of("bortezomib").below(1.3) == (1, 1.0)
