"""Patient pages: list and search, registration, overview, one form per record
kind, treatment line correction and the change log (Endringslogg).

Each view serves its full page and, for htmx requests, the named partial of
the same template (STYLE.md §6). Writes go through patients/actions.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from patients import actions, assessment, forms, presenters, responses, roles
from patients.models import Patient, TreatmentLine

RECORD_KINDS = {
    "height-weight": (forms.HeightWeightForm, actions.record_height_weight, _("Record height and weight")),
    "lab": (forms.LabResultForm, actions.record_lab_result, _("Record lab result")),
    "marrow": (forms.MarrowForm, actions.record_marrow, _("Record bone marrow finding")),
    "imaging": (forms.ImagingForm, actions.record_imaging, _("Record imaging finding")),
    "cytogenetics": (forms.CytogeneticsForm, actions.record_cytogenetics, _("Record cytogenetics")),
    "poems": (forms.PoemsForm, actions.record_poems_findings, _("Record POEMS findings")),
    "treatment-line": (forms.TreatmentLineForm, actions.record_treatment_line, _("Record treatment line")),
    "clinical-status": (forms.ClinicalStatusForm, actions.record_clinical_status, _("Record clinical status")),
}
# Treatment history and clinical status drive the treatment advice: physician judgements.
KIND_PERMISSION = {
    "treatment-line": roles.RECORD_CLINICAL_ASSESSMENT,
    "clinical-status": roles.RECORD_CLINICAL_ASSESSMENT,
}


def _template(request, name, partial):
    return f"{name}#{partial}" if request.htmx else name


def _done(request, url):
    """After a successful write: a normal redirect, or an htmx client redirect."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _run(form, action, **kwargs):
    """Call the action; a refusal from it (e.g. a race on uniqueness) becomes form errors."""
    try:
        return action(**kwargs, **form.action_kwargs())
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@require_safe
@permission_required(roles.VIEW_PATIENTS, raise_exception=True)
@vary_on_headers("HX-Request")
def patient_list(request):
    search = forms.SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    context = {"search": search, "query": query, "patients": presenters.search(query)}
    return render(request, _template(request, "patients/list.html", "results"), context)


@require_http_methods(["GET", "POST"])
@permission_required(roles.REGISTER_PATIENT, raise_exception=True)
@vary_on_headers("HX-Request")
def patient_register(request):
    form = forms.PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        patient = _run(form, actions.register_patient, by=request.user)
        if patient is not None:
            messages.success(request, _("Patient registered."))
            return _done(request, reverse("patients:overview", args=[patient.pk]))
    return render(request, _template(request, "patients/register.html", "form"), {"form": form})


@require_safe
@permission_required(roles.VIEW_PATIENTS, raise_exception=True)
@vary_on_headers("HX-Request")
def patient_overview(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    analyte = request.GET.get("analyte") or ""
    context = {
        "patient": patient,
        "card": presenters.identity_card(patient),
        "body": presenters.latest_body(patient),
        "timeline": presenters.treatment_timeline(patient),
        "findings": presenters.latest_findings(patient),
        "charts": presenters.lab_charts(patient),
        "labs": presenters.lab_table(patient, analyte=analyte),
        "analyte": analyte,
        "analytes": presenters.analyte_filter_choices(),
        "record_kinds": [
            (kind, title)
            for kind, (_form, _action, title) in RECORD_KINDS.items()
            if request.user.has_perm(KIND_PERMISSION.get(kind, roles.RECORD_OBSERVATIONS))
        ],
    }
    return render(request, _template(request, "patients/overview.html", "labs"), context)


@require_http_methods(["GET", "POST"])
@permission_required(roles.RECORD_OBSERVATIONS, raise_exception=True)
@vary_on_headers("HX-Request")
def record(request, pk, kind):
    if kind not in RECORD_KINDS:
        raise Http404
    if not request.user.has_perm(KIND_PERMISSION.get(kind, roles.RECORD_OBSERVATIONS)):
        raise PermissionDenied
    form_class, action, title = RECORD_KINDS[kind]
    patient = get_object_or_404(Patient, pk=pk)
    # A link may preselect fields (e.g. ?analyte=beta2m from a missing fact of the assessment).
    initial = {name: request.GET[name] for name in form_class.base_fields if name in request.GET}
    form = form_class(request.POST or None, patient=patient, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _run(form, action, by=request.user, patient=patient) is not None:
            messages.success(request, _("Saved."))
            return _done(request, reverse("patients:overview", args=[patient.pk]))
    context = {"patient": patient, "form": form, "title": title, "action_url": request.path}
    return render(request, _template(request, "patients/record.html", "form"), context)


@require_http_methods(["GET", "POST"])
@permission_required(roles.RECORD_CLINICAL_ASSESSMENT, raise_exception=True)
@vary_on_headers("HX-Request")
def treatment_line_edit(request, pk, line_pk):
    patient = get_object_or_404(Patient, pk=pk)
    line = get_object_or_404(TreatmentLine, pk=line_pk, patient=patient)
    form = forms.TreatmentLineUpdateForm(request.POST or None, instance=line, patient=patient)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            actions.update_treatment_line(
                by=request.user, treatment_line=line, reason=form.cleaned_data["reason"], **changes
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Treatment line updated."))
            return _done(request, reverse("patients:overview", args=[patient.pk]))
    context = {
        "patient": patient, "form": form, "title": _("Correct treatment line %(line)s") % {"line": line.line},
        "action_url": request.path,
    }
    return render(request, _template(request, "patients/record.html", "form"), context)


@require_safe
@permission_required(roles.VIEW_PATIENTS, raise_exception=True)
def patient_history(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    context = {"patient": patient, "card": presenters.identity_card(patient), "entries": presenters.change_log(patient)}
    return render(request, "patients/history.html", context)


def _allowed_kinds(user):
    return {kind for kind in RECORD_KINDS if user.has_perm(KIND_PERMISSION.get(kind, roles.RECORD_OBSERVATIONS))}


@require_safe
@permission_required(roles.VIEW_PATIENTS, raise_exception=True)
@vary_on_headers("HX-Request")
def patient_assessment(request, pk):
    """The guideline assessment on a date (default today); htmx swaps #assessment."""
    patient = get_object_or_404(Patient, pk=pk)
    form = forms.AssessmentDateForm(request.GET or None, patient=patient)
    as_of = form.cleaned_data["as_of"] if form.is_valid() else None
    context = {
        "patient": patient, "card": presenters.identity_card(patient), "form": form,
        "as_of": as_of,
        "a": assessment.assess(patient, as_of=as_of, allowed_kinds=_allowed_kinds(request.user)),
    }
    return render(request, _template(request, "patients/assessment.html", "assessment"), context)


@require_safe
@permission_required(roles.VIEW_PATIENTS, raise_exception=True)
@vary_on_headers("HX-Request")
def patient_responses(request, pk):
    """IMWG response at each assessment date of a treatment line; htmx swaps #responses."""
    patient = get_object_or_404(Patient, pk=pk)
    line = request.GET.get("line")
    if line is not None and not line.isdigit():
        line = None
    context = {"patient": patient, "card": presenters.identity_card(patient),
               **responses.responses(patient, line_number=int(line) if line else None)}
    return render(request, _template(request, "patients/responses.html", "responses"), context)
