"""Dose levels per drug (issue 15 item 3, regimens/course_schema.py: DoseLevels; regimens/dosing/modify.py):
the levels the guideline gives, one case per seed rule, and the engine's reduction, stop, hold and
delay. No database: the shipped YAML files and the pure engine."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from pydantic import ValidationError as SchemaError

from regimens.course_schema import DoseLevels, NotALevel
from regimens.dosing import DosingPatient, InvalidInput, Modification, calculate_schedule
from regimens.loader import PROTOCOL_DIR, read_protocol_file

SEED = Path(os.environ.get("MYELOMA_SEED", "/work/shared/seeds/000_a55289d2cc444521.txt"))
PATIENT = DosingPatient(weight_kg=80, height_cm=180, age=60, egfr_ml_min=80)
START = dt.date(2027, 1, 4)  # a Monday


def proto(code):
    return read_protocol_file(PROTOCOL_DIR / f"{code}.yaml")[0]


def given(schedule, drug, cycle):
    return sorted({a.dose for a in schedule.administrations if a.drug == drug and a.cycle == cycle})


# --- the levels the guideline gives ------------------------------------------------------------------

INDUCTION_25 = ("VRd-induction", "Dara-VRd", "Isa-VRd", "DRd", "Dara-VRd-induction", "Isa-VRd-induction")
MAINTENANCE = ("R-maintenance", "Dara-R-maintenance", "Isa-R-maintenance", "VR-maintenance")


@pytest.mark.hazard("HAZ-126")
@pytest.mark.parametrize(("code", "drug", "dose", "expected"), [
    *[(code, "lenalidomide", 25, (1, 15)) for code in INDUCTION_25],
    *[(code, "lenalidomide", 15, (2, 10)) for code in INDUCTION_25],
    *[(code, "lenalidomide", 10, None) for code in INDUCTION_25],
    *[(code, "lenalidomide", 15, (1, 10)) for code in MAINTENANCE],
    *[(code, "lenalidomide", 10, None) for code in MAINTENANCE],
    ("BVd", "belantamab mafodotin", 1.9, (1, 1.4)),
    ("BPd", "belantamab mafodotin", 1.9, (1, 1.4)),
    ("BVd", "belantamab mafodotin", 1.4, None),
], ids=lambda v: str(v))
def test_one_level_below(code, drug, dose, expected):
    """«Lenalidomid (peroralt) 25 mg Dag 1-21» (Dara-VRd, Isa-VRd, DRd; VRd: 25 mg, «Ved eGFR <30» 15 mg);
    «gi doseredusert lenalidomid 15 mg» (Pasienter som ikke er kandidater for HMAS); «Hvis dårlig toleranse
    under induksjon: 15 mg / 10 mg» (Vedlikeholdsbehandling etter HMAS.); «Hvis 1,9 mg/kg gir uholdbare
    øyesymptomer kan man forsøke med ett dosetrinn lavere (1,4 mg/kg).» (Andrelinjebehandling, BVd/BPd);
    below the lowest none: «Når man er på laveste dose og medikamentet fortsatt ikke tolereres, må dette
    seponeres.» (Generelt om behandlingsdoser, dosereduksjoner og seponering)."""
    assert proto(code).levels_of(drug).below(dose) == expected


@pytest.mark.hazard("HAZ-126")
def test_belantamab_2_5_is_the_planned_first_dose_not_a_level():
    """BVd: «Belantamab mafodotin 2,5 mg/kg / 1,9 mg/kg / Dag 1 i syklus 1 / Dag 1 i syklus 2 og videre»: 2,5 →
    1,9 is the schedule; the guideline's step is from 1,9 («ett dosetrinn lavere (1,4 mg/kg)»)."""
    with pytest.raises(NotALevel):
        proto("BVd").levels_of("belantamab mafodotin").below(2.5)


@pytest.mark.hazard("HAZ-126")
@pytest.mark.parametrize("path", sorted(PROTOCOL_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_dexamethasone_has_no_invented_level(path):
    """The guideline gives dexamethasone no dose level: «Steroider (deksametason og prednisolon bør
    dosereduseres først ved intoleranse)» states a principle, and «<75 år: 40 mg / >75 år: 20 mg» is the age
    rule, not a reduction step. So no shipped protocol carries a level for a steroid."""
    protocol = read_protocol_file(path)[0]
    assert protocol.levels_of("dexamethasone") is None and protocol.levels_of("prednisolone") is None


def test_only_the_guidelines_levels_are_shipped():
    shipped = {path.stem: [(lv.drug, lv.doses) for lv in read_protocol_file(path)[0].dose_levels]
               for path in sorted(PROTOCOL_DIR.glob("*.yaml"))}
    assert {code: levels for code, levels in shipped.items() if levels} == {
        **dict.fromkeys(INDUCTION_25, [("lenalidomide", (25, 15, 10))]),
        **dict.fromkeys(MAINTENANCE, [("lenalidomide", (15, 10))]),
        "BVd": [("belantamab mafodotin", (1.9, 1.4))], "BPd": [("belantamab mafodotin", (1.9, 1.4))],
    }


def _words(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not SEED.exists(), reason="the guideline text is not on this machine")
@pytest.mark.parametrize("path", sorted(PROTOCOL_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_quoted_level_source_is_in_the_guideline(path):
    """Each «…» of a level's source text is the guideline's own words (the parts between «…» of a quote
    that leaves text out are checked one by one)."""
    seed = _words(SEED.read_text(encoding="utf-8"))
    for levels in read_protocol_file(path)[0].dose_levels:
        for quote in re.findall(r"«(.*?)»", levels.source_text):
            for part in re.split(r" … | / ", quote):
                assert _words(part) in seed, (path.stem, part)


@pytest.mark.parametrize("entry", [
    {"doses": [25, 15], "source_section": "Lokal", "source_text": ""},
    {"doses": [25, 15], "source_section": "", "source_text": "Lokal prosedyre 7"},
    {"doses": [15, 25], "source_section": "Lokal", "source_text": "Lokal prosedyre 7"},
    {"doses": [25], "source_section": "Lokal", "source_text": "Lokal prosedyre 7"},
    {"doses": [25, 0], "source_section": "Lokal", "source_text": "Lokal prosedyre 7"},
], ids=["no-source-text", "no-source-section", "rising", "one-level", "zero"])
def test_a_level_without_its_source_or_out_of_order_is_refused(entry):
    with pytest.raises(SchemaError):
        DoseLevels.model_validate({"drug": "pomalidomide", "source_document": "local", **entry})


# --- the engine --------------------------------------------------------------------------------------

def reduce(drug, cycle, dose=None):
    return Modification("reduce", cycle, drug, dose=dose, reason="dårlig toleranse")


@pytest.mark.hazard("HAZ-125")
def test_lenalidomide_25_to_15_from_cycle_2_only():
    """VRd: lenalidomide 25 mg; reduced one level from cycle 2: 15 mg in cycles 2-6, cycle 1 untouched,
    the other drugs untouched, the working names the step and the level."""
    plain = calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START)
    made = calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START,
                              modifications=(reduce("lenalidomide", 2),))
    assert given(made, "lenalidomide", 1) == [25]
    assert all(given(made, "lenalidomide", c) == [15] for c in range(2, 7))
    others = [(a.drug, a.date, a.dose) for a in made.administrations if a.drug != "lenalidomide"]
    assert others == [(a.drug, a.date, a.dose) for a in plain.administrations if a.drug != "lenalidomide"]
    item = next(a for a in made.administrations if a.drug == "lenalidomide" and a.cycle == 2)
    assert "reduced by the physician from cycle 2: 25 → 15 mg (dose level 2 of 25 mg, 15 mg, 10 mg)" in item.adjustments
    (step,) = made.reduction_steps
    assert (step.drug, step.cycle, step.before, step.after, step.level) == ("lenalidomide", 2, 25, 15, 2)
    assert "Reason: dårlig toleranse" in made.modifications[0]


@pytest.mark.hazard("HAZ-125")
def test_lenalidomide_15_to_10_by_a_second_reduction():
    made = calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START,
                              modifications=(reduce("lenalidomide", 2, 15), reduce("lenalidomide", 4, 10)))
    assert [given(made, "lenalidomide", c) for c in range(1, 7)] == [[25], [15], [15], [10], [10], [10]]


@pytest.mark.hazard("HAZ-126")
def test_no_level_below_10_mg():
    with pytest.raises(InvalidInput, match="lowest dose level") as refused:
        calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START, modifications=(
            reduce("lenalidomide", 2), reduce("lenalidomide", 3), reduce("lenalidomide", 4)))
    assert refused.value.field == "modifications"


@pytest.mark.hazard("HAZ-126")
def test_renal_dose_15_mg_reduces_to_10():
    """«Lenalidomid gis i en dose på 15 mg daglig hvis eGFR <30» (Behandling ved nyresvikt): a patient on
    the renal dose who is reduced goes one level down from 15 mg, to 10 mg — never back up to a level."""
    kidney = DosingPatient(weight_kg=80, height_cm=180, age=60, egfr_ml_min=25)
    made = calculate_schedule(proto("VRd-induction"), kidney, start_date=START,
                              modifications=(reduce("lenalidomide", 2),))
    assert given(made, "lenalidomide", 1) == [15] and given(made, "lenalidomide", 2) == [10]


@pytest.mark.hazard("HAZ-126")
def test_dexamethasone_is_not_reduced():
    with pytest.raises(InvalidInput, match="dexamethasone has no dose levels"):
        calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START,
                           modifications=(reduce("dexamethasone", 2),))


@pytest.mark.hazard("HAZ-126")
def test_belantamab_1_9_to_1_4_mg_per_kg():
    """BVd cycle 2 onwards 1,9 mg/kg; one level lower 1,4 mg/kg: 1,4 x 80 kg = 112 mg."""
    made = calculate_schedule(proto("BVd"), PATIENT, start_date=START, cycles=3,
                              modifications=(reduce("belantamab mafodotin", 2),))
    assert given(made, "belantamab mafodotin", 1) == [200]  # 2,5 x 80
    assert given(made, "belantamab mafodotin", 2) == given(made, "belantamab mafodotin", 3) == [112]


@pytest.mark.hazard("HAZ-126")
def test_belantamab_is_not_reduced_from_2_5():
    with pytest.raises(InvalidInput, match="not one of its dose levels"):
        calculate_schedule(proto("BVd"), PATIENT, start_date=START, cycles=3,
                           modifications=(reduce("belantamab mafodotin", 1),))


@pytest.mark.hazard("HAZ-126")
def test_a_level_seen_that_is_no_longer_the_step_is_refused():
    with pytest.raises(InvalidInput, match="levels changed"):
        calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START,
                           modifications=(reduce("lenalidomide", 2, 10),))


@pytest.mark.hazard("HAZ-125")
def test_stop_from_cycle_3():
    made = calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START,
                              modifications=(Modification("stop", 3, "bortezomib", reason="nevropati"),))
    assert {a.cycle for a in made.administrations if a.drug == "bortezomib"} == {1, 2}
    assert {a.cycle for a in made.administrations if a.drug == "lenalidomide"} == set(range(1, 7))


@pytest.mark.hazard("HAZ-125")
def test_hold_one_dose():
    plain = calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START)
    made = calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START,
                              modifications=(Modification("hold", 2, "bortezomib", day=8, reason="trombocytter"),))
    gone = {(a.drug, a.cycle, a.day) for a in plain.administrations} - {(a.drug, a.cycle, a.day)
                                                                       for a in made.administrations}
    assert gone == {("bortezomib", 2, 8)}


@pytest.mark.hazard("HAZ-127")
def test_delay_moves_the_cycle_and_every_following_date():
    """VRd, 28-day cycles from 4 January 2027: cycle 3 day 1 is 1 March; delayed by 7 days it is 8 March,
    cycle 4 day 1 moves from 29 March to 5 April; cycles 1 and 2 keep their dates."""
    plain = calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START)
    made = calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START,
                              modifications=(Modification("delay", 3, days=7, reason="infeksjon"),))

    def first_day(schedule, cycle):
        return min(a.date for a in schedule.administrations if a.cycle == cycle)

    assert [first_day(plain, c) for c in (2, 3, 4)] == [dt.date(2027, 2, 1), dt.date(2027, 3, 1), dt.date(2027, 3, 29)]
    assert [first_day(made, c) for c in (2, 3, 4)] == [dt.date(2027, 2, 1), dt.date(2027, 3, 8), dt.date(2027, 4, 5)]
    shifted = {(a.drug, a.cycle, a.day): a.date for a in made.administrations}
    assert all(shifted[(a.drug, a.cycle, a.day)] == a.date + dt.timedelta(days=7 if a.cycle >= 3 else 0)
               for a in plain.administrations)
    assert "day 1 moves from 2027-03-01 to 2027-03-08" in made.modifications[0]


@pytest.mark.parametrize(("modification", "words"), [
    (Modification("reduce", 7, "lenalidomide"), "not a cycle of this plan"),
    (Modification("reduce", 0, "lenalidomide"), "not a cycle of this plan"),
    (Modification("stop", 2, "pomalidomide"), "not a drug of the cycles"),
    (Modification("hold", 2, "bortezomib", day=2), "no dose on day 2 of cycle 2"),
    (Modification("delay", 2, days=0), "whole number of days"),
    (Modification("skip", 2, "bortezomib"), "unknown modification"),
], ids=["cycle-after-the-last", "cycle-0", "drug-not-in-protocol", "hold-day-without-dose", "delay-0", "kind"])
def test_a_modification_the_plan_cannot_take_is_refused(modification, words):
    with pytest.raises(InvalidInput, match=words):
        calculate_schedule(proto("VRd-induction"), PATIENT, start_date=START, modifications=(modification,))


# --- «Redusert toleranse» works through the levels (docs/adr/0024) --------------------------------------

@pytest.mark.hazard("HAZ-126")
def test_reduced_tolerance_starts_lenalidomide_one_level_down():
    """VRd, lenalidomide marked for reduced tolerance: 15 mg from cycle 1 («gi doseredusert lenalidomid 15 mg»),
    the other drugs at their doses."""
    marked = DosingPatient(weight_kg=80, height_cm=180, age=60, egfr_ml_min=80,
                           reduced_tolerance=frozenset({"lenalidomide"}))
    made = calculate_schedule(proto("VRd-induction"), marked, start_date=START)
    assert all(given(made, "lenalidomide", c) == [15] for c in range(1, 7))
    assert given(made, "dexamethasone", 1) == [40]
    again = calculate_schedule(proto("VRd-induction"), marked, start_date=START,
                               modifications=(reduce("lenalidomide", 3),))
    assert [given(again, "lenalidomide", c) for c in (2, 3)] == [[15], [10]]


def test_reduced_tolerance_keeps_the_maintenance_rule():
    """R-maintenance: «Hvis dårlig toleranse under induksjon: 10 mg» (the tolerance rule, not a second step)."""
    marked = DosingPatient(reduced_tolerance=frozenset({"lenalidomide"}))
    made = calculate_schedule(proto("R-maintenance"), marked, start_date=START, cycles=2)
    assert given(made, "lenalidomide", 1) == given(made, "lenalidomide", 2) == [10]


@pytest.mark.hazard("HAZ-126")
def test_reduced_tolerance_for_a_drug_with_no_reduced_dose_is_refused():
    """Was: dexamethasone marked «Redusert toleranse» changed nothing, silently. The guideline gives it no
    level: the mark is refused, naming the field."""
    marked = DosingPatient(weight_kg=80, height_cm=180, age=60, egfr_ml_min=80,
                           reduced_tolerance=frozenset({"dexamethasone"}))
    with pytest.raises(InvalidInput, match="no reduced-tolerance dose and no dose levels") as refused:
        calculate_schedule(proto("VRd-induction"), marked, start_date=START)
    assert refused.value.field == "reduced_tolerance"
