"""The JSON API v1 (../shared/contract/api-v1.md), served by django-ninja.

Authentication: a logged-in session (CSRF checked) or ``Authorization: Bearer
<token>`` (see ``manage.py create_api_token``). Anonymous requests get 401; a
user in no role (without patients.view_patients, patients/roles.py) gets 403.
Validation errors answer 422 with one entry per offending field.
"""

from datetime import timedelta
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from patients.models import ApiToken
from patients.roles import VIEW_PATIENTS


def _in_a_role(user):
    """Every role may use the API (it serves clinical decisions: patients.view_patients)."""
    if not user.has_perm(VIEW_PATIENTS):
        raise AuthorizationError(message="Your role does not allow the API")
    return user


# How stale ApiToken.last_used_at may get: it answers "is this token still in use?"
# (admin list), so minute resolution is enough, and a write per API request cost a
# commit each (docs/benchmarks.md).
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _note_use(api_token, now=None):
    """Record that ``api_token`` was used: at most one write a minute per token. The
    conditional UPDATE keeps concurrent requests from writing the same minute twice."""
    now = now or timezone.now()
    if api_token.last_used_at is not None and now - api_token.last_used_at < LAST_USED_RESOLUTION:
        return False
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
    return bool(ApiToken.objects.filter(stale, pk=api_token.pk).update(last_used_at=now))


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked=False, user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        _note_use(api_token)
        request.user = api_token.user
        return _in_a_role(api_token.user)


class RoleSession(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return _in_a_role(user) if user is not None else None


def _docs_need_login(view):
    """The OpenAPI document and the docs page: logged-in users only, 401 otherwise."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"detail": "Authentication required"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    docs_decorator=_docs_need_login,
    title="MyeloPath API",
    version="1",
    description="Guideline engine and dose engine of MyeloPath. See shared/contract/api-v1.md.",
    auth=[BearerToken(), RoleSession()],
    urls_namespace="api-v1",
)


def _field_path(loc):
    # ninja locations start with the parameter source ("body", "payload"); the
    # contract names fields by their JSON path inside the request body.
    parts = [str(p) for p in loc]
    while parts and parts[0] in {"body", "payload", "query", "path"}:
        parts.pop(0)
    return ".".join(parts) or "(body)"


@api.exception_handler(ValidationError)
def validation_errors(request, exc):
    errors = [
        {"field": _field_path(err.get("loc", ())), "message": err.get("msg", "invalid"), "type": err.get("type", "")}
        for err in exc.errors
    ]
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Authentication required"}, status=401)


def routers():
    """Register the app routers (imported late: they import models)."""
    from patients.api import router as assessment_router
    from regimens.api import router as regimens_router

    api.add_router("/", assessment_router)
    api.add_router("/", regimens_router)


routers()


def api_urls():
    """The API's URL patterns, exempt from LoginRequiredMiddleware: the API answers
    anonymous callers with 401 itself instead of redirecting them to a login page."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace
