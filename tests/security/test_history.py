"""History cannot be altered through the app: no admin for historical records, and the
version pages of simple_history's admin are read-only for everyone."""

import pytest
from django.contrib import admin
from django.test import Client
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

from core.admin import ReadOnlyHistoryAdmin
from regimens.models import Protocol
from tests.personas import english_client, verify_second_factor
from tests.regimens.factories import stored


def test_no_historical_model_is_registered_in_the_admin():
    registered = [model for model in admin.site._registry if issubclass(model, HistoricalChanges)]
    assert registered == []


def test_every_history_admin_is_read_only():
    history_admins = [ma for ma in admin.site._registry.values() if isinstance(ma, SimpleHistoryAdmin)]
    assert history_admins, "the protocol admin shows history"
    assert all(isinstance(ma, ReadOnlyHistoryAdmin) for ma in history_admins)


def _version_url(protocol, record):
    return f"/admin/regimens/protocol/{protocol.pk}/history/{record.history_id}/"


@pytest.fixture
def edited_protocol(db):
    protocol = stored(code="T-Hist", status="draft")
    original = protocol.history.earliest()
    protocol.name = "Renamed"
    protocol.save()
    return protocol, original


@pytest.mark.parametrize("persona", ["pharmacist", "admin_user"])
def test_staff_may_look_at_an_old_version_but_not_revert_to_it(request, edited_protocol, persona):
    protocol, original = edited_protocol
    user = request.getfixturevalue(persona)
    client = english_client()
    client.force_login(user)
    verify_second_factor(client, user)
    page = client.get(_version_url(protocol, original))
    assert page.status_code == 200
    assert "Revert" not in page.content.decode()  # the button is hidden (SIMPLE_HISTORY_REVERT_DISABLED)
    before = protocol.history.count()
    revert = client.post(_version_url(protocol, original), {"code": "T-Hist", "name": original.name})
    assert revert.status_code == 403
    protocol.refresh_from_db()
    assert protocol.name == "Renamed" and protocol.history.count() == before


@pytest.mark.parametrize("persona", ["physician", "nurse"])
def test_non_staff_cannot_reach_the_version_page(request, edited_protocol, persona):
    protocol, original = edited_protocol
    user = request.getfixturevalue(persona)
    client = Client()
    client.force_login(user)
    verify_second_factor(client, user)
    for method in ("get", "post"):
        response = getattr(client, method)(_version_url(protocol, original))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Protocol.objects.get(pk=protocol.pk).name == "Renamed"


def test_patient_change_log_page_offers_no_edit(client_for, physician, patient):
    """The patient change log (Endringslogg) is a page to read: it answers GET only."""
    client = client_for(physician)
    assert client.get(f"/patients/{patient.pk}/history/").status_code == 200
    assert client.post(f"/patients/{patient.pk}/history/").status_code == 405
    assert patient.history.count() == 1
