"""The dosing sheet's pages from a plan snapshot (regimens/sheet_pages.py, issue 14 item 2): no database.

Schedules are written out by hand from the protocols' tables (Handlingsprogram for myelomatose):
VRd lenalidomide days 1–21, dexamethasone days 1, 8, 15, 22; Dara-VRd's premedication names daratumumab."""

import datetime as dt

import pytest
from django.utils import translation

from regimens import sheet_pages
from regimens.formatting import format_dose


def item(day, drug, dose, route, *, cycle=1, phase="", label=""):
    return {"cycle": cycle, "day": day, "date": (dt.date(2026, 1, 4) + dt.timedelta(days=day)).isoformat(),
            "drug": drug, "dose": dose, "unit": "mg", "route": route, "label": label, "phase": phase}


def pages(administrations, **schedule):
    with translation.override("en"):
        return sheet_pages.cycle_pages({"administrations": administrations, "cycle_length_days": 28, **schedule},
                                       format_dose=format_dose, date_of=lambda s: dt.date.fromisoformat(s))


@pytest.mark.hazard("HAZ-087")
def test_lenalidomide_days_1_to_21_is_one_row_and_dexamethasone_stays_on_its_days():
    (page,) = pages([item(d, "lenalidomide", 25, "po") for d in range(1, 22)]
                    + [item(d, "dexamethasone", 40, "po") for d in (1, 8, 15, 22)])
    (row,) = page["continuous"]
    assert (row["drug"], row["first_day"], row["last_day"], row["count"], row["daily_dose"]) == (
        "lenalidomide", 1, 21, 21, "25 mg")
    assert (row["first_date"], row["last_date"]) == (dt.date(2026, 1, 5), dt.date(2026, 1, 25))
    (grid,) = page["grids"]
    assert [d["day"] for d in grid["days"]] == [1, 8, 15, 22]
    (dex,) = grid["rows"]
    assert [c["dose"] for c in dex["cells"]] == ["40 mg"] * 4
    assert (page["first_date"], page["last_date"]) == (dt.date(2026, 1, 5), dt.date(2026, 2, 1))


@pytest.mark.hazard("HAZ-087")
@pytest.mark.parametrize(("days", "doses", "continuous", "in_grid"), [
    pytest.param(range(1, 5), [25] * 4, [], [1, 2, 3, 4], id="four-days-stay-in-the-grid"),
    pytest.param(range(1, 11), [25] * 5 + [15] * 5, [(1, 5, "25 mg"), (6, 10, "15 mg")], [],
                 id="a-dose-change-starts-a-new-row"),
    pytest.param([*range(1, 8), *range(15, 22)], [20] * 14, [(1, 7, "20 mg"), (15, 21, "20 mg")], [],
                 id="a-break-starts-a-new-row"),
])
def test_a_run_is_one_row_only_for_consecutive_days_of_one_dose(days, doses, continuous, in_grid):
    (page,) = pages([item(d, "pomalidomide", dose, "po") for d, dose in zip(days, doses, strict=True)])
    assert [(r["first_day"], r["last_day"], r["daily_dose"]) for r in page["continuous"]] == continuous
    assert [d["day"] for grid in page["grids"] for d in grid["days"]] == in_grid


@pytest.mark.hazard("HAZ-085")
def test_an_injection_every_day_is_never_collapsed_and_splits_into_grids_of_seven_days():
    (page,) = pages([item(d, "bortezomib", 2.6, "sc") for d in range(1, 31)])
    assert page["continuous"] == []
    assert [len(grid["days"]) for grid in page["grids"]] == [7, 7, 7, 7, 2]
    assert sum(c is not None for grid in page["grids"] for row in grid["rows"] for c in row["cells"]) == 30


@pytest.mark.hazard("HAZ-089")
def test_premedication_is_on_the_days_of_the_drug_it_names():
    premed = ["Før de første to dosene daratumumab … 1-3 timer før daratumumabinjeksjon."]
    (page,) = pages([item(d, "daratumumab", 1800, "sc") for d in (1, 8, 15, 22)]
                    + [item(d, "bortezomib", 2.6, "sc") for d in (1, 4, 8, 11)], premedication=premed)
    (grid,) = page["grids"]
    premed_row = grid["rows"][0]  # first: given before the dose
    assert premed_row.get("premedication")
    marked = [day["day"] for day, cell in zip(grid["days"], premed_row["cells"], strict=True) if cell]
    assert marked == [1, 8, 15, 22]  # not bortezomib's days 4 and 11


def test_each_distinct_dose_is_worked_once_with_the_cycles_and_days_it_applies_to():
    rows = [{"phase": "", "drug": "bortezomib", "label": "", "dose": "2,39 mg", "basis": "b", "rounding": "r",
             "per_unit": "", "working": "", "adjustments": [], "route": "sc", "cycle": c, "day": d}
            for c in range(1, 7) for d in (1, 8, 15)]
    (entry,) = sheet_pages.workings(rows)
    assert (entry["when"], entry["route_short"]) == ([("1\u20136", "1, 8, 15")], "s.c.")


def working_row(drug, dose, cycle, day):
    return {"phase": "", "drug": drug, "label": "", "dose": dose, "basis": "b", "rounding": "r", "per_unit": "",
            "working": "", "adjustments": [], "route": "iv", "cycle": cycle, "day": day}


@pytest.mark.hazard("HAZ-137")
def test_isa_kd_isatuximab_weekly_in_cycle_1_then_every_other_week_is_not_summarised_as_weekly():
    # Isa-Kd (Andrelinjebehandling): isatuximab 10 mg/kg days 1, 8, 15, 22 of cycle 1, days 1 and 15 after
    rows = [working_row("isatuximab", "790 mg", 1, d) for d in (1, 8, 15, 22)]
    rows += [working_row("isatuximab", "790 mg", c, d) for c in range(2, 7) for d in (1, 15)]
    (entry,) = sheet_pages.workings(rows)
    assert entry["when"] == [("1", "1, 8, 15, 22"), ("2\u20136", "1, 15")]


@pytest.mark.hazard("HAZ-137")
def test_isa_kd_carfilzomib_cycle_1_day_1_at_20_mg_m2_leaves_that_day_out_of_the_70_mg_m2_dose():
    # Isa-Kd: carfilzomib 20 mg/m² day 1 of cycle 1, 70 mg/m² days 8 and 15 of cycle 1 and days 1, 8, 15 after
    # (BSA 1,97 m²: 39,4 and 138 mg)
    rows = [working_row("carfilzomib", "39,4 mg", 1, 1)]
    rows += [working_row("carfilzomib", "138 mg", 1, d) for d in (8, 15)]
    rows += [working_row("carfilzomib", "138 mg", c, d) for c in range(2, 4) for d in (1, 8, 15)]
    first, rest = sheet_pages.workings(rows)
    assert (first["dose"], first["when"]) == ("39,4 mg", [("1", "1")])
    assert (rest["dose"], rest["when"]) == ("138 mg", [("1", "8, 15"), ("2\u20133", "1, 8, 15")])


def test_cycles_with_the_same_days_are_listed_together_even_when_not_consecutive():
    rows = [working_row("x", "1 mg", 1, 1), working_row("x", "1 mg", 2, 1), working_row("x", "1 mg", 2, 8),
            working_row("x", "1 mg", 3, 1)]
    (entry,) = sheet_pages.workings(rows)
    assert entry["when"] == [("1, 3", "1"), ("2", "1, 8")]


def test_the_signers_are_the_issuing_then_the_verifying_signature():
    assert sheet_pages.signers([{"name": "Kari Hansen"}, {"name": "Per Lie"}]) == {
        "issued_by": "Kari Hansen", "verified_by": "Per Lie"}
    assert sheet_pages.signers([]) == {"issued_by": "", "verified_by": ""}
