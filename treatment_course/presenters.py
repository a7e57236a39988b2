"""The release page's numbers and dates as the ward reads them (core/formatting.py), from ``seen``."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_date, format_number, format_quantity
from treatment_course.release import last_day

ACTION_WORDS = {"proceed": gettext_lazy("proceed"), "reduce": gettext_lazy("reduce the dose one level"),
                "hold": gettext_lazy("hold: do not release")}
APPLIES_WORDS = {"every_cycle": gettext_lazy("every cycle"),
                 "first_cycle": gettext_lazy("start of treatment (cycle 1)")}


def _q(value, kind):
    """``value`` (a number, or its text as ``seen`` stores it) at the precision of ``kind``."""
    return format_quantity(None if value in (None, "") else Decimal(str(value)), kind)


def percent(value):
    """A per cent of ``seen`` as a number without its unit (the message writes «%»): «12», «9,9»."""
    return format_quantity(Decimal(str(value)), "percent", unit=False)


TEST_WORDS = {"below": "<", "above": ">", "present": ""}


def release_rows(seen):
    """The values a physician checks, each with its date: [(label, value, date, flag)]."""
    basis = seen["basis"]
    rows = [
        (_("Weight (dose basis of the plan)"), _q(basis.get("weight_kg"), "weight"),
         format_date(basis.get("weight_date")), ""),
        (_("Weight (latest)"), _q(seen["weight_kg"], "weight"), format_date(seen["weight_date"]),
         _("weigh today") if seen["weight_due"] else ""),
        (_("Height (latest)"), _q(seen["height_cm"], "height"), format_date(seen["height_date"]),
         _("measure") if seen["height_due"] else ""),
        (_("BSA (dose basis of the plan)"), _q(basis.get("bsa_m2"), "bsa"), "", ""),
        (_("BSA recomputed from the latest"), _q(seen["bsa_m2"], "bsa"), "", ""),
        (_("Weight change since the dose basis"), _q(seen["weight_change_pct"], "percent"), "",
         _("at or above the hospital's limit of %(limit)s: the doses are recomputed and verified again") % {
             "limit": _q(seen["weight_limit_pct"], "percent")} if seen["weight_change_at_limit"] else ""),
    ]
    return rows


def lab_rows(seen):
    """The labs shown at the release, a flag saying which problem a flagged one has: missing, or older than
    the hospital's limit when the cycle starts."""
    older = _("older than %(days)s days at the cycle start") % {"days": seen["lab_max_age_days"]}
    return [{"label": lab["label"], "value": _q(lab["value"], lab["analyte"]), "date": format_date(lab["date"]),
             "old": lab["old"], "flag": (_("missing") if lab["value"] is None else older) if lab["old"] else ""}
            for lab in seen["labs"]]


def criterion_rows(seen):
    out = []
    for c in seen["criteria"]:
        threshold = ("" if c.get("threshold") is None
                     else f" {TEST_WORDS[c['comparison']]} {format_number(c['threshold'])}")
        out.append({"analyte": c["analyte"], "test": threshold, "action": ACTION_WORDS[c["action"]],
                    "applies_to": APPLIES_WORDS[c["applies_to"]], "met": c.get("met"), "value": c.get("value"),
                    "source": f"{c['source_section']}: «{c['source_text']}»"})
    return out


def course_rows(items, releases, latest, *, next_cycle, releasable_from=None, cycle_length=None):
    """The course of one plan, cycle by cycle, for its page (issue 15): each cycle's dates, the decisions on its
    release (outcome, who, when), and each of its administrations with the newest record. ``items``: the plan's
    frozen schedule; ``releases``: its CycleReleases; ``latest``: item index -> newest Administration;
    ``releasable_from``: a later day from which the next cycle may be released (None: it may be now);
    ``cycle_length``: the protocol's cycle length in days, so a cycle's dates run to its last day."""
    cycles = {}
    for index, item in enumerate(items):
        cycle = 1 if item["cycle"] == 0 else item["cycle"]  # a step-up phase belongs to cycle 1's release
        row = cycles.setdefault(cycle, {"cycle": cycle, "dates": [], "items": [], "decisions": [],
                                        "next": cycle == next_cycle})
        row["dates"] += [item["date"], last_day(item, cycle_length)]  # to the cycle's last day, as the sheet says
        record = latest.get(index)
        awaiting = record is not None and record.needs_second_nurse and getattr(record, "confirmation", None) is None
        row["items"].append({"index": index, "date": format_date(item["date"]), "day": item["day"],
                             "drug": item["drug"], "dose": item["dose"], "unit": item["unit"], "record": record,
                             "awaiting": awaiting})
    for decision in releases:
        if decision.cycle in cycles:
            cycles[decision.cycle]["decisions"].append(decision)
    for row in cycles.values():
        row["first"], row["last"] = format_date(min(row["dates"])), format_date(max(row["dates"]))
        # the next cycle's release is offered from the first day it may be released (HAZ-140)
        row["releasable_from"] = format_date(releasable_from) if row["next"] and releasable_from else ""
        row["recorded"] = sum(1 for i in row["items"] if i["record"] is not None)
        row["released"] = any(d.outcome == "released" for d in row["decisions"])
    return [cycles[c] for c in sorted(cycles)]
