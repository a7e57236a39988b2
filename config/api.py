"""The JSON API v1 (../shared/contract/api-v1.md), served by django-ninja.

Authentication: a logged-in session (CSRF checked) or ``Authorization: Bearer
<token>`` (see ``manage.py create_api_token``). A request without valid credentials
(anonymous, a bad or revoked token) gets 401 with ``WWW-Authenticate: Bearer``, for
reads and writes alike: CSRF protects a logged-in session and is checked only when
there is one. A user in no role (without patients.view_patients, accounts/roles.py)
gets 403. Validation errors answer 422 with one entry per offending field.

Every error is JSON, ``{"detail": ...}``: ninja's own (400 unparsable body, 401, 403,
404, 422), the ones added here (405; 415 for a body that is not ``application/json``,
``JsonBodyParser``, after the credentials are checked), and
Django's error views under /api/ (config/views.py: 400, 404, 413 for a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE``, a CSRF failure, 500 for an unexpected exception,
which reaches the caller without any detail and is logged by django.request).

No interactive docs page: django-ninja 1.7.1 bundles swagger-ui with DOMPurify 3.2.6
and redoc with DOMPurify 3.2.4, both with published advisories, and DOMPurify has
needed security releases since. Keeping a vendored bundle patched is a standing
chore for a page the ward does not need, so the API serves its OpenAPI document
only (``/api/v1/openapi.json``, logged-in users), which any OpenAPI viewer on a
developer's machine renders; ``ninja`` is not an installed app, so its bundles are
neither collected nor served (tests/api/test_api_errors.py).
"""

from datetime import timedelta
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from accounts.models import ApiToken
from accounts.roles import VIEW_PATIENTS


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
    def _get_key(self, request):
        # No session, nothing for CSRF to protect: the caller gets 401, not a CSRF refusal.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

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


class UnsupportedMediaType(Exception):
    """A request body that is not ``application/json``."""


class JsonBodyParser(Parser):
    """Request bodies are JSON, and only JSON: ninja's parser would read any body as JSON
    whatever its Content-Type. ninja parses the body after authentication, so a caller
    without credentials gets 401 first."""

    def parse_body(self, request):
        if request.content_type.lower() != "application/json":  # any charset parameter
            raise UnsupportedMediaType(request.content_type)
        return super().parse_body(request)


api = NinjaAPI(
    parser=JsonBodyParser(),
    docs_url=None,
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
    response = api.create_response(request, {"detail": "Authentication required"}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request, exc):
    # ninja turns any parser failure into "400 Cannot parse request body", raised from it.
    if isinstance(exc.__cause__, UnsupportedMediaType):
        return api.create_response(
            request, {"detail": "Unsupported media type: send the body as application/json"}, status=415)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(Exception)
def unexpected(request, exc):
    """Django answers an unexpected exception (config.views.server_error: JSON, no detail) and
    logs it; ninja's default would answer a traceback as text/plain when DEBUG is on."""
    raise exc


def routers():
    """Register the app routers (imported late: they import models)."""
    from config.api_assessment import router as assessment_router
    from config.api_regimens import router as regimens_router
    from config.api_responses import router as responses_router

    api.add_router("/", assessment_router)
    api.add_router("/", regimens_router)
    api.add_router("/", responses_router)


routers()


def _json_errors(view):
    """ninja answers a method the path does not serve with a 405 in plain text: as JSON here."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = JsonResponse({"detail": "Method not allowed"}, status=405)
            response["Allow"] = allowed
        return response

    return wrapper


def api_urls():
    """The API's URL patterns, exempt from LoginRequiredMiddleware (the API answers
    anonymous callers with 401 itself instead of redirecting them to a login page),
    with JSON errors only (``_json_errors``)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        # csrf_exempt as ninja's own views are: the session auth (RoleSession) checks CSRF itself.
        pattern.callback = login_not_required(csrf_exempt(_json_errors(pattern.callback)))
    return patterns, app_name, namespace
