"""The course pages (issue 15): releasing a cycle, recording administrations («Dagens behandlinger») and
the worklists. Function-based, loaders from patients/views/loaders.py."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts import roles
from core.form_errors import add_errors
from core.formatting import format_date
from patients.views.common import attempt, done
from patients.views.loaders import load_patient, load_plan
from treatment_course import actions, administer, modify, presenters, progression, release, worklists
from treatment_course.forms import (
    AdministrationForm,
    ConfirmAdministrationForm,
    ModifyForm,
    ProgressionDecisionForm,
    ReleaseForm,
)
from treatment_course.models import (
    PARENTERAL_ROUTES,
    Administration,
    AdministrationConfirmation,
    CycleRelease,
    ProgressionProposal,
    ReleaseOutcome,
)

OUTCOME_MESSAGES = {
    ReleaseOutcome.RELEASED: _("Cycle %(cycle)s released."),
    ReleaseOutcome.HELD: _("Cycle %(cycle)s is not released: a pre-cycle criterion holds it."),
    ReleaseOutcome.REVERIFY: _("The weight changed by %(change)s %% (limit %(limit)s %%): a new plan version with "
                               "recomputed doses is drafted. Issue it; a pharmacist verifies it again before the "
                               "cycle is released."),
}


@require_http_methods(["GET", "POST"])
@load_plan(roles.ISSUE_PLAN)
def cycle_release(request, patient, plan, cycle):
    refusal = release.releasable(plan)
    too_early = actions.too_early(plan, cycle, today=timezone.localdate())
    seen = release.seen(plan, cycle) if refusal is None else None
    form = ReleaseForm(request.POST or None, criteria=seen["criteria"] if seen else (),
                       old_labs=bool(seen) and any(lab["old"] for lab in seen["labs"]),
                       initial={"lock_version": plan.lock_version})
    status = 200
    if request.method == "POST" and refusal is None:
        if form.is_valid():
            data = form.cleaned_data
            response = attempt(request, form, lambda: actions.release_cycle(
                plan=plan, cycle=cycle, by=request.user, weight_kg=data["weight_kg"], height_cm=data.get("height_cm"),
                answers=form.answers(), note=data.get("note", ""), loaded_version=data["lock_version"],
                old_labs_acknowledged=data.get("old_labs_acknowledged", False)),
                success=lambda made: OUTCOME_MESSAGES[made.outcome] % {
                    "cycle": cycle, "change": presenters.percent(made.seen["weight_change_pct"]),
                    "limit": presenters.percent(made.seen["weight_limit_pct"])},
                url=lambda made: reverse("patients:plan_detail", args=[patient.pk, (made.revision or plan).pk]))
            if response:
                return response
        status = 422
    decisions = CycleRelease.objects.filter(treatment_line_id=plan.treatment_line_id, regimen=plan.protocol.code,
                                            cycle=cycle).select_related("released_by") if plan.treatment_line_id else []
    shown = {}
    if seen:
        shown = {"rows": presenters.release_rows(seen), "labs": presenters.lab_rows(seen),
                 "criteria": presenters.criterion_rows(seen),
                 "dates": {"first": format_date(seen["first_date"]), "last": format_date(seen["last_date"])},
                 "response": progression.response_at_cycle_start(
                     plan.treatment_line, dt.date.fromisoformat(seen["first_date"]) if seen["first_date"]
                     else timezone.localdate())}
    return render(request, "treatment_course/release.html", {
        **shown, "patient": patient, "plan": plan, "cycle": cycle, "seen": seen, "form": form,
        "refusal": refusal, "too_early": too_early,
        "next_cycle": release.next_cycle(plan) if refusal is None else None, "decisions": decisions,
    }, status=status)


@require_http_methods(["GET", "POST"])
@load_plan(roles.ISSUE_PLAN)
def modify_plan(request, patient, plan):
    """Modifying doses (issue 15 item 3): the drugs with their dose levels and sources, the plan's
    modifications so far, and the form; a modification makes a new draft version, shown next to be
    issued (and then verified by a pharmacist)."""
    shown = modify.options(plan) if plan.snapshot else None
    form = ModifyForm(request.POST or None, drugs=[d["drug"] for d in shown["drugs"]] if shown else (),
                      cycles=shown["cycles"] if shown else None, initial={"lock_version": plan.lock_version})
    status = 200
    allowed = plan.status in modify.MODIFIABLE
    if request.method == "POST" and allowed:
        if form.is_valid():
            data = form.cleaned_data
            response = attempt(request, form, lambda: modify.modify_plan(
                plan=plan, by=request.user, kind=data["kind"], cycle=data["cycle"], drug=data.get("drug") or "",
                day=data.get("day"), days=data.get("days"), reason=data["reason"], loaded_version=data["lock_version"]),
                success=_("A new plan version with the modification is drafted. Issue it; a pharmacist verifies it "
                          "again before it is given."),
                url=lambda new: reverse("patients:plan_detail", args=[patient.pk, new.pk]))
            if response:
                return response
        status = 422
    return render(request, "treatment_course/modify.html", {
        "patient": patient, "plan": plan, "shown": shown, "form": form, "allowed": allowed}, status=status)


@require_http_methods(["GET"])
@load_plan(roles.ISSUE_PLAN)
def next_release(request, patient, plan):
    """The release page of the plan's next cycle (cycle 1 when none is due: the page says so)."""
    cycle = (release.next_cycle(plan) if release.releasable(plan) is None else None) or 1
    return redirect("course:cycle_release", pk=patient.pk, plan_pk=plan.pk, cycle=cycle)


@require_safe
@load_plan(roles.VIEW_PATIENTS)
def plan_course(request, patient, plan):
    """The course of the plan, cycle by cycle (the plan page loads it with htmx; without JavaScript its link
    opens it as a page): each cycle's release decisions and its administrations with their records."""
    releases = (CycleRelease.objects.filter(treatment_line_id=plan.treatment_line_id, regimen=plan.protocol.code)
                .select_related("released_by") if plan.treatment_line_id else [])
    next_cycle = release.next_cycle(plan) if release.releasable(plan) is None else None
    earliest = release.earliest_release(plan, next_cycle) if next_cycle else None
    rows = presenters.course_rows(administer.items(plan), releases, administer.latest_records(plan),
                                  next_cycle=next_cycle,
                                  releasable_from=earliest if earliest and earliest > timezone.localdate() else None,
                                  cycle_length=plan.snapshot.get("schedule", {}).get("cycle_length_days"))
    context = {"patient": patient, "plan": plan, "cycles": rows,
               "can_release": request.user.has_perm(roles.ISSUE_PLAN),
               "can_record": request.user.has_perm(roles.RECORD_ADMINISTRATION)}
    name = "treatment_course/plan_course.html"
    return render(request, f"{name}#course" if request.htmx else name, context)


@require_http_methods(["GET"])
@permission_required(roles.RECORD_ADMINISTRATION, raise_exception=True)
def todays_treatments(request):
    """«Dagens behandlinger»: what is due today, with the plan's verification and the cycle's release."""
    return render(request, "treatment_course/today.html", {
        "rows": administer.due_on(timezone.localdate()), "today": format_date(timezone.localdate())})


def _item_page(request, patient, plan, item, *, form=None, confirm_form=None, status=200):
    schedule = administer.items(plan)
    scheduled = schedule[item]
    records = list(Administration.objects.filter(plan=plan, item=item).select_related(
        "recorded_by", "confirmation__confirmed_by"))
    latest = records[-1] if records else None
    awaiting = (latest is not None and latest.needs_second_nurse
                and not AdministrationConfirmation.objects.filter(administration=latest).exists())
    return render(request, "treatment_course/administration.html", {
        "patient": patient, "plan": plan, "item": item, "scheduled": scheduled,
        "scheduled_date": format_date(dt.date.fromisoformat(scheduled["date"])),
        "refusal": administer.refusal(plan, scheduled, today=timezone.localdate()),
        "records": records, "latest": latest,
        "awaiting": awaiting, "second_nurse": scheduled["route"] in PARENTERAL_ROUTES,
        # the nurse who recorded it is told another confirms, not given a form that refuses her
        "own_record": awaiting and confirm_form is None and latest.recorded_by_id == request.user.pk,
        "form": form or AdministrationForm(), "confirm_form": confirm_form or ConfirmAdministrationForm(),
    }, status=status)


def _item_url(patient, plan, item):
    return reverse("course:administration", args=[patient.pk, plan.pk, item])


def _check_item(plan, item):
    if plan.status not in administer.DUE_STATUSES or not 0 <= item < len(administer.items(plan)):
        raise Http404


@require_http_methods(["GET", "POST"])
@load_plan(roles.RECORD_ADMINISTRATION)
def administration(request, patient, plan, item):
    """One scheduled administration: its records (with who, when and why) and the form to record it, or
    to correct the last record."""
    _check_item(plan, item)
    form = AdministrationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            given_at = None
            if data.get("given_time"):
                given_at = timezone.make_aware(dt.datetime.combine(timezone.localdate(), data["given_time"]))
            latest = Administration.objects.filter(plan=plan, item=item).last()
            response = attempt(request, form, lambda: administer.record_administration(
                plan=plan, item=item, by=request.user, outcome=data["outcome"], given_at=given_at,
                given_dose=data.get("given_dose"), reason=data.get("reason", ""), corrects=latest),
                success=_("The administration is recorded."), url=_item_url(patient, plan, item))
            if response:
                return response
        return _item_page(request, patient, plan, item, form=form, status=422)
    return _item_page(request, patient, plan, item, form=form)


@require_http_methods(["POST"])
@load_plan(roles.RECORD_ADMINISTRATION)
def confirm_administration(request, patient, plan, item, record_pk):
    _check_item(plan, item)
    record = get_object_or_404(Administration, pk=record_pk, plan=plan, item=item)
    form = ConfirmAdministrationForm(request.POST)
    if form.is_valid():
        response = attempt(request, form, lambda: administer.confirm_administration(
            administration=record, by=request.user, password=form.cleaned_data["password"],
            otp_token=form.cleaned_data.get("otp_token")),
            success=_("The second nurse's confirmation is recorded."), url=_item_url(patient, plan, item))
        if response:
            return response
    return _item_page(request, patient, plan, item, confirm_form=form, status=422)


@require_http_methods(["GET"])
@permission_required(roles.ISSUE_PLAN, raise_exception=True)
def physician_worklist(request):
    return render(request, "treatment_course/worklist_physician.html", worklists.physician())


@require_http_methods(["GET"])
@permission_required(roles.VERIFY_PLAN, raise_exception=True)
def pharmacist_worklist(request):
    return render(request, "treatment_course/worklist_pharmacist.html", worklists.pharmacist())
@require_http_methods(["POST"])
@load_patient(roles.ISSUE_PLAN)
def progression_decision(request, patient, proposal_pk):
    """The physician confirms a proposed progression (the line's progression date) or rejects it with a reason."""
    proposal = get_object_or_404(ProgressionProposal, pk=proposal_pk, patient=patient)
    form = ProgressionDecisionForm(request.POST)
    url = reverse("patients:responses", args=[patient.pk]) + f"?line={proposal.treatment_line.line}"
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "confirmed":
                progression.confirm(proposal=proposal, by=request.user, reason=data.get("reason") or "")
                messages.success(request, _("Progression confirmed: %(date)s is the line's progression date.") % {
                    "date": format_date(proposal.progression_date)})
            else:
                progression.reject(proposal=proposal, by=request.user, reason=data["reason"])
                messages.success(request, _("The proposed progression was rejected."))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return done(request, url)
    errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    messages.error(request, _("Not saved: %(errors)s") % {"errors": errors})
    return render(request, "treatment_course/progression_refused.html",
                  {"patient": patient, "form": form, "url": url, "errors": errors}, status=422)
