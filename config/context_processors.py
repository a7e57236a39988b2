"""Template context shared by every page."""

from accounts.roles import role_labels


def user_roles(request):
    return {"user_roles": role_labels(request.user)}
