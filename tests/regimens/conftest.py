import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from regimens.actions import activate_protocol, create_draft_version, create_protocol
from tests.conftest import PASSWORD, english_client
from tests.regimens.protocols import AGE_RULE, protocol


def stored(**overrides):
    return create_protocol(proto=protocol(**overrides))


def protocol_author():
    """A second pharmacist (Eva Berg) who drafts protocol versions, so that the persona pharmacist
    (Per Lie) can be the second pair of eyes that activates them (the four-eyes rule)."""
    user, created = get_user_model().objects.get_or_create(
        username="farm_berg", defaults={"first_name": "Eva", "last_name": "Berg", "is_staff": True})
    if created:
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=roles.PHARMACIST))
    return user


def activate(protocol, by, **kwargs):
    """``by`` checks and activates ``protocol`` as the activation page does: with password, having
    seen its content as it is now."""
    return activate_protocol(protocol=protocol, by=by, password=PASSWORD,
                             reviewed_digest=protocol.content_digest(), **kwargs)


def behind_the_draft_rule(model):
    """The model's plain manager: writes below the draft rule of regimens/models/, as a change made
    in the database itself would be. Only for tests of how the app copes with a broken stored protocol."""
    return model._base_manager


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
