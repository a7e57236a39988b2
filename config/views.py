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
from django.utils.translation import gettext_lazy as _
from django.views import csrf, defaults
from django.views.decorators.http import require_safe

from accounts import roles
from patients import presenters, queries

API_PREFIX = "/api/"


@require_safe
def home(request):
    """The start page: who is signed in and what they may do, and their work lists (start_lists)."""
    return render(request, "home.html", {"lists": start_lists(request.user)})


def start_lists(user):
    """The plans waiting for this user, by the rights the user holds: to verify (pharmacist: issued
    plans someone else issued), their drafts and the plans returned to them (physician), the verified
    plans to give and print (nurse). Each a list of rows (patients.presenters.plan_row, with the patient)."""
    if not user.is_authenticated:
        return []
    groups = roles.role_names(user)
    wanted = []
    if user.has_perm(roles.VERIFY_PLAN):
        wanted.append(("awaiting-verification", _("Plans awaiting your verification"),
                       queries.plans_awaiting_verification(user)))
    if user.has_perm(roles.ISSUE_PLAN):
        wanted.append(("returned", _("Plans returned to you by the pharmacist"), queries.plans_returned_to(user)))
        wanted.append(("drafts", _("Your drafts"), queries.drafts_of(user)))
    if roles.NURSE in groups:
        wanted.append(("verified", _("Verified plans"), queries.verified_plans()))
    if not wanted:
        return []
    active_versions = queries.active_versions()
    return [{"key": key, "title": title, "rows": [
        {**presenters.plan_row(plan, active_versions=active_versions), "patient_pk": plan.patient_id,
         "patient_name": plan.patient.name} for plan in plans]} for key, title, plans in wanted]


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
