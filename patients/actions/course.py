"""The plan and the treatment line are one course (issue 15 item 1, docs/adr/0021-treatment-course.md).

Issuing a plan starts the patient's treatment line for its regimen, or continues it: a revision keeps
the line of the plan it replaces; a new plan of a regimen whose line is still open (no end date)
continues that line; otherwise a new line (the next number) starts on the plan's start date with the
protocol's drugs. Ending the course ends the plan and its line with the reason (progression with its
date, intolerance, completed, other). The rules read the lines (patients/facts.py: treatment_history)
and the response tracker (patients/responses.py) reads them too, so nobody types the regimen again.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import roles
from core.locking import lock_current
from guidelines.facts import DRUGS
from patients import plans
from patients.actions.common import check_reason, loaded_counter, save
from patients.models import EndReason, PlanStatus, TreatmentLine, TreatmentPlan


def protocol_drugs(protocol):
    """The protocol's drugs the treatment history knows (guidelines.facts.DRUGS), in protocol order, once."""
    return list(dict.fromkeys(d for d in plans.drugs_of(protocol) if d in DRUGS))


def line_for_issue(plan, *, by):
    """The treatment line the plan being issued starts or continues (saved, with its history)."""
    previous = plan.previous
    if previous is not None and previous.treatment_line_id:
        line = lock_current(TreatmentLine, previous.treatment_line_id, loaded_version=None)
        if line.start_date == previous.start_date and plan.start_date != previous.start_date:
            line.start_date = plan.start_date
            line._from_plan = True
            save(line, by=by, reason=f"Start date moved by plan version {plan.version}: {plan.change_reason}")
        return line
    code = plan.protocol.code
    line = (TreatmentLine.objects.select_for_update().filter(patient=plan.patient, regimen=code, end_date=None)
            .order_by("-line").first())
    if line is not None:
        drugs = list(dict.fromkeys([*line.drugs, *protocol_drugs(plan.protocol)]))
        if drugs != line.drugs:
            line.drugs = drugs
            line._from_plan = True
            save(line, by=by, reason=f"Continued by treatment plan {code} version {plan.version}")
        return line
    numbers = TreatmentLine.objects.filter(patient=plan.patient).values_list("line", flat=True)
    line = TreatmentLine(patient=plan.patient, line=max(numbers, default=0) + 1, regimen=code,
                         drugs=protocol_drugs(plan.protocol), start_date=plan.start_date)
    line._from_plan = True
    return save(line, by=by, reason=f"Started by treatment plan {code} version {plan.version}")


@transaction.atomic
def end_course(*, plan, by, end_reason, end_date, progression_date=None, intolerant_to=(), note="",
               loaded_version=None):
    """The physician ends the course: the plan (issued or verified) becomes ended and its treatment line
    gets the end date and the reason; progression needs its date (the line's progression date, which
    the relapse rules read); intolerance may name the drugs (the line's «intolerant to»)."""
    if not by.has_perm(roles.ISSUE_PLAN):
        raise PermissionDenied(_("Your role may not do this."))
    if end_reason not in EndReason.values:
        raise ValidationError({"end_reason": _("Choose why the treatment ended.")})
    note = (note or "").strip()
    if end_reason == EndReason.OTHER and not note:
        raise ValidationError({"note": _("Say why the treatment ended.")})
    check_reason(note, "note")
    plan = lock_current(TreatmentPlan, plan.pk, loaded_version=loaded_counter(plan, loaded_version),
                        queryset=TreatmentPlan.objects.select_related("protocol", "patient"))
    if not plan.can_end:
        raise ValidationError(_("This plan is %(status)s: only an issued or verified plan can be ended.") % {
            "status": plan.get_status_display()})
    if plan.treatment_line_id is None:
        raise ValidationError(_("This plan has no treatment line: it was issued before plans started lines."))
    line = lock_current(TreatmentLine, plan.treatment_line_id, loaded_version=None)
    line.end_date, line.end_reason, line.end_note = end_date, end_reason, note
    if end_reason == EndReason.PROGRESSION:
        line.progression_date = progression_date
    elif progression_date is not None:
        raise ValidationError({"progression_date": _("A progression date belongs to the reason «progression».")})
    if intolerant_to:
        outside = [d for d in intolerant_to if d not in line.drugs]
        if outside:
            raise ValidationError({"intolerant_to": _("Not a drug of this line: %(names)s.") % {
                "names": ", ".join(outside)}})
        line.intolerant_to = list(dict.fromkeys([*line.intolerant_to, *intolerant_to]))
    reason = f"Course ended ({end_reason}){': ' + note if note else ''}"
    save(line, by=by, reason=reason)
    plan.step("end")
    return save(plan, by=by, reason=reason, validate=False)


def open_course_plans(patient):
    """The patient's plans whose course runs (issued or verified, with a line), newest first."""
    return (TreatmentPlan.objects.filter(patient=patient, status__in=[PlanStatus.ISSUED, PlanStatus.VERIFIED])
            .exclude(treatment_line=None).select_related("protocol", "treatment_line"))
