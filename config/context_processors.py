"""Template context shared by every page."""

from accounts.roles import role_labels


def user_roles(request):
    return {"user_roles": role_labels(request.user)}


def worklist_counts(request):
    """The navbar's counts of the user's worklists (treatment_course/worklists.py ``cached_counts``: kept
    per user until the work they count changes)."""
    from django.utils.functional import SimpleLazyObject

    from treatment_course.worklists import cached_counts

    return {"worklist_counts": SimpleLazyObject(lambda: cached_counts(request.user))}
