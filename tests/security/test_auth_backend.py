"""accounts.auth.RoleBackend reads a user's permissions and groups in one statement: it must
answer exactly what Django's ModelBackend answers, for every role and every kind of user."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from accounts.auth import RoleBackend, access

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The same user, without any permission cache (as at the start of a request)."""
    return get_user_model().objects.get(pk=user.pk)


def _user(username, *groups, **fields):
    user = get_user_model().objects.create_user(username=username, password="x-unused-1", **fields)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.mark.parametrize("role", roles.ROLES)
def test_each_role_has_the_permissions_modelbackend_gives(role):
    user = _user(f"u-{role}", role)
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert expected, "every role has permissions"
    assert RoleBackend().get_all_permissions(_fresh(user)) == expected
    for permission in expected:
        assert RoleBackend().has_perm(_fresh(user), permission)
    assert not RoleBackend().has_perm(_fresh(user), "patients.no_such_permission")


def test_direct_permissions_and_two_roles_are_united():
    user = _user("two-roles", roles.NURSE, roles.PHARMACIST)
    user.user_permissions.add(Permission.objects.get(codename="delete_session"))
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert "sessions.delete_session" in expected
    assert RoleBackend().get_all_permissions(_fresh(user)) == expected
    assert access(_fresh(user))[1] == tuple(sorted([roles.NURSE, roles.PHARMACIST]))


def test_inactive_user_and_anonymous_have_no_permissions():
    inactive = _user("inactive", roles.PHYSICIAN, is_active=False)
    assert RoleBackend().get_all_permissions(_fresh(inactive)) == set()
    assert not RoleBackend().has_perm(_fresh(inactive), roles.VIEW_PATIENTS)
    assert RoleBackend().get_all_permissions(AnonymousUser()) == set()
    assert not RoleBackend().has_perm(AnonymousUser(), roles.VIEW_PATIENTS)
    assert roles.role_labels(AnonymousUser()) == []


def test_superuser_has_every_permission():
    superuser = _user("root", is_superuser=True)
    assert RoleBackend().get_all_permissions(_fresh(superuser)) == ModelBackend().get_all_permissions(_fresh(superuser))
    assert len(RoleBackend().get_all_permissions(_fresh(superuser))) == Permission.objects.count()


def test_object_permissions_are_not_granted():
    user = _user("objects", roles.PHYSICIAN)
    assert RoleBackend().get_all_permissions(_fresh(user), obj=user) == set()
    assert not RoleBackend().has_perm(_fresh(user), roles.VIEW_PATIENTS, obj=user)


def test_permissions_and_role_labels_cost_one_statement():
    user = _fresh(_user("one-query", roles.PHYSICIAN))
    with CaptureQueriesContext(connection) as captured:
        assert user.has_perm(roles.VIEW_PATIENTS)
        assert user.has_perms([roles.VIEW_PATIENTS, roles.ISSUE_PLAN])
        assert [str(label) for label in roles.role_labels(user)] == [str(roles.ROLE_LABELS[roles.PHYSICIAN])]
    assert len(captured.captured_queries) == 1


def test_a_role_change_counts_from_the_next_request():
    user = _user("changes", roles.NURSE)
    assert not _fresh(user).has_perm(roles.ISSUE_PLAN)
    user.groups.add(Group.objects.get(name=roles.PHYSICIAN))
    assert _fresh(user).has_perm(roles.ISSUE_PLAN)
