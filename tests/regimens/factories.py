"""Protocols and protocol authors for the tests, written through regimens/actions/ (the protocol
data itself: tests/regimens/protocols.py)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from regimens.actions import activate_protocol, create_protocol
from tests.personas import PASSWORD
from tests.regimens.protocols import protocol


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
