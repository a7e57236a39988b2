"""What the physician sees before releasing a cycle (issue 15 item 2): the cycle's dates, today's weight
and height beside the plan's dose basis, the BSA recomputed, the weight change against the hospital's
limit, the latest labs with their dates (older than the hospital's limit flagged) and the protocol's
pre-cycle criteria with their sources. The same dict is shown and stored as the release's ``seen``.

No clinical threshold lives here: the weight and lab limits are the hospital's settings
(CYCLE_WEIGHT_CHANGE_LIMIT_PERCENT, CYCLE_LAB_MAX_AGE_DAYS) and the criteria are protocol data
(regimens/course_schema.py) taken from the guideline or added by a pharmacist with their source."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from patients import labcatalogue
from patients import plans as patient_plans
from patients.models import HeightWeight, LabResult, PlanStatus
from regimens.course_schema import HOURS_FINDINGS, PrecycleCriterion
from regimens.dosing.maths import bsa
from treatment_course.models import CycleRelease, ReleaseOutcome

# The blood counts and kidney values shown at every release; a lab criterion adds its own analyte.
SHOWN_LABS = ("hemoglobin", "neutrophils", "platelets", "leukocytes", "creatinine")


def cycle_count(plan):
    """The cycles the issued plan schedules (from its frozen administrations; 0 is a step-up phase)."""
    cycles = {a["cycle"] for a in plan.snapshot["schedule"]["administrations"]}
    return max(cycles, default=0)


def last_day(item, cycle_length):
    """The last day of the cycle an administration ``item`` belongs to (its day 1 + the protocol's cycle length
    - 1: day 28), as ISO text; the item's own date for a step-up phase (cycle 0) or a protocol without a cycle
    length. The sheet, the plan's course and the release page write a cycle's dates to this day."""
    if not cycle_length or item["cycle"] == 0:
        return item["date"]
    day_1 = dt.date.fromisoformat(item["date"]) - dt.timedelta(days=item["day"] - 1)
    return (day_1 + dt.timedelta(days=cycle_length - 1)).isoformat()


def cycle_dates(plan, cycle):
    """(first date, last day) of ``cycle``: its first administration (cycle 1 includes a phase before it) and
    the cycle's last day (``last_day``)."""
    wanted = {0, 1} if cycle == 1 else {cycle}
    schedule = plan.snapshot["schedule"]
    items = [a for a in schedule["administrations"] if a["cycle"] in wanted]
    if not items:
        return None, None
    first = min(a["date"] for a in items)
    last = max(last_day(a, schedule.get("cycle_length_days")) for a in items)
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last)


def earliest_release(plan, cycle):
    """The first day ``cycle`` may be released: CYCLE_LAB_MAX_AGE_DAYS before its first day, so that the
    weight and the blood tests the release is based on are no older than that limit when the cycle begins
    (HAZ-140; None for a cycle without dates)."""
    first, _last = cycle_dates(plan, cycle)
    return first - dt.timedelta(days=settings.CYCLE_LAB_MAX_AGE_DAYS) if first else None


def released_cycles(plan):
    """The cycles of this plan's course already released (on any version of it)."""
    if plan.treatment_line_id is None:
        return set()
    return set(CycleRelease.objects.filter(treatment_line_id=plan.treatment_line_id, regimen=plan.protocol.code,
                                           outcome=ReleaseOutcome.RELEASED).values_list("cycle", flat=True))


def next_cycle(plan):
    """The first cycle of the plan not released yet (None when all are)."""
    done = released_cycles(plan)
    return next((c for c in range(1, cycle_count(plan) + 1) if c not in done), None)


def _latest(patient, field):
    return (HeightWeight.objects.filter(patient=patient).exclude(**{field: None}).order_by("-date", "-id").first())


def _criteria(plan, cycle):
    proto = plan.protocol.parsed()
    return [c for c in proto.precycle_criteria if c.applies_to == "every_cycle" or cycle == 1]


def weight_change_pct(weight, basis):
    """|weight - basis| / basis in per cent (Decimal, not rounded)."""
    weight, basis = Decimal(str(weight)), Decimal(str(basis))
    return abs(weight - basis) / basis * 100


def seen(plan, cycle, *, today=None, weight_kg=None, height_cm=None):
    """What the release page shows for ``cycle`` (``weight_kg``/``height_cm``: typed now, else the latest
    recorded); plain JSON values (dates as ISO text, numbers as text) so the release stores it as is."""
    today = today or timezone.localdate()
    patient = plan.patient
    basis = plan.snapshot["measurements"]
    weight_row, height_row = _latest(patient, "weight_kg"), _latest(patient, "height_cm")
    weight = Decimal(str(weight_kg)) if weight_kg is not None else (weight_row.weight_kg if weight_row else None)
    weight_date = today if weight_kg is not None else (weight_row.date if weight_row else None)
    height = Decimal(str(height_cm)) if height_cm is not None else (height_row.height_cm if height_row else None)
    height_date = today if height_cm is not None else (height_row.date if height_row else None)
    max_age = dt.timedelta(days=patient_plans.MEASUREMENT_MAX_AGE_DAYS)
    limit = Decimal(str(settings.CYCLE_WEIGHT_CHANGE_LIMIT_PERCENT))
    change = weight_change_pct(weight, basis["weight_kg"]) if weight is not None and basis.get("weight_kg") else None
    new_bsa = None
    if weight is not None and height is not None:
        new_bsa = bsa(float(weight), float(height), plan.bsa_formula)
    criteria = _criteria(plan, cycle)
    first, last = cycle_dates(plan, cycle)
    at_start = max(today, first) if first else today  # a lab's age when the cycle begins
    lab_codes = list(dict.fromkeys([*SHOWN_LABS, *(c.analyte for c in criteria if not c.is_finding())]))
    labs = []
    for code in lab_codes:
        row = LabResult.objects.filter(patient=patient, analyte=code).order_by("-date", "-id").first()
        spec = labcatalogue.ANALYTES.get(code)
        labs.append({
            "analyte": code, "label": str(spec.label) if spec else code, "unit": spec.unit if spec else "",
            "value": str(row.value) if row else None, "date": row.date.isoformat() if row else None,
            "old": row is None or (at_start - row.date).days > settings.CYCLE_LAB_MAX_AGE_DAYS,
        })
    return {
        "cycle": cycle, "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
        "weight_kg": str(weight) if weight is not None else None,
        "weight_date": weight_date.isoformat() if weight_date else None,
        "weight_due": weight_date != today,
        "height_cm": str(height) if height is not None else None,
        "height_date": height_date.isoformat() if height_date else None,
        "height_due": height_date is None or today - height_date > max_age,
        "bsa_m2": f"{new_bsa:.2f}" if new_bsa is not None else None,
        "basis": {k: basis.get(k) for k in ("weight_kg", "weight_date", "height_cm", "height_date", "bsa_m2")},
        "weight_change_pct": f"{change:.1f}" if change is not None else None,
        "weight_limit_pct": str(limit),
        "weight_change_at_limit": change is not None and change >= limit,
        "lab_max_age_days": settings.CYCLE_LAB_MAX_AGE_DAYS,
        "labs": labs,
        "criteria": [c.model_dump(mode="json") for c in criteria],
    }


def evaluate(criteria, labs, answers):
    """Each criterion with its value (the latest lab result, or the physician's answer) and whether it is
    met: [{**criterion, "value", "met"}]. A lab criterion without a result, or a finding not answered,
    is ``met: None`` (unknown), which the release refuses (so is one older than CYCLE_LAB_MAX_AGE_DAYS at the
    cycle's start: a threshold is checked on a recent result only); an hours finding left blank does not apply (no
    CRS, no step-up dose given yet): ``met: False``."""
    latest = {lab["analyte"]: lab["value"] for lab in labs if not lab["old"]}  # an old result is no value
    out = []
    for data in criteria:
        criterion = PrecycleCriterion.model_validate(data)
        if criterion.is_finding():
            value = answers.get(criterion.analyte)
        else:
            value = float(latest[criterion.analyte]) if latest.get(criterion.analyte) is not None else None
        met = criterion.met_by(value)
        if met is None and criterion.analyte in HOURS_FINDINGS:
            met = False
        out.append({**data, "value": value, "met": met})
    return out


def releasable(plan):
    """Why the plan cannot be released now (a message code), or None."""
    if plan.status != PlanStatus.VERIFIED:
        return "not_verified"
    if plan.treatment_line_id is None:
        return "no_line"
    return None
