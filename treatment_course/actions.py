"""The acts of the course (issue 15 item 2): the physician releases a cycle of a verified plan.

Keyword-only, one transaction each, with who and why in the history (patients/actions/common.save).
A release is refused, naming the field, until today's weight (and the height when due) is recorded
and every pre-cycle criterion of the protocol is answered. A weight change at or above the hospital's
limit since the dose basis does not release the cycle: it drafts a new plan version with the reason
(the doses are recomputed from today's weight when the physician issues it, and a pharmacist verifies
it again: four eyes); a criterion that is met with «hold» (or «reduce») holds the cycle. Every
decision is a new, unchangeable CycleRelease with what was seen (HAZ-111)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from core.formatting import format_date
from core.locking import lock_current
from patients import actions as patient_actions
from patients import labcatalogue
from patients import plans as patient_plans
from patients.actions.common import check_reason, loaded_counter, save
from patients.models import TreatmentPlan
from regimens.course_schema import CriterionAction
from treatment_course import release as reading
from treatment_course.models import CycleRelease, ReleaseOutcome


def _check_release(plan, cycle, *, weight_kg, today):
    why = reading.releasable(plan)
    if why == "not_verified":
        raise ValidationError(_("This plan is %(status)s: a cycle is released only on a plan a pharmacist has "
                                "verified.") % {"status": plan.get_status_display()})
    if why == "no_line":
        raise ValidationError(_("This plan has no treatment line: it was issued before plans started lines."))
    expected = reading.next_cycle(plan)
    if expected is None:
        raise ValidationError({"cycle": _("Every cycle of this plan is released.")})
    if cycle != expected:
        raise ValidationError({"cycle": _("Cycle %(next)s is the next to release, not cycle %(cycle)s.") % {
            "next": expected, "cycle": cycle}})
    why = too_early(plan, cycle, today=today)
    if why:
        raise ValidationError({"cycle": why})
    if weight_kg is None:
        raise ValidationError({"weight_kg": _("Weigh the patient today: the release needs today's weight.")})


def too_early(plan, cycle, *, today):
    """Why ``cycle`` is not released yet (it begins more than CYCLE_LAB_MAX_AGE_DAYS after ``today``), or ""."""
    earliest = reading.earliest_release(plan, cycle)
    if earliest is None or today >= earliest:
        return ""
    first, _last = reading.cycle_dates(plan, cycle)
    return _("Cycle %(cycle)s begins %(first)s: it is released from %(earliest)s, at most %(days)s days before it "
             "begins, so that the weight and the blood tests it is released on are recent when it begins.") % {
        "cycle": cycle, "first": format_date(first), "earliest": format_date(earliest),
        "days": settings.CYCLE_LAB_MAX_AGE_DAYS}


def old_labs_refusal(seen):
    """What the release says when blood tests are missing or old at the cycle's start (``seen``'s labs)."""
    return _("Missing or older than %(days)s days when cycle %(cycle)s starts: %(names)s. Take new blood tests, or "
             "confirm that you release the cycle on these.") % {
        "days": seen["lab_max_age_days"], "cycle": seen["cycle"],
        "names": ", ".join(lab["label"] for lab in seen["labs"] if lab["old"])}


@transaction.atomic
def release_cycle(*, plan, cycle, by, weight_kg, height_cm=None, answers=None, note="", loaded_version=None,
                  old_labs_acknowledged=False, today=None):
    """The physician's decision on ``cycle`` of ``plan`` (verified): released, held by a criterion, or
    sent for verification again after a weight change at or above CYCLE_WEIGHT_CHANGE_LIMIT_PERCENT
    (a new draft version with the reason, returned as ``release.revision``). A blood test shown at the
    release that is missing or older than CYCLE_LAB_MAX_AGE_DAYS at the cycle's start must be
    acknowledged (``old_labs_acknowledged``) for the cycle to be released: the release names them in its
    history (HAZ-142)."""
    if not by.has_perm(roles.ISSUE_PLAN):
        raise PermissionDenied(_("Your role may not do this."))
    note = (note or "").strip()
    check_reason(note, "note")
    today = today or timezone.localdate()
    plan = lock_current(TreatmentPlan, plan.pk, loaded_version=loaded_counter(plan, loaded_version),
                        queryset=TreatmentPlan.objects.select_related("protocol", "patient"))
    _check_release(plan, cycle, weight_kg=weight_kg, today=today)
    weight_kg, height_cm = (None if v is None else Decimal(str(v)) for v in (weight_kg, height_cm))
    # today's measurements first: the record refuses an implausible value, naming the field
    patient_actions.record_height_weight(by=by, patient=plan.patient, date=today, weight_kg=weight_kg,
                                         height_cm=height_cm, reason=f"Measured at the release of cycle {cycle}")
    data = reading.seen(plan, cycle, today=today)
    if data["height_due"]:
        raise ValidationError({"height_cm": _("The height is missing or older than %(days)s days: measure it.") % {
            "days": patient_plans.MEASUREMENT_MAX_AGE_DAYS}})
    criteria = reading.evaluate(data["criteria"], data["labs"], answers or {})
    unanswered = [c["analyte"] for c in criteria if c["met"] is None]
    if unanswered:
        raise ValidationError({"__all__": _("Answer every pre-cycle criterion (no value, or no blood test from the "
                                            "last %(days)s days before the cycle starts, for: %(names)s).") % {
            "names": ", ".join(unanswered), "days": settings.CYCLE_LAB_MAX_AGE_DAYS}})
    data["criteria"] = criteria
    held = any(c["met"] and c["action"] in (CriterionAction.HOLD, CriterionAction.REDUCE) for c in criteria)
    # only a release gives drugs: a held cycle or one sent for verification again asks no acknowledgement
    stale = [] if held or data["weight_change_at_limit"] else [lab for lab in data["labs"] if lab["old"]]
    if stale and not old_labs_acknowledged:
        raise ValidationError({"old_labs_acknowledged": old_labs_refusal(data)})
    data["old_labs_acknowledged"] = [lab["analyte"] for lab in stale]
    revision = None
    if data["weight_change_at_limit"]:
        outcome = ReleaseOutcome.REVERIFY
        reason = (f"Weight {data['basis']['weight_kg']} kg -> {data['weight_kg']} kg "
                  f"({data['weight_change_pct']} %, limit {data['weight_limit_pct']} %) at the release of cycle "
                  f"{cycle}: doses recomputed, to be verified again")
        revision = patient_actions.revise_plan(plan=plan, by=by, reason=reason)
    elif held:
        outcome = ReleaseOutcome.HELD
        reason = f"Cycle {cycle} held by the pre-cycle criteria: " + ", ".join(
            c["analyte"] for c in criteria if c["met"] and c["action"] != CriterionAction.PROCEED)
    else:
        outcome = ReleaseOutcome.RELEASED
        reason = f"Cycle {cycle} released"
    reason += f": {note}" if note else ""
    if stale:  # stored in English, read in the reader's language (core/change_reasons.py)
        with translation.override("en"):
            names = ", ".join(str(labcatalogue.ANALYTES[lab["analyte"]].label) for lab in stale)
        reason = f"Old or missing blood tests acknowledged ({names}): {reason}"
    release = CycleRelease(patient=plan.patient, plan=plan, treatment_line_id=plan.treatment_line_id,
                           regimen=plan.protocol.code, cycle=cycle, outcome=outcome, seen=data, note=note,
                           revision=revision, released_by=by)
    return save(release, by=by, reason=reason)
