"""Site-wide views: the start page and the error pages.

The error views answer JSON under ``/api/`` (``{"detail": ...}``, as the API's own errors) and
a page everywhere else, so a caller of the API never gets an HTML page, whichever layer
refused the request: the URL resolver (404), the request parsing (400; 413 for a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE``), the CSRF check, or an unexpected exception (500, no details).
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import csrf, defaults
from django.views.decorators.http import require_safe

API_PREFIX = "/api/"


@require_safe
def home(request):
    return render(request, "home.html")


def _api_error(request, status, detail):
    """The API's JSON error for a request under /api/, else None."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail}, status=status)
    return None


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        too_big = _api_error(request, 413, "Request body too large")
        if too_big is not None:
            return too_big
    return _api_error(request, 400, "Bad request") or defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    """The 403 page; for htmx only its message, which static/js/app.js swaps into the target."""
    name = "403.html#denied" if getattr(request, "htmx", False) else "403.html"
    return _api_error(request, 403, "Forbidden") or render(request, name, status=403)


def page_not_found(request, exception=None):
    return _api_error(request, 404, "Not found") or render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's explanation on pages, JSON under /api/."""
    return _api_error(request, 403, "CSRF check failed") or csrf.csrf_failure(request, reason=reason)


def server_error(request):
    # Rendered without a request context on purpose: the failure may lie there. No detail of the
    # exception reaches the caller; django.request logs it.
    return _api_error(request, 500, "Internal server error") or HttpResponseServerError(
        loader.get_template("500.html").render())
