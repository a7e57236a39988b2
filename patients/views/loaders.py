"""The decorators every patient-bound view goes through: they check the permission, then load
the patient (and the plan) named in the URL and hand the objects to the view.

    @require_safe
    @load_plan(roles.VIEW_PATIENTS)
    def plan_detail(request, patient, plan): ...

- The permission is checked first, before any lookup: a user without it gets 403 for every id,
  so the answer does not tell which patients exist.
- ``pk`` of the URL becomes ``patient`` (404 if unknown); ``plan_pk`` becomes ``plan``, which
  must belong to that patient (404 otherwise: a plan id never reaches another patient's page).
- ``permission`` is a permission name (accounts/roles.py) or a function of the URL's other
  arguments that returns one (e.g. the record kind decides it).
- The method decorator (``require_safe``, ``require_POST``, ``require_http_methods``) goes
  above the loader, so a method the view does not take is 405 for everyone.

A view bound to a patient without a loader is refused by ``manage.py check`` (``patients.E001``,
below) and by tests/security/test_url_sweep.py. docs/adr/0008-loader-decorators.md says why.
"""

from functools import wraps

from django.core import checks
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from patients.models import Patient, TreatmentPlan

LOADER_ATTRIBUTE = "patient_loader"
PATIENT_ARGUMENT = "pk"


def _permission_of(permission, kwargs):
    return permission(**kwargs) if callable(permission) else permission


def _check(request, permission, kwargs):
    if not request.user.has_perm(_permission_of(permission, kwargs)):
        raise PermissionDenied


def load_patient(permission):
    """The view gets ``patient`` (from ``pk``) in place of the id, once the user has ``permission``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, pk, **kwargs):
            _check(request, permission, kwargs)
            patient = get_object_or_404(Patient, pk=pk)
            return view(request, patient, *args, **kwargs)

        setattr(wrapper, LOADER_ATTRIBUTE, ("patient", permission))
        return wrapper

    return decorator


def load_plan(permission):
    """The view gets ``patient`` and ``plan`` (from ``pk`` and ``plan_pk``; the plan is the
    patient's), once the user has ``permission``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, pk, plan_pk, **kwargs):
            _check(request, permission, kwargs)
            patient = get_object_or_404(Patient, pk=pk)
            plan = get_object_or_404(
                TreatmentPlan.objects.select_related("protocol", "patient", "previous", "issued_by", "verified_by",
                                                     "returned_by", "created_by"),
                pk=plan_pk, patient=patient,
            )
            return view(request, patient, plan, *args, **kwargs)

        setattr(wrapper, LOADER_ATTRIBUTE, ("plan", permission))
        return wrapper

    return decorator


def _patient_bound(patterns, prefix="", namespace=""):
    """(route, view) of every URL of the patients app whose route takes the patient id."""
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patient_bound(pattern.url_patterns, prefix + str(pattern.pattern),
                                      pattern.namespace or namespace)
        elif namespace == "patients" and f":{PATIENT_ARGUMENT}>" in str(pattern.pattern):
            yield prefix + str(pattern.pattern), pattern.callback


@checks.register(checks.Tags.security, checks.Tags.urls)
def check_patient_views_have_a_loader(app_configs=None, **kwargs):
    """patients.E001: a URL under patients/ that takes the patient id, served by a view that
    does not go through load_patient or load_plan (so nothing checks its permission)."""
    from django.urls import get_resolver

    return [
        checks.Error(f"The view of /{route} takes a patient id but has no @load_patient or @load_plan.",
                     hint="Decorate it with patients.views.loaders.load_patient(permission) or load_plan(permission).",
                     obj=view, id="patients.E001")
        for route, view in _patient_bound(get_resolver().url_patterns)
        if not hasattr(view, LOADER_ATTRIBUTE)
    ]
