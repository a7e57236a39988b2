"""Modifying doses (issue 15 item 3, docs/adr/0024-dose-levels-and-plan-modifications.md): the
physician reduces a drug by one dose level from a cycle, stops a drug from a cycle, holds one dose or
delays a cycle by N days. Each is a new plan version (``patients.actions.revise_plan``: plans are
immutable) carrying every earlier modification and the new one, with the reason; the physician issues
it (the doses recomputed by the one dose engine, regimens/dosing/modify.py) and a pharmacist verifies it
again before anything of it can be recorded as given (treatment_course/administer.py, HAZ-128).

What the page shows (``options``) and what the act stores come from the same engine call: the level a
reduction goes to is the engine's step, never typed by the physician."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from core.formatting import format_datetime, format_dose
from core.locking import lock_current
from core.messages import render
from guidelines.messages import Quote, english
from patients import actions as patient_actions
from patients import plans as patient_plans
from patients.actions.common import check_reason, loaded_counter
from patients.models import PlanStatus, TreatmentPlan
from regimens.dosing import modify as engine
from treatment_course.models import Administration, AdministrationOutcome

KINDS = engine.KINDS
# A modification's kind as the page names it in the list of the plan's modifications
KIND_WORDS = {engine.REDUCE: gettext_lazy("dose reduced"), engine.STOP: gettext_lazy("drug stopped"),
              engine.HOLD: gettext_lazy("dose held"), engine.DELAY: gettext_lazy("cycle delayed")}
# The guideline's principle for steroids, shown where a steroid has no dose level: it gives no level.
STEROIDS = ("dexamethasone", "prednisolone")
STEROID_PRINCIPLE = {
    "text": Quote("Steroider (deksametason og prednisolon bør dosereduseres først ved intoleranse). Ved tvil er det "
                  "bedre å gå ned i dose enn å la være."),
    "source": "Handlingsprogram for myelomatose — Generelt om behandlingsdoser, dosereduksjoner og seponering",
}
MODIFIABLE = (PlanStatus.ISSUED, PlanStatus.VERIFIED)


def options(plan):
    """For the page: each drug of the plan's cycles with its levels (or none, and the steroid principle),
    the plan's cycles, and the modifications it already carries in words. The levels are the active
    protocol version's: the one the new version is computed on."""
    proto = patient_plans.require_active_protocol(plan.protocol.code).parsed()
    snapshot = plan.snapshot or {}
    schedule = snapshot.get("schedule", {})
    drugs = []
    for line in proto.drugs:
        levels = proto.levels_of(line.drug)
        drugs.append({
            "drug": line.drug, "basis": str(line.basis),
            "levels": " → ".join(format_dose(d, str(line.basis)) for d in levels.doses) if levels else "",
            "source": render(engine.source_words(levels)) if levels else "",
            "interpretation": levels.interpretation if levels else "",
            "steroid_principle": STEROID_PRINCIPLE if levels is None and line.drug in STEROIDS else None,
        })
    return {
        "drugs": drugs, "cycles": schedule.get("cycles") or 0,
        "modifications": [render(text) for text in schedule.get("modifications", [])],
        "records": [{**record, "kind": KIND_WORDS.get(record["kind"], record["kind"]),
                     "at": format_datetime(record.get("at"))} for record in plan.modifications or []],
    }


def _given_from(plan, cycle, *, drug=None, day=None):
    """Administrations of the plan's course recorded as given at or after ``cycle`` (of ``drug``)."""
    rows = Administration.objects.filter(
        plan__treatment_line_id=plan.treatment_line_id, plan__protocol__code=plan.protocol.code, cycle__gte=cycle,
        outcome__in=(AdministrationOutcome.GIVEN, AdministrationOutcome.REDUCED))
    if drug:
        rows = rows.filter(drug=drug)
    if day is not None:
        rows = rows.filter(cycle=cycle, day=day)
    return rows.exists()


def _entry(kind, cycle, drug, day, days):
    if kind not in KINDS:
        raise ValidationError({"kind": _("Choose what to change.")})
    if cycle is None:
        raise ValidationError({"cycle": _("Give the cycle.")})
    entry = {"kind": kind, "cycle": cycle}
    if kind == engine.DELAY:
        if not days:
            raise ValidationError({"days": _("Give the number of days to delay the cycle by.")})
        entry["days"] = days
    else:
        if not drug:
            raise ValidationError({"drug": _("Choose the drug.")})
        entry["drug"] = drug
        if kind == engine.HOLD:
            if day is None:
                raise ValidationError({"day": _("Give the day of the cycle whose dose is held.")})
            entry["day"] = day
    return entry


def _engine_refusal(exc):
    """The engine's refusal of a modification (ValidationError on ``modifications``) as one on the form."""
    if hasattr(exc, "error_dict") and "modifications" in exc.error_dict:
        raise ValidationError({"__all__": exc.error_dict["modifications"]}) from None
    raise exc


@transaction.atomic
def modify_plan(*, plan, by, kind, cycle, reason, drug="", day=None, days=None, loaded_version=None, today=None):
    """A new draft version of the issued or verified ``plan`` with one more modification and the reason
    (required). A reduction is one level down from the dose the drug is at in ``cycle`` (the engine's
    step; refused for a drug without levels and below the last level); nothing is modified in a cycle
    of which a dose is already recorded as given. Returns the new draft, to be issued and verified."""
    if not by.has_perm(roles.ISSUE_PLAN):
        raise PermissionDenied(_("Your role may not do this."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the modification.")})
    check_reason(reason, "reason")
    plan = lock_current(TreatmentPlan, plan.pk, loaded_version=loaded_counter(plan, loaded_version),
                        queryset=TreatmentPlan.objects.select_related("protocol", "patient"))
    if plan.status not in MODIFIABLE:
        raise ValidationError(_("This plan is %(status)s: only an issued or verified plan is modified (a draft is "
                                "changed on its own page).") % {"status": plan.get_status_display()})
    entry = _entry(kind, cycle, drug, day, days)
    if _given_from(plan, cycle, drug=None if kind == engine.DELAY else drug,
                   day=day if kind == engine.HOLD else None):
        raise ValidationError({"cycle": _(
            "A dose of cycle %(cycle)s or later is already recorded as given: the modification would change what "
            "was given. Choose a later cycle.") % {"cycle": cycle}})
    entry.update(reason=reason, by=by.get_username(), at=timezone.now().isoformat(timespec="seconds"))
    modifications = [*(plan.modifications or []), entry]
    try:
        preview = patient_plans.compute(
            plan.patient, patient_plans.require_active_protocol(plan.protocol.code), start_date=plan.start_date,
            cycles=plan.cycles, bsa_formula=plan.bsa_formula, reduced_tolerance=plan.reduced_tolerance,
            modifications=modifications, plan=plan, today=today)
    except ValidationError as exc:
        _engine_refusal(exc)
    if kind == engine.REDUCE:
        step = next((s for s in preview.snapshot["schedule"].get("reduction_steps", [])
                     if s["drug"] == drug and s["cycle"] == cycle), None)
        if step is None:  # e.g. the drug is stopped before that cycle: nothing to reduce
            raise ValidationError({"cycle": _("%(drug)s has no dose from cycle %(cycle)s to reduce.") % {
                "drug": drug, "cycle": cycle}})
        entry.update(before=step["before"], dose=step["after"], level=step["level"], basis=step["basis"])
    return patient_actions.revise_plan(plan=plan, by=by, reason=change_reason(entry)[:500],
                                       modifications=modifications)


def change_reason(entry):
    """The new version's reason in the history (English, like the other acts' history reasons): what
    changed, from which cycle, the dose before → after for a reduction, then the physician's words."""
    kind, cycle = entry["kind"], entry["cycle"]
    if kind == engine.REDUCE:
        before, after = english(entry["before"]), english(entry["dose"])
        what = (f"Dose reduced: {entry['drug']} {before} -> {after} {entry['basis']} from cycle {cycle} "
                f"(dose level {entry['level']})")
    elif kind == engine.STOP:
        what = f"Drug stopped: {entry['drug']} from cycle {cycle}"
    elif kind == engine.HOLD:
        what = f"Dose held: {entry['drug']} cycle {cycle} day {entry['day']}"
    else:
        what = f"Cycle delayed: cycle {cycle} by {entry['days']} days (the following dates move)"
    return f"{what}: {entry['reason']}"
