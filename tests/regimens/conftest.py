"""Protocols for the regimen tests (built in tests/regimens/factories.py) and the second pharmacist."""

import pytest

from regimens.actions import create_draft_version
from tests.personas import english_client
from tests.regimens.factories import protocol_author, stored


@pytest.fixture
def vrd(db):
    """An active VRd-like protocol under a test code (the real library may hold VRd-induction)."""
    return stored(code="T-VRd")


@pytest.fixture
def draft(db):
    return stored(code="T-Isa-Pd", status="draft", cycles=None,
                  drugs=[{"drug": "isatuximab", "route": "iv"}, {"drug": "pomalidomide", "route": "po"}])


@pytest.fixture
def vrd_draft(vrd):
    """Draft version 2 of T-VRd, a copy of the active version 1 made by a pharmacist (Eva Berg)."""
    return create_draft_version(data=vrd.to_schema_data(), reason="review", by=protocol_author())


@pytest.fixture
def second_pharmacist(db):
    return protocol_author()


@pytest.fixture
def client():
    """These tests read English messages; the app's default language is Norwegian."""

    return english_client()
