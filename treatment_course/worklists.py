"""The worklists (issue 15 item 6): what each role has to do, as a page and a count in the navbar.

Physician: the cycles to release now (the next cycle of a verified plan whose release window has opened:
its first day at most CYCLE_LAB_MAX_AGE_DAYS away, overdue ones included; docs/adr/0031), drafts, plans a
pharmacist returned and the
progression proposals (``progression_proposals``, proposed when a lab result is recorded).
Pharmacist: issued plans awaiting verification, new and re-verification (a new version of a plan).
Nurse: today's administrations (treatment_course/administer.py ``due_on``)."""


from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from accounts import roles
from patients.models import PlanStatus, TreatmentPlan
from treatment_course import administer
from treatment_course import release as reading
from treatment_course.models import (
    Administration,
    AdministrationConfirmation,
    CycleRelease,
    ProgressionDecision,
    ProgressionProposal,
)
from treatment_course.progression import pending_progression_proposals


def cycles_due(today=None):
    today = today or timezone.localdate()
    rows = []
    plans = TreatmentPlan.objects.filter(status=PlanStatus.VERIFIED).select_related("patient", "protocol")
    for plan in plans:
        if reading.releasable(plan) is not None:
            continue
        cycle = reading.next_cycle(plan)
        if cycle is None:
            continue
        first, _last = reading.cycle_dates(plan, cycle)
        if first is not None and reading.earliest_release(plan, cycle) <= today:
            rows.append({"plan": plan, "patient": plan.patient, "cycle": cycle, "first": first,
                         "overdue": first < today})
    return sorted(rows, key=lambda r: (r["first"], r["patient"].name))


def progression_proposals():
    """Progression found in the lab series that no physician has confirmed or rejected yet (progression.py)."""
    return list(pending_progression_proposals().order_by("proposed_at", "pk"))


def physician(today=None):
    drafts = TreatmentPlan.objects.filter(status=PlanStatus.DRAFT).select_related("patient", "protocol")
    returned = TreatmentPlan.objects.filter(status=PlanStatus.RETURNED).select_related("patient", "protocol",
                                                                                        "returned_by")
    return {"cycles": cycles_due(today), "drafts": list(drafts.order_by("patient__name", "pk")),
            "returned": list(returned.order_by("patient__name", "pk")), "proposals": progression_proposals()}


def pharmacist():
    plans = TreatmentPlan.objects.filter(status=PlanStatus.ISSUED).select_related("patient", "protocol", "previous",
                                                                                   "issued_by")
    return {"plans": [{"plan": p, "patient": p.patient, "reverification": p.previous_id is not None}
                      for p in plans.order_by("issued_at", "pk")]}


def nurse(today=None):
    return {"rows": administer.due_on(today or timezone.localdate())}


LIST_PERMISSIONS = {"physician": roles.ISSUE_PLAN, "pharmacist": roles.VERIFY_PLAN,
                    "nurse": roles.RECORD_ADMINISTRATION}


def lists_of(user):
    """{list: True} for the worklists this user's role has (the navbar's links)."""
    if not user.is_authenticated:
        return {}
    return {name: True for name, permission in LIST_PERMISSIONS.items() if user.has_perm(permission)}


def count(name):
    """The number a worklist shows in the navbar."""
    if name == "physician":
        work = physician()
        return len(work["cycles"]) + len(work["drafts"]) + len(work["returned"]) + len(work["proposals"])
    if name == "pharmacist":
        return TreatmentPlan.objects.filter(status=PlanStatus.ISSUED).count()
    return sum(1 for r in nurse()["rows"] if r["record"] is None)


def counts(user):
    """The navbar's counts, for the worklists this user's role has."""
    return {name: count(name) for name in lists_of(user)}


# The navbar's counts are kept per user until the work they count changes: the key holds a stamp of the
# latest change of each list's records (a few indexed MAX queries, shared by every process through the
# database) and today's date, so a badge is never behind the worklist page; the counts themselves (a count
# grows with the number of verified plans) are recomputed only then. The time limit only frees memory.
COUNTS_SECONDS = 600


def _stamp():
    """The latest change of every record a worklist counts, in one query: the largest history id of plans,
    releases, administrations and confirmations, the proposals' largest id and number, the decisions'
    largest id (the records are append-only or versioned: a change always adds a row)."""
    quote = connection.ops.quote_name
    columns = [(model.history.model, "history_id")
               for model in (TreatmentPlan, CycleRelease, Administration, AdministrationConfirmation)]
    columns += [(ProgressionProposal, "id"), (ProgressionDecision, "id")]
    parts = [f"(SELECT MAX({quote(column)}) FROM {quote(model._meta.db_table)})" for model, column in columns]
    parts.append(f"(SELECT COUNT(*) FROM {quote(ProgressionProposal._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        latest = cursor.fetchone()
    return "-".join(str(value or 0) for value in latest) + f"-{timezone.localdate().isoformat()}"


def cached_counts(user):
    if not user.is_authenticated:
        return {}
    return cache.get_or_set(f"worklist-counts:{user.pk}:{_stamp()}", lambda: counts(user), COUNTS_SECONDS)
