"""Patient pages: list and search, registration, overview, one form per record
kind, treatment line correction and the change log (Endringslogg).

Each view serves its full page and, for htmx requests, the named partial of
the same template (STYLE.md §6). Writes go through patients/actions.py. Every view bound to a
patient gets the patient (and plan) from @load_patient / @load_plan (patients/loaders.py), which
check its permission first; the method decorator sits above it.
"""

import hashlib
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts import roles
from accounts.auth import access
from patients import actions, assessment, forms, plans, presenters, responses
from patients.loaders import load_patient, load_plan
from patients.models import Patient, TreatmentLine
from regimens.models import Protocol
from regimens.pdf import render_pdf
from regimens.sheets import dosing_sheet_context

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
        context = {"patient": patient, "analyte": analyte, "labs": presenters.lab_table(patient, analyte=analyte)}
        return render(request, "patients/overview.html#labs", context)
    labs_wanted = "labs" in request.GET or "analyte" in request.GET
    lab_section = presenters.lab_section(patient, analyte=analyte) if labs_wanted else None
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
    rights = hashlib.sha256("|".join(sorted(access(request.user)[0])).encode()).hexdigest()[:16]
    return ":".join(("overview-summary", _SUMMARY_BUILD, str(patient.pk), patient.data_token, rights,
                     translation.get_language() or "", timezone.localdate().isoformat()))


def _overview_summary(request, patient):
    """The overview's clinical summary (identity, height and weight, latest findings, treatment
    lines) rendered once per state of the patient's record, then served from the cache
    (docs/adr/0005-overview-summary-cache.md; hazard HAZ-018)."""
    key = overview_summary_key(request, patient)
    html = cache.get(key)
    if html is None:
        context = {
            "patient": patient,
            "card": presenters.identity_card(patient),
            "body": presenters.latest_body(patient),
            "timeline": presenters.treatment_timeline(patient),
            "findings": presenters.latest_findings(patient),
            "record_links": [
                (reverse("patients:record", args=[patient.pk, kind]), title)
                for kind, (_form, _action, title) in RECORD_KINDS.items()
                if request.user.has_perm(_kind_permission(kind))
            ],
        }
        html = render_to_string("patients/overview.html#summary", context, request)
        # Stored only if no change committed while it was read: data newer than the token must
        # not be stored under it (a restore can bring an old token back).
        stored_token = Patient.objects.filter(pk=patient.pk).values_list("data_token", flat=True).first()
        if stored_token == patient.data_token:
            cache.set(key, html, SUMMARY_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered


def _kind_permission(kind):
    return KIND_PERMISSION.get(kind, roles.RECORD_OBSERVATIONS)


@require_http_methods(["GET", "POST"])
@load_patient(_kind_permission)
@vary_on_headers("HX-Request")
def record(request, patient, kind):
    if kind not in RECORD_KINDS:
        raise Http404
    form_class, action, title = RECORD_KINDS[kind]
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
            return _done(request, reverse("patients:overview", args=[patient.pk]))
    context = {
        "patient": patient, "form": form, "title": _("Correct treatment line %(line)s") % {"line": line.line},
        "action_url": request.path,
    }
    return render(request, _template(request, "patients/record.html", "form"), context)


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
            return _done(request, reverse("patients:overview", args=[patient.pk]))
    context = {"patient": patient, "form": form, "title": _("Correct patient details"), "action_url": request.path}
    return render(request, _template(request, "patients/record.html", "form"), context)


@require_safe
@load_patient(roles.VIEW_PATIENTS)
def patient_history(request, patient):
    context = {"patient": patient, "card": presenters.identity_card(patient), "entries": presenters.change_log(patient)}
    return render(request, "patients/history.html", context)


def _allowed_kinds(user):
    return {kind for kind in RECORD_KINDS if user.has_perm(_kind_permission(kind))}


# --- Treatment plans ------------------------------------------------------------
#
# List, new plan (with an htmx live dose preview), plan page (the on-screen dosing
# sheet with the issue or verify form), revision, cancellation and the PDFs. The
# page and the PDFs of an issued plan share one context (presenters.plan_sheet,
# from the frozen snapshot), so what was checked is what prints (STYLE.md 8).


def _add_errors(form, exc):
    """An action's refusal as form errors: on the field it names when the form has it, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _preview(patient, protocol_code, data):
    """(preview, error messages) for the new-plan form's current values."""
    protocol = Protocol.objects.active().filter(code=protocol_code).first()
    if protocol is None:
        return None, []
    try:
        return plans.compute(patient, protocol, start_date=data["start_date"], cycles=data.get("cycles"),
                             bsa_formula=data.get("bsa_formula") or "mosteller",
                             reduced_tolerance=data.get("reduced_tolerance") or ()), []
    except ValidationError as exc:
        return None, exc.messages


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
        "a": assessment.assess(patient, as_of=as_of, allowed_kinds=_allowed_kinds(request.user)),
    }
    return render(request, _template(request, "patients/assessment.html", "assessment"), context)


@require_safe
@load_patient(roles.VIEW_PATIENTS)
def plan_list(request, patient):
    return render(request, "patients/plan_list.html", {"patient": patient, "plans": presenters.plan_rows(patient)})


@require_http_methods(["GET", "POST"])
@load_patient(roles.ISSUE_PLAN)
@vary_on_headers("HX-Request")
def plan_new(request, patient):
    """GET: the form (``?regimen=`` preselects and lists that regimen first) and, once a regimen and
    a start date are given, the dose preview; an htmx GET returns the editor fragment only.
    POST: create the draft and go to its page."""
    requested = request.GET.get("regimen", "")
    choices, recommended, unavailable = presenters.regimen_choices(patient, requested)
    data = request.POST if request.method == "POST" else (request.GET if "start_date" in request.GET else None)
    code = (data or {}).get("regimen") or requested
    protocol = Protocol.objects.active().filter(code=code).first() if code else None
    initial = {"regimen": code if protocol else "", "start_date": presenters.next_monday(),
               "bsa_formula": "mosteller"}
    form = forms.PlanForm(data, initial=initial, regimen_choices=choices,
                          drug_choices=plans.drugs_of(protocol) if protocol else ())
    preview, preview_errors, sheet = None, [], None
    if data is not None and form.is_valid():
        preview, preview_errors = _preview(patient, form.cleaned_data["regimen"], form.cleaned_data)
        if request.method == "POST":
            try:
                plan = actions.create_plan_draft(by=request.user, patient=patient, **form.action_kwargs())
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Draft plan created: check the doses and issue it."))
                return _done(request, reverse("patients:plan_detail", args=[patient.pk, plan.pk]))
    if preview is not None:
        sheet = dosing_sheet_context(preview.snapshot)
    context = {
        "patient": patient, "form": form, "recommended": recommended, "unavailable": unavailable,
        "preview": preview, "preview_errors": preview_errors, "sheet": sheet,
        "max_age_days": plans.MEASUREMENT_MAX_AGE_DAYS,
    }
    return render(request, _template(request, "patients/plan_new.html", "editor"), context)


def _detail_context(request, plan, *, issue_form=None, verify_form=None):
    context = {"patient": plan.patient, "plan": plan, "row": presenters.plan_row(plan),
               "max_age_days": plans.MEASUREMENT_MAX_AGE_DAYS, "verify_checks": forms.VERIFY_CHECKS,
               "can_issue": request.user.has_perm(roles.ISSUE_PLAN),
               "can_verify": request.user.has_perm(roles.VERIFY_PLAN),
               "can_print": request.user.has_perm(roles.PRINT_PLAN),
               "can_revise": request.user.has_perm(roles.ISSUE_PLAN) and plan.can_revise,
               "can_cancel": request.user.has_perm(roles.ISSUE_PLAN) and plan.can_cancel}
    if plan.can_issue:  # a draft: its doses as they would be issued now
        try:
            preview = plans.compute_for(plan)
        except ValidationError as exc:
            context["preview_errors"] = exc.messages
        else:
            context["preview"] = preview
            context["sheet"] = dosing_sheet_context(preview.snapshot)
            context["issue_form"] = issue_form or forms.PlanIssueForm(
                initial={"fingerprint": preview.fingerprint, "lock_version": plan.lock_version}, flags=preview.flags)
    else:
        context["sheet"] = presenters.plan_sheet(plan)
        if plan.can_verify:
            context["verify_form"] = verify_form or forms.PlanVerifyForm(
                initial={"fingerprint": plans.issued_fingerprint(plan), "lock_version": plan.lock_version})
    if issue_form is not None:
        context["issue_form"] = issue_form
    if verify_form is not None:
        context["verify_form"] = verify_form
    context["cancel_form"] = forms.PlanCancelForm(initial={"lock_version": plan.lock_version})
    return context


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
    return render(request, _template(request, "patients/responses.html", "responses"), context)


@require_safe
@load_plan(roles.VIEW_PATIENTS)
def plan_detail(request, patient, plan):
    return render(request, "patients/plan_detail.html", _detail_context(request, plan))


@require_POST
@load_plan(roles.ISSUE_PLAN)
@vary_on_headers("HX-Request")
def plan_issue(request, patient, plan):
    flags = []
    if plan.can_issue:
        try:
            flags = plans.compute_for(plan).flags
        except ValidationError:
            flags = []
    form = forms.PlanIssueForm(request.POST, flags=flags)
    if form.is_valid():
        try:
            actions.issue_plan(
                plan=plan, by=request.user, password=form.cleaned_data["password"],
                acknowledged_flags=form.cleaned_data.get("acknowledged_flags", []),
                expected_fingerprint=form.cleaned_data["fingerprint"],
                otp_token=form.cleaned_data["otp_token"],
                loaded_version=form.cleaned_data["lock_version"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Plan issued. A pharmacist must verify it before it can be printed."))
            return _done(request, reverse("patients:plan_detail", args=[patient.pk, plan.pk]))
    plan.refresh_from_db()
    context = _detail_context(request, plan, issue_form=form)
    return render(request, _template(request, "patients/plan_detail.html", "issue"), context, status=422)


@require_POST
@load_plan(roles.VERIFY_PLAN)
@vary_on_headers("HX-Request")
def plan_verify(request, patient, plan):
    form = forms.PlanVerifyForm(request.POST)
    if form.is_valid():
        try:
            actions.verify_plan(plan=plan, by=request.user, password=form.cleaned_data["password"],
                                expected_fingerprint=form.cleaned_data["fingerprint"],
                                otp_token=form.cleaned_data["otp_token"],
                                loaded_version=form.cleaned_data["lock_version"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Plan verified: it can now be printed."))
            return _done(request, reverse("patients:plan_detail", args=[patient.pk, plan.pk]))
    plan.refresh_from_db()
    context = _detail_context(request, plan, verify_form=form)
    return render(request, _template(request, "patients/plan_detail.html", "verify"), context, status=422)


@require_http_methods(["GET", "POST"])
@load_plan(roles.ISSUE_PLAN)
@vary_on_headers("HX-Request")
def plan_revise(request, patient, plan):
    initial = {"start_date": plan.start_date, "cycles": plan.cycles, "bsa_formula": plan.bsa_formula,
               "reduced_tolerance": plan.reduced_tolerance, "lock_version": plan.lock_version}
    form = forms.PlanReviseForm(request.POST or None, initial=initial, drug_choices=plans.drugs_of(plan.protocol))
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k not in ("reason", "lock_version")}
        try:
            new = actions.revise_plan(plan=plan, by=request.user, reason=form.cleaned_data["reason"],
                                      loaded_version=form.cleaned_data["lock_version"], **changes)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Revision drafted as version %(version)s: check it and issue it.")
                             % {"version": new.version})
            return _done(request, reverse("patients:plan_detail", args=[patient.pk, new.pk]))
    context = {"patient": patient, "plan": plan, "row": presenters.plan_row(plan), "form": form,
               "action_url": request.path}
    return render(request, _template(request, "patients/plan_revise.html", "form"), context)


@require_POST
@load_plan(roles.ISSUE_PLAN)
def plan_cancel(request, patient, plan):
    form = forms.PlanCancelForm(request.POST)
    if form.is_valid():
        try:
            actions.cancel_plan(plan=plan, by=request.user, reason=form.cleaned_data["reason"],
                                loaded_version=form.cleaned_data["lock_version"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Plan cancelled."))
    else:
        messages.error(request, _("Give a reason for cancelling.") if "reason" in form.errors
                       else " ".join(form.errors.get("lock_version", [])))
    return _done(request, reverse("patients:plan_detail", args=[patient.pk, plan.pk]))


def _print_refusal(request, plan):
    """None if the plan may be printed (verified: issued and countersigned), else the refusal page."""
    if not plan.can_print:
        message = _("This plan is %(status)s: only a plan verified by a pharmacist can be printed.") % {
            "status": plan.get_status_display()}
        return render(request, "patients/plan_print_refused.html",
                      {"patient": plan.patient, "plan": plan, "message": message}, status=403)
    return None


@require_safe
@load_plan(roles.PRINT_PLAN)
def plan_sheet_pdf(request, patient, plan):
    refused = _print_refusal(request, plan)
    if refused:
        return refused
    pdf = render_pdf("regimens/dosing_sheet_pdf.html", presenters.plan_sheet(plan))
    return _pdf_response(pdf, f"dosing-sheet-{plan.protocol.code}-plan{plan.pk}-v{plan.version}.pdf")


@require_safe
@load_plan(roles.PRINT_PLAN)
def plan_calendar_pdf(request, patient, plan):
    refused = _print_refusal(request, plan)
    if refused:
        return refused
    pdf = render_pdf("regimens/calendar_pdf.html", presenters.plan_calendar(plan))
    return _pdf_response(pdf, f"calendar-{plan.protocol.code}-plan{plan.pk}-v{plan.version}.pdf")


def _pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
