"""The guideline pages of a patient: the assessment on a date and the IMWG responses of a
treatment line. Each serves its page and, for htmx, its partial."""

from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from accounts import roles
from patients import assessment, forms, presenters, responses
from patients.kinds import allowed_kinds
from patients.views.common import template
from patients.views.loaders import load_patient


@require_safe
@load_patient(roles.VIEW_PATIENTS)
@vary_on_headers("HX-Request")
def patient_assessment(request, patient):
    """The guideline assessment on a date (default today); htmx swaps #assessment."""
    form = forms.AssessmentDateForm(request.GET or None, patient=patient)
    as_of = form.cleaned_data["as_of"] if form.is_valid() else None
    context = {
        "patient": patient, "card": presenters.identity_card(patient), "form": form,
        "as_of": as_of,
        "a": assessment.assess(patient, as_of=as_of, allowed_kinds=allowed_kinds(request.user)),
    }
    return render(request, template(request, "patients/assessment.html", "assessment"), context)


@require_safe
@load_patient(roles.VIEW_PATIENTS)
@vary_on_headers("HX-Request")
def patient_responses(request, patient):
    """IMWG response at each assessment date of a treatment line; htmx swaps #responses."""
    line = request.GET.get("line")
    if line is not None and not line.isdigit():
        line = None
    context = {"patient": patient, "card": presenters.identity_card(patient),
               **responses.responses(patient, line_number=int(line) if line else None)}
    return render(request, template(request, "patients/responses.html", "responses"), context)
