"""Lab result pages: the lab panel (several results of one sample in one submit) and the
correction or deletion of a mistaken result, with a reason.

The panel is reached from the patient overview and from every missing lab fact of the assessment,
which passes ``?next=`` (the assessment) so that the user returns where the question came from;
``next`` is followed only when it points into this site (``url_has_allowed_host_and_scheme``),
else the overview. Writes go through patients/actions/; @load_patient checks the permission
first (patients/views/loaders.py).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import roles
from core.form_errors import add_errors
from patients import actions, assessment, labcatalogue, labforms, labpanel
from patients.models import LabResult
from patients.views.common import done, template
from patients.views.loaders import load_patient
from regimens.formatting import format_number


def overview_labs_url(patient):
    """The overview with its lab section open (where results are listed and corrected)."""
    return reverse("patients:overview", args=[patient.pk]) + "?labs=1#lab-section"


def safe_next(request, fallback):
    """``?next=`` when it points into this site, else ``fallback``: a link from elsewhere cannot
    send the user on to another site after saving (an open redirect)."""
    url = request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return fallback


def _asked_for(request):
    """Analytes a link asked for (``?analyte=``, e.g. a missing fact of the assessment)."""
    return [code for code in request.GET.getlist("analyte") if code in labcatalogue.ANALYTES]


@require_http_methods(["GET", "POST"])
@load_patient(roles.RECORD_OBSERVATIONS)
@vary_on_headers("HX-Request")
def lab_panel(request, patient):
    """Several results sampled together: one date (today unless changed) and sampling time, one row
    per analyte. The rows the patient's workup asks for (the engine's workup tier and its
    investigations, patients/labpanel.py) and the ones the link asked for come first; every other
    analyte of the catalogue is offered below. Blank rows are ignored; each filled row is validated
    on its own and its errors are shown in the row and above the form, naming the analyte; if any
    row is refused nothing is saved. After saving, back to ``next`` (the assessment that asked)."""
    next_url = safe_next(request, overview_labs_url(patient))
    workup = labpanel.workup_of(patient)
    selected, others = labpanel.panel_rows([*labpanel.workup_analytes(workup.investigations), *_asked_for(request)])
    data = request.POST if request.method == "POST" else None
    header = labforms.LabPanelForm(data, patient=patient)
    rows = {code: labforms.LabPanelRowForm(data, analyte=code) for code in (*selected, *others)}
    errors = []
    if request.method == "POST":
        valid = header.is_valid()
        valid = all([row.is_valid() for row in rows.values()]) and valid
        filled = [row for row in rows.values() if not row.is_blank()]
        if valid and not filled:
            header.add_error(None, _("Enter at least one result."))
        elif valid:
            try:
                saved = actions.record_lab_panel(
                    by=request.user, patient=patient, date=header.cleaned_data["date"],
                    sampling_time=header.cleaned_data["sampling_time"], results=[row.entry() for row in filled])
            except actions.LabPanelRefused as refused:
                for code, fields in refused.rows.items():
                    for field, messages_ in fields.items():
                        rows[code].add_error(field if field in rows[code].fields else None, messages_)
                for field, messages_ in refused.shared.items():
                    header.add_error(field if field in header.fields else None, messages_)
            except ValidationError as exc:
                add_errors(header, exc)
            else:
                messages.success(request, _("Lab results saved: %(count)s.") % {"count": len(saved)})
                return done(request, next_url)
        errors = [{"analyte": row.spec.label, "message": _without_label(message, row.spec.label),
                   "field": row["value" if field == "__all__" else field].auto_id}
                  for row in rows.values() for field, messages_ in row.errors.items() for message in messages_]
    context = {
        "patient": patient, "header": header, "errors": errors, "next_url": next_url,
        "action_url": request.get_full_path(),
        "tier": workup.tier, "tier_label": assessment.TIER_LABELS.get(workup.tier, ""),
        "selected": [rows[code] for code in selected],
        "others": [rows[code] for code in others],
        "others_open": any(not rows[code].is_blank() for code in others),
    }
    return render(request, template(request, "patients/lab_panel.html", "panel"), context)


def _result(patient, lab_pk):
    return get_object_or_404(LabResult, pk=lab_pk, patient=patient)


def _edit_page(request, patient, result, correction, deletion):
    context = {"patient": patient, "result": result, "correction": correction, "deletion": deletion,
               "spec": result.spec, "value": format_number(result.value, localize=False),
               "back_url": safe_next(request, overview_labs_url(patient)),
               "history_url": reverse("patients:history", args=[patient.pk])}
    return render(request, "patients/lab_edit.html", context)


@require_http_methods(["GET", "POST"])
@load_patient(roles.RECORD_OBSERVATIONS)
def lab_result_edit(request, patient, lab_pk):
    """Correct a mistaken result, with a reason (the old value stays in the change log); the page
    also offers its deletion (``lab_result_delete``)."""
    result = _result(patient, lab_pk)
    editing = LabResult.objects.get(pk=result.pk)  # the form writes into its instance; the page keeps the stored one
    correction = labforms.LabResultCorrectionForm(request.POST or None, instance=editing, patient=patient)
    if request.method == "POST" and correction.is_valid():
        try:
            actions.correct_lab_result(by=request.user, result=result, reason=correction.cleaned_data["reason"],
                                       loaded_version=correction.cleaned_data["lock_version"],
                                       **correction.changes())
        except ValidationError as exc:
            add_errors(correction, exc)
        else:
            messages.success(request, _("Lab result corrected."))
            return done(request, safe_next(request, overview_labs_url(patient)))
    return _edit_page(request, patient, result, correction, labforms.LabResultDeleteForm(result=result))


@require_POST
@load_patient(roles.RECORD_OBSERVATIONS)
def lab_result_delete(request, patient, lab_pk):
    """Delete a mistaken result, with a reason: its history keeps it, no assessment uses it again."""
    result = _result(patient, lab_pk)
    deletion = labforms.LabResultDeleteForm(request.POST, result=result)
    if deletion.is_valid():
        try:
            actions.delete_lab_result(by=request.user, result=result, reason=deletion.cleaned_data["reason"],
                                      loaded_version=deletion.cleaned_data["lock_version"])
        except ValidationError as exc:
            add_errors(deletion, exc)
        else:
            messages.success(request, _("Lab result deleted."))
            return done(request, safe_next(request, overview_labs_url(patient)))
    correction = labforms.LabResultCorrectionForm(instance=LabResult.objects.get(pk=result.pk), patient=patient)
    return _edit_page(request, patient, result, correction, deletion)


def _without_label(message, label):
    """The error without the analyte's name in front (the panel names the analyte beside it; the
    catalogue's messages begin with it for the forms that do not)."""
    prefix = f"{label}: "
    return message[len(prefix):] if str(message).startswith(prefix) else message
