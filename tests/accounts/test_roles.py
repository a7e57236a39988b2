"""A user's roles are the user's groups (accounts/roles.py); the permissions are Django's
ModelBackend's (docs/adr/0012-speed-mechanisms-measured.md: no backend of our own)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The same user, without any permission cache (as at the start of a request)."""
    return get_user_model().objects.get(pk=user.pk)


def _user(username, *groups, **fields):
    user = get_user_model().objects.create_user(username=username, password="x-unused-1", **fields)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def test_permissions_come_from_djangos_model_backend():
    assert settings.AUTHENTICATION_BACKENDS == ["axes.backends.AxesStandaloneBackend",
                                                "django.contrib.auth.backends.ModelBackend"]


def test_two_roles_are_both_named_in_alphabetical_order():
    user = _user("two-roles", roles.PHARMACIST, roles.NURSE)
    assert roles.role_names(_fresh(user)) == (roles.NURSE, roles.PHARMACIST)
    assert [str(label) for label in roles.role_labels(_fresh(user))] == [
        str(roles.ROLE_LABELS[roles.NURSE]), str(roles.ROLE_LABELS[roles.PHARMACIST])]


def test_anonymous_has_no_roles():
    assert roles.role_names(AnonymousUser()) == ()
    assert roles.role_labels(AnonymousUser()) == []


def test_the_roles_are_read_once_per_request():
    """Each page renders the role names in the navbar, and some templates render twice (the
    overview's summary): one statement per user object, as ModelBackend caches permissions."""
    user = _fresh(_user("once", roles.PHYSICIAN))
    with CaptureQueriesContext(connection) as captured:
        roles.role_labels(user)
        roles.role_labels(user)
        roles.role_names(user)
    assert len(captured.captured_queries) == 1


def test_a_role_change_counts_from_the_next_request():
    user = _user("changes", roles.NURSE)
    assert not _fresh(user).has_perm(roles.ISSUE_PLAN)
    user.groups.add(Group.objects.get(name=roles.PHYSICIAN))
    assert _fresh(user).has_perm(roles.ISSUE_PLAN)
    assert roles.role_names(_fresh(user)) == (roles.NURSE, roles.PHYSICIAN)
