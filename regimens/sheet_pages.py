"""The dosing sheet's pages (issue 14 item 2): one page per cycle (or event-anchored phase) with a grid
of drugs × treatment days, and the working of each dose once. Pure shaping of a plan snapshot's
administrations (regimens/sheets.py builds the whole context from it; screen and paper share it).

- A **grid** has one column per treatment day (its day and date) and one row per drug line (drug,
  route, label); a cell holds the dose to give that day exactly as stored (``format_dose``), or
  nothing. More than ``MAX_DAY_COLUMNS`` treatment days are split into several grids, so a column
  never gets too narrow to write in.
- A **continuous oral drug** (lenalidomide days 1–21) is one row, not 21: a run of at least
  ``CONTINUOUS_MIN_DAYS`` consecutive days of the same oral dose, with its days, dates, daily dose and
  the number of daily doses (the protocol records no tablet strength, so the number of tablets is a
  box for the dispenser, never a computed figure).
- **Premedication** (the protocol's text, not structured by day) is a grid row with a box on each day
  an injection or infusion is given of a drug the text names (every injection/infusion day when it
  names none): the nurse marks it given or not applicable by the guideline's text, printed on the page.
- **The working** of each distinct dose (drug, phase, label, dose, how it was reached) is listed once
  with the cycles and days it applies to.
"""

import datetime as dt
from collections import OrderedDict
from decimal import Decimal

from django.utils.translation import gettext as _

from core.formatting import ROUTE_SHORT
from core.messages import drug_name

CONTINUOUS_MIN_DAYS = 5
MAX_DAY_COLUMNS = 7
ORAL = "po"


def _line_key(item):
    return (item.get("phase", ""), item["drug"], item["route"], item.get("label", ""))


def _runs(items):
    """The items of one drug line split into runs of consecutive days with one dose."""
    runs = []
    for item in items:
        last = runs[-1][-1] if runs else None
        if last is not None and item["day"] == last["day"] + 1 and item["dose"] == last["dose"]:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _continuous(run, format_dose, date_of):
    first, last = run[0], run[-1]
    times = first.get("times_per_day", 1) or 1
    daily = Decimal(repr(first["dose"])) * times
    return {
        "drug": drug_name(first["drug"]), "route": ROUTE_SHORT.get(first["route"], first["route"]),
        "label": first.get("label", ""), "first_day": first["day"], "last_day": last["day"],
        "first_date": date_of(first["date"]), "last_date": date_of(last["date"]),
        "dose": format_dose(first["dose"], first["unit"]), "times_per_day": times,
        "daily_dose": format_dose(daily, first["unit"]), "count": len(run),
    }


def _cell(item, format_dose):
    return {"dose": format_dose(item["dose"], item["unit"]), "times_per_day": item.get("times_per_day", 1) or 1}


def _premedication_days(items, premedication):
    """The days of an injection or infusion of a drug the premedication text names (all such days when
    it names none of the page's drugs)."""
    if not premedication:
        return set()
    text = " ".join(premedication).lower()
    parenteral = [i for i in items if i["route"] != ORAL]
    named = [i for i in parenteral if i["drug"].lower() in text or drug_name(i["drug"]).lower() in text]
    return {i["day"] for i in (named or parenteral)}


def _grids(lines, days, premed_days):
    """The grid rows per chunk of at most MAX_DAY_COLUMNS day columns."""
    grids = []
    for start in range(0, len(days), MAX_DAY_COLUMNS):
        columns = days[start:start + MAX_DAY_COLUMNS]
        rows = [{**line, "cells": [line["by_day"].get(day["day"]) for day in columns]} for line in lines]
        if premed_days & {day["day"] for day in columns}:  # first: it is given 1-3 hours before the dose
            rows.insert(0, {"premedication": True, "drug": _("Premedication"), "route": "", "label": "",
                            "cells": [{"premedication": True} if day["day"] in premed_days else None
                                      for day in columns]})
        grids.append({"days": columns, "rows": rows})
    return grids


def _page(cycle, phase, items, *, cycles, cycle_length, premedication, events, format_dose, date_of):
    lines, continuous, day_dates = OrderedDict(), [], {}
    by_line = OrderedDict()
    for item in sorted(items, key=lambda a: (a["day"], a["drug"])):
        by_line.setdefault(_line_key(item), []).append(item)
    for key, line_items in by_line.items():
        for run in _runs(line_items):
            if key[2] == ORAL and len(run) >= CONTINUOUS_MIN_DAYS:
                continuous.append(_continuous(run, format_dose, date_of))
                continue
            line = lines.setdefault(key, {
                "drug": drug_name(run[0]["drug"]), "route": ROUTE_SHORT.get(key[2], key[2]), "label": key[3],
                "by_day": {}})
            for item in run:
                line["by_day"][item["day"]] = _cell(item, format_dose)
                day_dates[item["day"]] = date_of(item["date"])
    premed_days = _premedication_days(items, premedication) & set(day_dates)
    days = [{"day": day, "date": day_dates[day]} for day in sorted(day_dates)]
    first = min(items, key=lambda a: a["day"])
    start = date_of(first["date"]) - _days(first["day"] - 1) if not phase else None
    own_events = [e for e in events if e.get("phase", "") == phase and phase]
    dates = [date_of(a["date"]) for a in items] + [e["date"] for e in own_events]
    return {
        "cycle": cycle, "phase": phase, "cycles": cycles,
        "first_date": start or min(dates),
        "last_date": (start + _days(cycle_length - 1)) if start and cycle_length else max(dates),
        "cycle_length": cycle_length if not phase else None,
        "grids": _grids(list(lines.values()), days, premed_days),
        "continuous": continuous,
        "events": own_events,
    }


def _days(n):
    return dt.timedelta(days=n)


def cycle_pages(schedule, *, format_dose, date_of):
    """One page per cycle (and per event-anchored phase, cycle 0) of the schedule, in order."""
    groups = OrderedDict()
    for item in sorted(schedule["administrations"], key=lambda a: (a["cycle"], a["date"])):
        groups.setdefault((item["cycle"], item.get("phase", "")), []).append(item)
    cycles = max((cycle for cycle, _phase in groups), default=0)
    return [
        _page(cycle, phase, items, cycles=cycles, cycle_length=schedule.get("cycle_length_days"),
              premedication=list(schedule.get("premedication", [])),
              events=[{**e, "date": date_of(e["date"])} for e in schedule.get("events", [])],
              format_dose=format_dose, date_of=date_of)
        for (cycle, phase), items in groups.items()
    ]


def ranges(numbers):
    """Sorted whole numbers as ranges: [1, 2, 3, 5] -> «1–3, 5»."""
    out, numbers = [], sorted(set(numbers))
    for n in numbers:
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}\u2013{b}" for a, b in out)


def workings(rows):
    """Each distinct dose once (the sheet rows of regimens/sheets.py, which carry the working), with where it
    is given: ``when``, a list of (cycles, days), the cycles that give it on the same days together —
    «syklus 1–6, dag 1, 8, 15»; «syklus 1, dag 1, 8, 15, 22» and «syklus 2–6, dag 1, 15» when the days
    change between cycles (isatuximab in Isa-Kd)."""
    seen = OrderedDict()
    for row in rows:
        key = (row["phase"], row["drug"], row["label"], row["dose"], row["basis"], str(row["rounding"]),
               str(row["per_unit"]), row["working"], tuple(row["adjustments"]))
        entry = seen.setdefault(key, {
            **row, "drug_name": drug_name(row["drug"]), "route_short": ROUTE_SHORT.get(row["route"], row["route"]),
            "days_of_cycle": OrderedDict()})
        entry["days_of_cycle"].setdefault(row["cycle"], set()).add(row["day"])
    return [{**entry, "when": _when(entry.pop("days_of_cycle"))} for entry in seen.values()]


def _when(days_of_cycle):
    """(cycles, days) for each set of days, its cycles in the order they first come."""
    cycles_of_days = OrderedDict()
    for cycle, days in days_of_cycle.items():
        cycles_of_days.setdefault(tuple(sorted(days)), []).append(cycle)
    return [(ranges(cycles), ranges(days)) for days, cycles in cycles_of_days.items()]


def signers(signatures):
    """«Forordnet av … / Kontrollert av …» for every page: the issuing signature is the first, the
    verification the second (patients/models/plans.py, ``sheet_snapshot``); a missing one is «—»."""
    names = [s.get("name", "") for s in signatures]
    return {"issued_by": names[0] if names else "", "verified_by": names[1] if len(names) > 1 else ""}
