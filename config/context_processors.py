"""Template context shared by every page."""

from accounts.roles import role_labels


def user_roles(request):
    return {"user_roles": role_labels(request.user)}


def worklist_counts(request):
    """Which of the navbar's worklists the user has (treatment_course/worklists.py ``lists_of``). Their counts
    are fetched by the page after it has loaded (``course:worklist_count``), so that no page waits for
    them."""
    from django.utils.functional import SimpleLazyObject

    from treatment_course.worklists import lists_of

    return {"worklist_counts": SimpleLazyObject(lambda: lists_of(request.user))}
