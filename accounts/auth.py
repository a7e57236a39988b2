"""The authentication backend: Django's ModelBackend with a user's permissions and role
(group) names read in ONE SQL statement per request instead of three.

Every page checks a permission (accounts/roles.py) and shows the user's roles in the navbar;
ModelBackend reads the user's own permissions, then the groups' permissions, and the navbar
then reads the groups: three statements, most of whose cost is the ORM compiling them
(docs/benchmarks.md). The answer is the same set ModelBackend gives (tests/test_auth_backend.py
compares them for every role, with direct permissions, for inactive users and superusers);
it is cached on the user object for the request only, as ModelBackend caches it, so a
change of role takes effect at the next request.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router

ACCESS_CACHE = "_myelopath_access"  # attribute on the user object, like ModelBackend's _perm_cache


@cache
def _statement():
    """The SQL, built from the models' table and column names (not hard-coded)."""
    user_model = get_user_model()
    user_perms = user_model.user_permissions.through._meta
    user_groups = user_model.groups.through._meta
    group_perms = Group.permissions.through._meta
    perm, ctype, group = Permission._meta, ContentType._meta, Group._meta
    user_fk = user_perms.get_field(user_model._meta.model_name).column
    return (
        f"SELECT ct.app_label, p.codename FROM {perm.db_table} p "
        f"JOIN {ctype.db_table} ct ON ct.id = p.content_type_id "
        f"WHERE p.id IN ("
        f"SELECT up.permission_id FROM {user_perms.db_table} up WHERE up.{user_fk} = %s "
        f"UNION SELECT gp.permission_id FROM {group_perms.db_table} gp "
        f"JOIN {user_groups.db_table} ug ON ug.group_id = gp.group_id WHERE ug.{user_fk} = %s) "
        f"UNION ALL SELECT NULL, g.name FROM {group.db_table} g "
        f"JOIN {user_groups.db_table} ug ON ug.group_id = g.id WHERE ug.{user_fk} = %s"
    )


def access(user):
    """(the active user's permissions as "app_label.codename" strings, the names of the
    user's groups), read once per user object. Superusers' permissions come from ModelBackend
    (every permission); an inactive or anonymous user has none."""
    cached = getattr(user, ACCESS_CACHE, None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return frozenset(), ()
    database = router.db_for_read(Permission)
    with connections[database].cursor() as cursor:
        cursor.execute(_statement(), [user.pk, user.pk, user.pk])
        rows = cursor.fetchall()
    permissions = frozenset(f"{app}.{codename}" for app, codename in rows if app is not None)
    groups = tuple(sorted(name for app, name in rows if app is None))
    if user.is_superuser:
        permissions = frozenset(ModelBackend().get_all_permissions(user))
    if not user.is_active:
        permissions = frozenset()
    result = (permissions, groups)
    setattr(user, ACCESS_CACHE, result)
    return result


class RoleBackend(ModelBackend):
    """ModelBackend whose permission check reads everything in one statement (see above)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(access(user_obj)[0])

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and obj is None and perm in access(user_obj)[0]
