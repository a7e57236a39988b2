"""Template context shared by every page."""

from accounts.roles import role_labels


def user_roles(request):
    return {"user_roles": role_labels(request.user)}


def worklist_counts(request):
    """The navbar's worklist counts (treatment_course/worklists.py), computed only when a page shows them."""
    from django.utils.functional import SimpleLazyObject

    from treatment_course.worklists import counts

    return {"worklist_counts": SimpleLazyObject(lambda: counts(request.user))}
