"""The patient calendar: a month grid of the patient's treatment days and a page of the medicines, in
plain Norwegian, from an issued plan's frozen snapshot (regimens/sheets.py describes its shape). Pure
functions over the snapshot plus the ward's name and telephone number (settings ``WARD_NAME``,
``WARD_PHONE``); no database access.

What a day shows: each drug by its Norwegian name (regimens/patient_words.py) with the dose to give as the
snapshot holds it (core/formatting.py writes it, never rounds it), tablets at home or an injection or
infusion at the hospital, the support medicines the regimen's «Støttebehandling» names for every day, and
at each cycle start the check-up with blood and urine tests («Vurdering av behandlingsrespons og kontroll»:
«Vurdering gjøres i forbindelse med hver syklusstart»). No codes, no working
(docs/adr/0017-patient-calendar-and-protocol-summary.md).
"""

import calendar as pycalendar
import datetime as dt
from collections import OrderedDict

from django.conf import settings
from django.utils import translation
from django.utils.dates import WEEKDAYS

from regimens.formatting import format_dose
from regimens.patient_words import UNIT_WORDS, drug_name, label_words, support_medicines
from regimens.sheets import signature_lines

HOSPITAL_ROUTES = {"sc": "sprøyte under huden", "iv": "drypp i blodåren (infusjon)"}
HOME = "tablett/kapsel hjemme"


def _date(value):
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _place(route):
    return "hospital" if route in HOSPITAL_ROUTES else "home"


def _how(route):
    return HOSPITAL_ROUTES.get(route, HOME if route == "po" else route)


def _dose(item):
    return format_dose(item["dose"], UNIT_WORDS.get(item["unit"], item["unit"]))


def _day_items(administrations):
    """Per date: what is given at the hospital and what is taken at home, by Norwegian name."""
    days = {}
    for item in sorted(administrations, key=lambda a: (a["date"], a["route"] == "po", a["drug"])):
        entry = days.setdefault(_date(item["date"]), {"hospital": [], "home": []})
        entry[_place(item["route"])].append({
            "name": drug_name(item["drug"]), "dose": _dose(item), "how": _how(item["route"]),
            "label": label_words(item.get("label", "")),
        })
    return days


def _treatment_end(administrations, cycle_length):
    """The last day of the last cycle (cycle 1 day 1 + cycles x cycle length − 1); without cycles, or
    without a cycle length, the last day anything is given."""
    last = max(_date(a["date"]) for a in administrations)
    cycled = [a for a in administrations if a["cycle"] >= 1]
    if not cycled or not cycle_length:
        return last
    first = min(cycled, key=lambda a: (a["cycle"], a["day"]))
    start = _date(first["date"]) - dt.timedelta(days=(first["cycle"] - 1) * cycle_length + first["day"] - 1)
    return max(last, start + dt.timedelta(days=max(a["cycle"] for a in cycled) * cycle_length - 1))


def _dense(weeks):
    """A month that needs the tighter setting to fit its page: six weeks, or five of which at least three
    have a day with two or more drugs given at the hospital (Dara-VRd, Isa-Kd: daratumumab and bortezomib)."""
    busy = sum(1 for week in weeks if any(cell and len(cell.get("hospital", ())) >= 2 for cell in week))
    return len(weeks) >= 6 or (len(weeks) == 5 and busy >= 3)


def _months(first, last, cells):
    """Month pages from the month of ``first`` to that of ``last``, weeks Monday to Sunday; a day
    outside the month is None."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        weeks = [[cells.get(day, {"date": day}) if day.month == month else None for day in week]
                 for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]
        months.append({"first": dt.date(year, month, 1), "weeks": weeks, "dense": _dense(weeks)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def day_list(numbers):
    """Day numbers as the patient reads them: «1–21», «1, 8 og 15»."""
    runs, numbers = [], sorted(numbers)
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    parts = [f"{a}–{b}" if b > a + 1 else (f"{a}, {b}" if b == a + 1 else f"{a}") for a, b in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def _cycle_list(cycles):
    cycles = sorted(cycles)
    if len(cycles) == 1:
        return f"syklus {cycles[0]}"
    if cycles == list(range(cycles[0], cycles[-1] + 1)):
        return f"syklus {cycles[0]}–{cycles[-1]}"
    return "syklus " + day_list(cycles)


def _medicines(administrations):
    """Each treatment drug once: its name, doses, how it is taken and on which days of which cycles
    (the schedule as the snapshot dates it; the guideline gives no further patient advice per drug). A drug
    given at more than one dose names the dose on each line of days («39,3 mg: syklus 1: dag 1», «138 mg:
    syklus 1: dag 8 og 15»), so the patient is never left to work out which dose falls on which day."""
    drugs = OrderedDict()
    for item in sorted(administrations, key=lambda a: (a["date"], a["drug"])):
        entry = drugs.setdefault(item["drug"], {"name": drug_name(item["drug"]), "how": _how(item["route"]),
                                                "place": _place(item["route"]), "doses": [], "days": {}})
        dose = _dose(item) + (f" ({label_words(item['label'])})" if item.get("label") else "")
        if dose not in entry["doses"]:
            entry["doses"].append(dose)
        entry["days"].setdefault(dose, {}).setdefault(item["cycle"], set()).add(item["day"])
    for entry in drugs.values():
        several = len(entry["doses"]) > 1
        entry["when"] = []
        for dose in entry["doses"]:
            by_days = OrderedDict()
            for cycle, days in entry["days"][dose].items():
                by_days.setdefault(tuple(sorted(days)), []).append(cycle)
            entry["when"] += [(dose if several else "",
                               "opptrapping før syklus 1" if cycles == [0] else _cycle_list(c for c in cycles if c),
                               day_list(days)) for days, cycles in by_days.items()]
    return list(drugs.values())


def calendar_context(snapshot, *, ward_name=None, ward_phone=None):
    """The calendar in bokmål whatever the reader's language (the template renders in bokmål too)."""
    with translation.override("nb"):
        return _calendar_context(snapshot, ward_name=ward_name, ward_phone=ward_phone)


def _calendar_context(snapshot, *, ward_name, ward_phone):
    """The calendar's months (weeks of day cells: what is given at the hospital, what is taken at home,
    the daily support medicines within the treatment period, the check-up at each cycle start), its
    medicines page, the ward's contact and the plan's signatures for the foot of every page."""
    schedule = snapshot["schedule"]
    administrations = schedule["administrations"]
    support = support_medicines(schedule.get("supportive_care", []))
    daily = [m for m in support if m.daily]
    items = _day_items(administrations)
    events = [(_date(e["date"]), e["text"].split(":")[0]) for e in schedule.get("events", [])]
    first = min([*items, *(day for day, _ in events)])
    last = max([_treatment_end(administrations, schedule.get("cycle_length_days")), *(day for day, _ in events)])
    cells = {}
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        cells[day] = {"date": day, "in_treatment": True, "support": daily, "hospital": [], "home": [],
                      "events": [], **items.get(day, {})}
    for item in administrations:
        if item["cycle"] >= 1 and item["day"] == 1:
            cells[_date(item["date"])]["cycle_start"] = item["cycle"]
    for day, text in events:  # a phase's event (stem cell reinfusion) by its name, without the details
        cells[day]["events"].append(text)
    ward_name = settings.WARD_NAME if ward_name is None else ward_name
    ward_phone = settings.WARD_PHONE if ward_phone is None else ward_phone
    return {
        "patient": snapshot["patient"],
        "protocol": snapshot["protocol"],
        "plan": snapshot.get("plan", {}),
        "first_day": first, "last_day": last,
        "months": _months(first, last, cells),
        "medicines": _medicines(administrations),
        "support": support, "daily_support": daily, "weekly_support": [m for m in support if not m.daily],
        "weekdays": [WEEKDAYS[n] for n in range(7)],  # Monday first; the template renders them in bokmål
        "premedication": list(schedule.get("premedication", [])),
        "ward": {"name": ward_name, "phone": ward_phone},
        "signatures": signature_lines(snapshot.get("signatures", [])),  # as on the sheet
    }
