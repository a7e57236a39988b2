"""Recording administrations (issue 15 item 4, docs/adr/0025-administrations.md).

What is due: the items of the issued plan's frozen schedule (``snapshot["schedule"]["administrations"]``,
the same rows the dosing sheet and the calendar print) on a date. An item may be recorded as given (or
given at a reduced dose) only when the plan is verified and its cycle is released (cycle 0, a step-up
phase, with cycle 1); the acts refuse otherwise, whatever the page offered (HAZ-129). A parenteral
anticancer drug (route iv or sc in the protocol data) needs a second nurse: another user, with their
password (HAZ-130). Records are never changed or deleted: a correction is a new row with its reason
(HAZ-131)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.confirmation import check_code, check_password
from core.formatting import format_date, format_dose
from patients.actions.common import check_reason, save
from patients.models import PlanStatus, TreatmentPlan
from treatment_course import release as reading
from treatment_course.models import (
    PARENTERAL_ROUTES,
    Administration,
    AdministrationConfirmation,
    AdministrationOutcome,
)

# Plans whose schedule the ward sees: issued (waiting for the pharmacist) and verified.
DUE_STATUSES = (PlanStatus.ISSUED, PlanStatus.VERIFIED)


def release_cycle_of(cycle):
    """The release that covers ``cycle``: a step-up phase (cycle 0) belongs to cycle 1's."""
    return 1 if cycle == 0 else cycle


def items(plan):
    return plan.snapshot.get("schedule", {}).get("administrations", []) if plan.snapshot else []


def latest_records(plan):
    """item index -> the newest record (a correction replaces what it corrects)."""
    latest = {}
    for record in Administration.objects.filter(plan=plan).select_related("recorded_by", "confirmation__confirmed_by"):
        latest[record.item] = record  # ordered by time: the last one wins
    return latest


def due_on(day):
    """Every item scheduled on ``day`` for the ward: dicts with the plan, the item, its release and
    verification status and the newest record."""
    rows = []
    plans = TreatmentPlan.objects.filter(status__in=DUE_STATUSES).select_related("patient", "protocol")
    for plan in plans:
        todays = [(i, item) for i, item in enumerate(items(plan)) if item["date"] == day.isoformat()]
        if not todays:
            continue
        released = reading.released_cycles(plan)
        latest = latest_records(plan)
        for i, item in todays:
            rows.append({
                "plan": plan, "patient": plan.patient, "index": i, "item": item,
                "verified": plan.status == PlanStatus.VERIFIED,
                "released": release_cycle_of(item["cycle"]) in released,
                "record": latest.get(i), "second_nurse": item["route"] in PARENTERAL_ROUTES,
            })
    rows.sort(key=lambda r: (r["patient"].name, r["plan"].pk, r["index"]))
    return rows


def refusal(plan, item, *, today=None):
    """Why ``item`` of ``plan`` may not be recorded as given (None: it may); with ``today``, also a dose
    planned for a later day (HAZ-139)."""
    if plan.status != PlanStatus.VERIFIED:
        return _("This plan is %(status)s: nothing is given before a pharmacist has verified it.") % {
            "status": plan.get_status_display()}
    if release_cycle_of(item["cycle"]) not in reading.released_cycles(plan):
        return _("Cycle %(cycle)s is not released: nothing of it is given before the physician releases it.") % {
            "cycle": release_cycle_of(item["cycle"])}
    if today is not None and dt.date.fromisoformat(item["date"]) > today:
        return _early(item)
    return None


def _early(item):
    return _("This dose is planned for %(date)s: it is not recorded as given before that day. If it is to be "
             "given earlier, the physician makes a new version of the plan first.") % {
        "date": format_date(dt.date.fromisoformat(item["date"]))}


def _decimal(value, field):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None


@transaction.atomic
def record_administration(*, plan, item, by, outcome, given_at=None, given_dose=None, reason="", corrects=None,
                          now=None):
    """Record ``item`` (its index in the plan's schedule): given at ``given_at``, given at the reduced
    ``given_dose`` (with the reason), or not given (with the reason). ``corrects``: the record this one
    corrects (the reason is required)."""
    if not by.has_perm(roles.RECORD_ADMINISTRATION):
        raise PermissionDenied(_("Your role may not do this."))
    now = now or timezone.now()
    plan = TreatmentPlan.objects.select_for_update().select_related("patient", "protocol").get(pk=plan.pk)
    schedule = items(plan)
    if plan.status not in DUE_STATUSES or not 0 <= item < len(schedule):
        raise ValidationError(_("This plan has no such administration."))
    scheduled = schedule[item]
    reason = (reason or "").strip()
    check_reason(reason, "reason")
    if outcome not in AdministrationOutcome.values:
        raise ValidationError({"outcome": _("Choose given, given at a reduced dose or not given.")})
    planned = _decimal(scheduled["dose"], "given_dose")
    if outcome != AdministrationOutcome.NOT_GIVEN:
        why = refusal(plan, scheduled)
        if why:
            raise ValidationError({"outcome": why})
        if given_at is None:
            raise ValidationError({"given_at": _("Enter the time it was given.")})
        if given_at > now:
            raise ValidationError({"given_at": _("The time given is in the future.")})
        if timezone.localdate(given_at) < dt.date.fromisoformat(scheduled["date"]):
            raise ValidationError({"given_at": _early(scheduled)})
    else:
        given_at = None
        if not reason:
            raise ValidationError({"reason": _("Say why it was not given.")})
    if outcome == AdministrationOutcome.REDUCED:
        if given_dose is None:
            raise ValidationError({"given_dose": _("Enter the reduced dose that was given.")})
        given_dose = _decimal(given_dose, "given_dose")
        if not Decimal(0) < given_dose < planned:
            raise ValidationError({"given_dose": _(
                "The reduced dose must be above 0 and below the planned %(dose)s.") % {
                "dose": format_dose(scheduled["dose"], scheduled["unit"])}})
        if not reason:
            raise ValidationError({"reason": _("Say why the dose was reduced.")})
    else:
        given_dose = planned if outcome == AdministrationOutcome.GIVEN else None
    if corrects is not None:
        if corrects.plan_id != plan.pk or corrects.item != item:
            raise ValidationError(_("A correction corrects a record of the same administration."))
        if not reason:
            raise ValidationError({"reason": _("Say why the record is corrected.")})
    elif Administration.objects.filter(plan=plan, item=item).exists():
        raise ValidationError(_("This administration is already recorded: record a correction with its reason."))
    record = Administration(
        patient=plan.patient, plan=plan, item=item, cycle=scheduled["cycle"], day=scheduled["day"],
        scheduled_date=dt.date.fromisoformat(scheduled["date"]), drug=scheduled["drug"], route=scheduled["route"],
        planned_dose=planned, unit=scheduled["unit"], outcome=outcome, given_at=given_at, given_dose=given_dose,
        reason=reason, corrects=corrects, recorded_by=by,
        needs_second_nurse=scheduled["route"] in PARENTERAL_ROUTES and outcome != AdministrationOutcome.NOT_GIVEN)
    # the history's reason is written in English and read back in the reader's language (core/change_reasons.py)
    with translation.override("en"):
        outcome_words = str(record.get_outcome_display())
    text = (f"{scheduled['drug']} C{scheduled['cycle']}D{scheduled['day']} {outcome_words}"
            + (f" {given_dose} {scheduled['unit']}" if given_dose is not None else "")
            + (f" at {timezone.localtime(given_at):%Y-%m-%d %H:%M}" if given_at else "")
            + (f" (correction of record {corrects.pk})" if corrects else ""))
    return save(record, by=by, reason=text + (f": {reason}" if reason else ""))


def confirm_administration(*, administration, by, password, otp_token=None):
    """The second nurse confirms ``administration``: another user than the one who recorded it, with
    their password (and code where signing requires it)."""
    if not by.has_perm(roles.RECORD_ADMINISTRATION):
        raise PermissionDenied(_("Your role may not do this."))
    if not administration.needs_second_nurse:
        raise ValidationError(_("This administration needs no second nurse."))
    if administration.recorded_by_id == by.pk:
        raise ValidationError({"password": _(
            "The second nurse is another person than the one who recorded it.")})
    check_password(by, password, refused=_("The password is not correct: confirm with your own password."))
    check_code(by, otp_token, no_device=_(
        "Confirming needs two-factor authentication: set up your authenticator app first (Two-factor page)."))
    with transaction.atomic():
        administration = Administration.objects.select_for_update().get(pk=administration.pk)
        if AdministrationConfirmation.objects.filter(administration=administration).exists():
            raise ValidationError(_("This administration is already confirmed."))
        if administration.corrections.exists():
            raise ValidationError(_("This record is corrected: confirm the correction."))
        made = AdministrationConfirmation(patient_id=administration.patient_id, administration=administration,
                                          confirmed_by=by)
        return save(made, by=by, reason=f"Second nurse confirmed: {administration.drug} cycle {administration.cycle} "
                                        f"day {administration.day}, {administration.outcome}")
