"""Patient record pages: list and search, registration, overview, one form per record kind
(patients/kinds.py), treatment line correction and the change log (Endringslogg).

Each view serves its full page and, for htmx requests, the named partial of the same template
(STYLE.md §6). Writes go through patients/actions/. Every view bound to a patient gets the
patient from @load_patient (patients/views/loaders.py), which checks its permission first; the
method decorator sits above it.
"""

import hashlib
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts import roles
from patients import actions, assessment, forms, presenters, queries
from patients.kinds import RECORD_KINDS, permission_of
from patients.models import Patient, TreatmentLine
from patients.views.common import attempt, done, template
from patients.views.loaders import load_patient


@require_safe
@permission_required(roles.VIEW_PATIENTS, raise_exception=True)
@vary_on_headers("HX-Request")
def patient_list(request):
    search = forms.SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    patients = queries.search(query)
    rows = presenters.patient_rows(patients, diagnoses=assessment.diagnoses(patients),
                                   plans=queries.live_plans(patients), diagnosis_labels=assessment.DIAGNOSIS_LABELS)
    context = {"search": search, "query": query, "patients": rows}
    return render(request, template(request, "patients/list.html", "results"), context)


@require_http_methods(["GET", "POST"])
@permission_required(roles.REGISTER_PATIENT, raise_exception=True)
@vary_on_headers("HX-Request")
def patient_register(request):
    form = forms.PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = attempt(request, form, lambda: actions.register_patient(by=request.user, **form.action_kwargs()),
                           success=_("Patient registered."),
                           url=lambda patient: reverse("patients:overview", args=[patient.pk]))
        if response:
            return response
    return render(request, template(request, "patients/register.html", "form"), {"form": form})


@require_safe
@load_patient(roles.VIEW_PATIENTS)
@vary_on_headers("HX-Request")
def patient_overview(request, patient):
    """The patient's page. Identity, body, latest findings and treatment lines come with
    the page; the lab section (trend charts over every result, the latest results with
    the analyte filter: the part that grows with the history) is the page's
    ``lab_section`` partial, which htmx requests as soon as the page has loaded
    (``?labs=1``). Without JavaScript the placeholder's link, or the filter, asks for
    the whole page with the lab section in place. The filter's htmx request gets only
    the ``labs`` table."""
    analyte = request.GET.get("analyte") or ""
    if request.htmx and "labs" not in request.GET:  # the analyte filter
        context = {"patient": patient, "analyte": analyte,
                   "labs": presenters.lab_table(queries.lab_results(patient, analyte=analyte))}
        return render(request, "patients/overview.html#labs", context)
    labs_wanted = "labs" in request.GET or "analyte" in request.GET
    lab_section = presenters.lab_section(queries.chart_values(patient), queries.lab_results(patient, analyte=analyte),
                                         analyte=analyte, sex=patient.sex,
                                         age=patient.age_on(timezone.localdate())) if labs_wanted else None
    if request.htmx:
        return render(request, "patients/overview.html#lab_section", {"patient": patient, **lab_section})
    context = {
        "patient": patient,
        "card": presenters.identity_card(patient),
        "summary": _overview_summary(request, patient),
        "show_labs": labs_wanted,
        **(lab_section or {}),
    }
    return render(request, "patients/overview.html", context)


# Process start: an entry of an older code version is never used (should CACHES ever be shared).
_SUMMARY_BUILD = uuid.uuid4().hex
SUMMARY_CACHE_SECONDS = 60 * 60


def overview_summary_key(request, patient):
    """The overview summary's cache key: everything the summary's HTML depends on. The patient's
    data token changes with every change to the patient or anything recorded for the patient
    (patients/freshness.py); the rights decide which links show; the date, the patient's age;
    the language, the words and date formats."""
    rights = hashlib.sha256("|".join(sorted(request.user.get_all_permissions())).encode()).hexdigest()[:16]
    return ":".join(("overview-summary", _SUMMARY_BUILD, str(patient.pk), patient.data_token, rights,
                     translation.get_language() or "", timezone.localdate().isoformat()))


def summary_context(request, patient):
    """What the overview's ``summary`` partial shows: identity, height and weight, latest
    findings, treatment lines, and the record links the user's rights allow."""
    return {
        "patient": patient,
        "card": presenters.identity_card(patient),
        "body": presenters.latest_body(queries.latest_body(patient)),
        "timeline": presenters.treatment_timeline(queries.treatment_lines(patient)),
        "findings": presenters.latest_findings(queries.latest_findings(patient)),
        "record_links": [
            (reverse("patients:record", args=[patient.pk, kind]), title)
            for kind, (_form, _action, title, permission, _model) in RECORD_KINDS.items()
            if request.user.has_perm(permission)
        ],
    }


def _overview_summary(request, patient):
    """The overview's clinical summary (identity, height and weight, latest findings, treatment
    lines) rendered once per state of the patient's record, then served from the cache
    (docs/adr/0005-overview-summary-cache.md; hazard HAZ-018)."""
    key = overview_summary_key(request, patient)
    html = cache.get(key)
    if html is None:
        html = render_to_string("patients/overview.html#summary", summary_context(request, patient), request)
        # Stored only if no change committed while it was read: data newer than the token must
        # not be stored under it (a restore can bring an old token back).
        stored_token = Patient.objects.filter(pk=patient.pk).values_list("data_token", flat=True).first()
        if stored_token == patient.data_token:
            cache.set(key, html, SUMMARY_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered


@require_http_methods(["GET", "POST"])
@load_patient(permission_of)
@vary_on_headers("HX-Request")
def record(request, patient, kind):
    if kind not in RECORD_KINDS:
        raise Http404
    form_class, action, title, _permission, _model = RECORD_KINDS[kind]
    # A link may preselect fields (e.g. ?analyte=beta2m from a missing fact of the assessment).
    initial = {name: request.GET[name] for name in form_class.base_fields if name in request.GET}
    form = form_class(request.POST or None, patient=patient, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = attempt(request, form, lambda: action(by=request.user, patient=patient, **form.action_kwargs()),
                           success=_("Saved."), url=reverse("patients:overview", args=[patient.pk]))
        if response:
            return response
    context = {"patient": patient, "form": form, "title": title, "action_url": request.path}
    return render(request, template(request, "patients/record.html", "form"), context)


@require_http_methods(["GET", "POST"])
@load_patient(roles.RECORD_CLINICAL_ASSESSMENT)
@vary_on_headers("HX-Request")
def treatment_line_edit(request, patient, line_pk):
    line = get_object_or_404(TreatmentLine, pk=line_pk, patient=patient)
    form = forms.TreatmentLineUpdateForm(request.POST or None, instance=line, patient=patient)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k not in ("reason", "lock_version")}
        try:
            actions.update_treatment_line(
                by=request.user, treatment_line=line, reason=form.cleaned_data["reason"],
                loaded_version=form.cleaned_data["lock_version"], **changes
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Treatment line updated."))
            return done(request, reverse("patients:overview", args=[patient.pk]))
    context = {
        "patient": patient, "form": form, "title": _("Correct treatment line %(line)s") % {"line": line.line},
        "action_url": request.path,
    }
    return render(request, template(request, "patients/record.html", "form"), context)


@require_http_methods(["GET", "POST"])
@load_patient(roles.REGISTER_PATIENT)
@vary_on_headers("HX-Request")
def patient_edit(request, patient):
    """Correct the patient's name, national identity number (birth date and sex follow it) or
    ward, with a reason (in the change log)."""
    editing = Patient.objects.get(pk=patient.pk)  # the form writes into its instance; the page keeps the stored one
    form = forms.PatientUpdateForm(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in actions.PATIENT_FIELDS}
        try:
            actions.update_patient(by=request.user, patient=patient, reason=form.cleaned_data["reason"],
                                   loaded_version=form.cleaned_data["lock_version"], **changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Patient details corrected."))
            return done(request, reverse("patients:overview", args=[patient.pk]))
    context = {"patient": patient, "form": form, "title": _("Correct patient details"), "action_url": request.path}
    return render(request, template(request, "patients/record.html", "form"), context)


@require_safe
@load_patient(roles.VIEW_PATIENTS)
def patient_history(request, patient):
    context = {"patient": patient, "card": presenters.identity_card(patient),
               "entries": presenters.change_log(*queries.change_log(patient))}
    return render(request, "patients/history.html", context)
