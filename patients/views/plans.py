"""Treatment plan pages: list, new plan (with an htmx live dose preview), plan page (the
on-screen dosing sheet with the issue or verify form), revision, cancellation and the PDFs.

The page and the PDFs of an issued plan share one context (presenters.plan_sheet, from the
frozen snapshot), so what was checked is what prints (STYLE.md 8). What a plan in its status
allows comes from the model (TreatmentPlan.can_issue …, PLAN_ACTS); what the user may do, from
the permissions (accounts/roles.py). Every view gets the patient and the plan from @load_patient
or @load_plan (patients/views/loaders.py), which check the permission first.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts import roles
from patients import actions, assessment, course_forms, forms, plans, presenters, queries
from patients.views.common import attempt, done, template
from patients.views.loaders import load_patient, load_plan
from regimens.models import Protocol
from regimens.pdf import render_pdf
from regimens.presenters import next_monday
from regimens.sheets import dosing_sheet_context


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
def plan_list(request, patient):
    return render(request, "patients/plan_list.html", {
        "patient": patient,
        "plans": presenters.plan_rows(queries.plans(patient), active_versions=queries.active_versions()),
    })


@require_http_methods(["GET", "POST"])
@load_patient(roles.ISSUE_PLAN)
@vary_on_headers("HX-Request")
def plan_new(request, patient):
    """GET: the form (``?regimen=`` preselects and lists that regimen first) and, once a regimen and
    a start date are given, the dose preview; an htmx GET returns the editor fragment only.
    POST: create the draft and go to its page."""
    requested = request.GET.get("regimen", "")
    choices, recommended, unavailable = presenters.regimen_choices(
        requested, active=queries.active_regimens(), options=assessment.treatment_options(patient))
    data = request.POST if request.method == "POST" else (request.GET if "start_date" in request.GET else None)
    code = (data or {}).get("regimen") or requested
    protocol = Protocol.objects.active().filter(code=code).first() if code else None
    initial = {"regimen": code if protocol else "", "start_date": next_monday(timezone.localdate()),
               "bsa_formula": "mosteller"}
    form = forms.PlanForm(data, initial=initial, regimen_choices=choices,
                          drug_choices=plans.tolerance_drugs_of(protocol) if protocol else ())
    preview, preview_errors, sheet = None, [], None
    if data is not None and form.is_valid():
        preview, preview_errors = _preview(patient, form.cleaned_data["regimen"], form.cleaned_data)
        if request.method == "POST":
            response = attempt(request, form, lambda: actions.create_plan_draft(
                by=request.user, patient=patient, **form.action_kwargs()),
                success=_("Draft plan created: check the doses and issue it."),
                url=lambda plan: reverse("patients:plan_detail", args=[patient.pk, plan.pk]))
            if response:
                return response
            on_the_form = {str(message) for errors in form.errors.values() for message in errors}
            preview_errors = [e for e in preview_errors if e not in on_the_form]  # each refusal said once
    if preview is not None:
        sheet = dosing_sheet_context(preview.snapshot)
    context = {
        "patient": patient, "form": form, "recommended": recommended, "unavailable": unavailable,
        "preview": preview, "preview_errors": preview_errors, "sheet": sheet,
        "max_age_days": plans.MEASUREMENT_MAX_AGE_DAYS,
    }
    return render(request, template(request, "patients/plan_new.html", "editor"), context)


def _detail_context(request, plan, *, issue_form=None, verify_form=None, end_form=None):
    active_versions = queries.active_versions()
    context = {"patient": plan.patient, "plan": plan, "row": presenters.plan_row(plan, active_versions=active_versions),
               "max_age_days": plans.MEASUREMENT_MAX_AGE_DAYS, "verify_checks": forms.VERIFY_CHECKS,
               "can_issue": request.user.has_perm(roles.ISSUE_PLAN),
               "can_verify": request.user.has_perm(roles.VERIFY_PLAN),
               "can_print": request.user.has_perm(roles.PRINT_PLAN),
               "can_revise": request.user.has_perm(roles.ISSUE_PLAN) and plan.can_revise,
               "can_cancel": request.user.has_perm(roles.ISSUE_PLAN) and plan.can_cancel,
               "can_return": request.user.has_perm(roles.VERIFY_PLAN) and plan.can_return}
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
        context["sheet"] = presenters.plan_sheet(plan, active_versions=active_versions)
        if plan.can_verify and plan.issued_by_id == request.user.pk:  # four eyes: not the issuer's to verify
            context["own_plan"] = True
        elif plan.can_verify:
            context["verify_form"] = verify_form or forms.PlanVerifyForm(
                initial={"fingerprint": plans.issued_fingerprint(plan), "lock_version": plan.lock_version})
    if issue_form is not None:
        context["issue_form"] = issue_form
    if verify_form is not None:
        context["verify_form"] = verify_form
    if end_form is not None:
        context["end_form"] = end_form
    context["can_end"] = request.user.has_perm(roles.ISSUE_PLAN) and plan.can_end and plan.treatment_line_id
    if context["can_end"] and "end_form" not in context:
        context["end_form"] = course_forms.EndCourseForm(initial={"lock_version": plan.lock_version},
                                                         drugs=plan.treatment_line.drugs)
    context["cancel_form"] = forms.PlanCancelForm(initial={"lock_version": plan.lock_version})
    context["return_form"] = forms.PlanReturnForm(initial={"lock_version": plan.lock_version})
    return context


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
    return _sign(request, plan, form, actions.issue_plan, partial="issue",
                 success=_("Plan issued. A pharmacist must verify it before it can be printed."),
                 more=lambda data: {"acknowledged_flags": data.get("acknowledged_flags", [])})


@require_POST
@load_plan(roles.VERIFY_PLAN)
@vary_on_headers("HX-Request")
def plan_verify(request, patient, plan):
    return _sign(request, plan, forms.PlanVerifyForm(request.POST), actions.verify_plan, partial="verify",
                 success=_("Plan verified: it can now be printed."))


def _sign(request, plan, form, act, *, partial, success, more=lambda data: {}):
    """A signature (issue, verify) from its form: ``act`` with the signer's password and code, the
    fingerprint of the doses shown and the loaded version (and ``more(cleaned_data)``); refused, the
    form again with the refusal on it (422, the page's ``partial`` for htmx)."""
    if form.is_valid():
        data = form.cleaned_data
        response = attempt(request, form, lambda: act(
            plan=plan, by=request.user, password=data["password"], otp_token=data["otp_token"],
            expected_fingerprint=data["fingerprint"], loaded_version=data["lock_version"], **more(data)),
            success=success, url=reverse("patients:plan_detail", args=[plan.patient_id, plan.pk]))
        if response:
            return response
    plan.refresh_from_db()
    context = _detail_context(request, plan, **{f"{partial}_form": form})
    return render(request, template(request, "patients/plan_detail.html", partial), context, status=422)


@require_http_methods(["GET", "POST"])
@load_plan(roles.ISSUE_PLAN)
@vary_on_headers("HX-Request")
def plan_revise(request, patient, plan):
    initial = {"start_date": plan.start_date, "cycles": plan.cycles, "bsa_formula": plan.bsa_formula,
               "reduced_tolerance": plan.reduced_tolerance, "lock_version": plan.lock_version}
    form = forms.PlanReviseForm(request.POST or None, initial=initial,
                                drug_choices=plans.tolerance_drugs_of(plan.protocol))
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k not in ("reason", "lock_version")}
        response = attempt(request, form, lambda: actions.revise_plan(
            plan=plan, by=request.user, reason=form.cleaned_data["reason"],
            loaded_version=form.cleaned_data["lock_version"], **changes),
            success=lambda new: _("Revision drafted as version %(version)s: check it and issue it.")
            % {"version": new.version},
            url=lambda new: reverse("patients:plan_detail", args=[patient.pk, new.pk]))
        if response:
            return response
    context = {"patient": patient, "plan": plan, "form": form,
               "row": presenters.plan_row(plan, active_versions=queries.active_versions()),
               "action_url": request.path}
    return render(request, template(request, "patients/plan_revise.html", "form"), context)


def _reasoned_act_view(permission, *, form_class, act, done_message, no_reason_message):
    """A POST view for a plan act that takes a written reason (cancel, return): it runs ``act`` with the
    reason from ``form_class``, says how it went and goes back to the plan page."""

    @require_POST
    @load_plan(permission)
    def view(request, patient, plan):
        form = form_class(request.POST)
        if form.is_valid():
            try:
                act(plan=plan, by=request.user, reason=form.cleaned_data["reason"],
                    loaded_version=form.cleaned_data["lock_version"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, done_message)
        else:
            messages.error(request, no_reason_message if "reason" in form.errors
                           else " ".join(form.errors.get("lock_version", [])))
        return done(request, reverse("patients:plan_detail", args=[patient.pk, plan.pk]))

    return view


@require_POST
@load_plan(roles.ISSUE_PLAN)
def plan_end(request, patient, plan):
    """The physician ends the course: the plan and its treatment line, with the reason (issue 15 item 1)."""
    line = plan.treatment_line
    form = course_forms.EndCourseForm(request.POST, drugs=line.drugs if line else ())
    if form.is_valid():
        response = attempt(request, form, lambda: actions.end_course(
            plan=plan, by=request.user, **form.action_kwargs()),
            success=_("Treatment ended: the plan and its treatment line are closed."),
            url=reverse("patients:plan_detail", args=[patient.pk, plan.pk]))
        if response:
            return response
    plan.refresh_from_db()
    return render(request, "patients/plan_detail.html", _detail_context(request, plan, end_form=form), status=422)


plan_cancel = _reasoned_act_view(roles.ISSUE_PLAN, form_class=forms.PlanCancelForm, act=actions.cancel_plan,
                                 done_message=_("Plan cancelled."),
                                 no_reason_message=_("Give a reason for cancelling."))
# The pharmacist returns the issued plan to the physician with the reason, instead of verifying it.
plan_return = _reasoned_act_view(roles.VERIFY_PLAN, form_class=forms.PlanReturnForm, act=actions.return_plan,
                                 done_message=_("Plan returned to the physician."),
                                 no_reason_message=_("Say why the plan is returned."))


def _print_refusal(request, plan):
    """None if the plan may be printed (verified: issued and countersigned), else the refusal page."""
    if not plan.can_print:
        message = _("This plan is %(status)s: only a plan verified by a pharmacist can be printed.") % {
            "status": plan.get_status_display()}
        return render(request, "patients/plan_print_refused.html",
                      {"patient": plan.patient, "plan": plan, "message": message}, status=403)
    return None


def _printed(request, plan, *, template, context, name):
    """The PDF of a verified plan (``context``: its presenter), or the refusal page."""
    refused = _print_refusal(request, plan)
    if refused:
        return refused
    pdf = render_pdf(template, context(plan, active_versions=queries.active_versions()))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{name}-{plan.protocol.code}-plan{plan.pk}-v{plan.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@load_plan(roles.PRINT_PLAN)
def plan_sheet_pdf(request, patient, plan):
    return _printed(request, plan, template="regimens/dosing_sheet_pdf.html", context=presenters.plan_sheet,
                    name=pgettext("file name", "dosing-sheet"))


@require_safe
@load_plan(roles.PRINT_PLAN)
def plan_calendar_pdf(request, patient, plan):
    return _printed(request, plan, template="regimens/calendar_pdf.html", context=presenters.plan_calendar,
                    name="behandlingskalender")  # the calendar is in bokmål whatever the reader's language

