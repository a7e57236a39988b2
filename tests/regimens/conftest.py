import pytest

from regimens.actions import create_protocol
from tests.regimens.protocols import AGE_RULE, protocol


def stored(**overrides):
    return create_protocol(proto=protocol(**overrides))


DEX_AGE = {"drug": "dexamethasone", "route": "po", "dose": 40, "basis": "mg",
           "schedule": [{"days": [1, 8, 15, 22]}], "rules": [AGE_RULE]}


@pytest.fixture
def vrd(db):
    """An active VRd-like protocol under a test code (the real library may hold VRd-induction)."""
    return stored(code="T-VRd")


@pytest.fixture
def draft(db):
    return stored(code="T-Isa-Pd", status="draft", cycles=None,
                  drugs=[{"drug": "isatuximab", "route": "iv"}, {"drug": "pomalidomide", "route": "po"}])


@pytest.fixture
def client():
    """These tests read English messages; the app's default language is Norwegian."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")
