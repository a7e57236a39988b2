"""The dose engine (regimens/dosing/): BSA, the dose bases, rounding and maximum doses,
schedules and dates, cycles, protocols it refuses and inputs it refuses. Cases come from the guideline's dosing tables
(Handlingsprogram for myelomatose, "Behandling av myelomatose"); expected values are
computed by hand in the comments, never copied from the engine's output."""

import datetime as dt
import math
from decimal import Decimal

import pytest

from regimens import schema
from regimens.dosing import (
    DoseRefused,
    DosingError,
    DosingPatient,
    InvalidInput,
    MissingInput,
    ProtocolNotDosable,
    bsa,
    round_dose,
)
from tests.regimens.dosing_cases import DEX, GCSF, MEL_48H, MELPHALAN, MONDAY, STANDARD, doses, mel_hmas, schedule
from tests.regimens.protocols import one_drug, protocol

# ------------------------------------------------------------------ BSA


@pytest.mark.hazard("HAZ-003")
@pytest.mark.parametrize(
    ("weight", "height", "formula", "expected"),
    [
        # sqrt(180 x 80 / 3600) = sqrt(4) = 2.000
        pytest.param(80, 180, "mosteller", 2.000, id="mosteller-80kg-180cm"),
        # sqrt(170 x 70 / 3600) = sqrt(3.3056) = 1.8181
        pytest.param(70, 170, "mosteller", 1.8181, id="mosteller-70kg-170cm"),
        # 0.007184 x 80^0.425 (e^(0.425 x 4.3820) = 6.4387) x 180^0.725 (e^(0.725 x 5.1930) = 43.165) = 1.9966
        pytest.param(80, 180, "dubois", 1.9966, id="dubois-80kg-180cm"),
        # 0.007184 x 60^0.425 (e^(0.425 x 4.0943) = e^1.7401 = 5.6976) x 160^0.725 (e^(0.725 x 5.0752) = e^3.6795
        # = 39.626) = 0.007184 x 225.77 = 1.6220
        pytest.param(60, 160, "dubois", 1.6220, id="dubois-60kg-160cm"),
    ],
)
def test_bsa_formulas(weight, height, formula, expected):
    assert bsa(weight, height, formula) == pytest.approx(expected, abs=0.001)


def test_bsa_defaults_to_mosteller():
    assert bsa(80, 180) == pytest.approx(2.0)


@pytest.mark.hazard("HAZ-003")
@pytest.mark.parametrize(
    ("weight", "height", "formula", "field", "error"),
    [
        pytest.param(80, 180, "boyd", "bsa_formula", InvalidInput, id="unknown-formula"),
        pytest.param(None, 180, "mosteller", "weight_kg", MissingInput, id="no-weight"),
        pytest.param(80, None, "mosteller", "height_cm", MissingInput, id="no-height"),
        pytest.param(-80, 180, "mosteller", "weight_kg", InvalidInput, id="negative-weight"),
        pytest.param(80, math.nan, "mosteller", "height_cm", InvalidInput, id="nan-height"),
        pytest.param(True, 180, "mosteller", "weight_kg", InvalidInput, id="bool-weight"),
    ],
)
def test_bsa_refuses_bad_inputs(weight, height, formula, field, error):
    with pytest.raises(error) as exc:
        bsa(weight, height, formula)
    assert exc.value.field == field and exc.value.message


# ------------------------------------------------------------------ bases and the contract example


def test_contract_example_vrd_two_cycles():
    result = schedule(protocol(), cycles=2)
    first = result.administrations[0]
    # bortezomib 1.3 mg/m2 x 2.00 m2 = 2.6 mg sc on C1D1 = the start date
    assert (first.cycle, first.day, first.date, first.drug) == (1, 1, MONDAY, "bortezomib")
    assert (first.dose, first.calculated_dose, first.unit, first.route) == (pytest.approx(2.6), pytest.approx(2.6),
                                                                             "mg", "sc")
    assert first.basis == "1.3 mg/m2 x 2.00 m2"
    assert first.label == "" and first.adjustments == ()
    assert result.bsa_m2 == pytest.approx(2.0) and result.cycle_length_days == 28 and result.cycles == 2
    # per cycle: bortezomib 3 + lenalidomide days 1-21 (21) + dexamethasone 4 = 28 items
    assert len(result.administrations) == 56
    assert len([a for a in result.administrations if a.drug == "lenalidomide" and a.cycle == 1]) == 21
    # cycle 2 day 1 = start + 28 days
    assert [a.date for a in result.administrations if a.drug == "bortezomib"][3] == dt.date(2026, 2, 2)
    assert result.supportive_care == ("valaciklovir 250 mg x 2", "acetylsalisylsyre 75 mg x 1")


def test_cycles_default_to_the_protocols_planned_cycles():
    assert schedule(protocol()).cycles == 6


def test_mg_per_kg_uses_actual_weight():
    # isatuximab 10 mg/kg x 80 kg = 800 mg
    result = schedule(one_drug({"drug": "isatuximab", "route": "iv", "dose": 10, "basis": "mg/kg",
                                "schedule": [{"days": [1]}]}), cycles=1)
    item = result.administrations[0]
    assert (item.dose, item.unit, item.basis) == (800, "mg", "10 mg/kg x 80 kg")
    assert "actual body weight" in item.working.formula


@pytest.mark.hazard("HAZ-002")
def test_g_per_m2_and_times_per_day_cy_mobilisation():
    # cyclophosphamide 2 g/m2 x 2.0 m2 = 4 g; mesna 800 mg/m2 x 2.0 m2 = 1600 mg, "4 ganger daglig"
    proto = protocol(code="Cy-mobilisation", cycles=1, drugs=[
        {"drug": "cyclophosphamide", "route": "iv", "dose": 2, "basis": "g/m2", "schedule": [{"days": [1]}]},
        {"drug": "mesna", "route": "iv", "dose": 800, "basis": "mg/m2", "schedule": [{"days": [1]}],
         "times_per_day": 4},
        GCSF,
    ])
    cy, mesna, gcsf = schedule(proto).administrations
    assert (cy.dose, cy.unit) == (pytest.approx(4.0), "g")
    assert (mesna.dose, mesna.unit, mesna.label, mesna.times_per_day) == (pytest.approx(1600), "mg", "x 4 daily", 4)
    assert (gcsf.dose, gcsf.unit, gcsf.date) == (480, "microgram", MONDAY + dt.timedelta(days=6))


def test_flat_dose_is_not_scaled():
    result = schedule(one_drug(DEX), cycles=1)
    assert doses(result, "dexamethasone") == [40, 40, 40, 40]
    assert result.administrations[0].basis == "40 mg flat dose"


# ------------------------------------------------------------------ rounding and maximum dose


@pytest.mark.hazard("HAZ-005")
def test_rounding_keeps_the_exact_dose_beside_the_rounded_one():
    # BSA sqrt(170 x 70 / 3600) = 1.81812; 1.3 x 1.81812 = 2.36356 mg -> 2.4 mg (1.5 %)
    line = {"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2", "schedule": [{"days": [1]}],
            "rounding": {"step": 0.1, "max_deviation_pct": 5}}
    item = schedule(one_drug(line), DosingPatient(weight_kg=70, height_cm=170), cycles=1).administrations[0]
    assert item.calculated_dose == pytest.approx(2.36356, abs=0.00001)
    assert item.dose == pytest.approx(2.4)
    # the working says exact -> given (deviation): (2.4 - 2.36356) / 2.36356 = +1.54 %
    assert "2.3636 mg \u2192 2.4 mg (+1.54%)" in item.working.rounding


@pytest.mark.hazard("HAZ-005")
def test_rounding_beyond_its_bound_is_refused():
    # 2.36356 mg to a step of 1 mg = 2 mg, (2 - 2.36356) / 2.36356 = -15.38 %, more than 5 %
    line = {"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2", "schedule": [{"days": [1]}],
            "rounding": {"step": 1, "max_deviation_pct": 5}}
    with pytest.raises(DoseRefused) as exc:
        schedule(one_drug(line), DosingPatient(weight_kg=70, height_cm=170), cycles=1)
    assert exc.value.field == "rounding" and "-15.38%" in exc.value.message


@pytest.mark.hazard("HAZ-005", "HAZ-040")
def test_rounding_to_zero_is_refused():
    # 0.4 mg to a step of 1 mg = 0 mg (-100 %): refused, even where the protocol's own limit says 100 %
    line = {"drug": "x", "route": "po", "dose": 0.4, "basis": "mg", "schedule": [{"days": [1]}],
            "rounding": {"step": 1, "max_deviation_pct": 100}}
    with pytest.raises(DoseRefused) as exc:
        schedule(one_drug(line), cycles=1)
    assert exc.value.params["given"] == 0
    # the pure rounding gives 0: the refusal is the engine's, not the arithmetic's
    assert round_dose(Decimal("0.4"), Decimal(1)) == 0


@pytest.mark.hazard("HAZ-012")
def test_dose_above_the_maximum_single_dose_is_refused_not_capped():
    # BSA sqrt(150 x 150 / 3600) = 2.5; 1.3 x 2.5 = 3.25 mg > 3 mg
    line = {"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2", "schedule": [{"days": [1]}],
            "max_single_dose_mg": 3}
    with pytest.raises(DoseRefused) as exc:
        schedule(one_drug(line), DosingPatient(weight_kg=150, height_cm=150), cycles=1)
    assert exc.value.field == "max_single_dose_mg" and "does not cap" in exc.value.message


@pytest.mark.hazard("HAZ-012")
def test_rounded_dose_above_the_maximum_is_refused():
    # 2.98 mg rounds to 3.0 mg, above a maximum of 2.99 mg
    line = {"drug": "x", "route": "po", "dose": 2.98, "basis": "mg", "schedule": [{"days": [1]}],
            "max_single_dose_mg": 2.99, "rounding": {"step": 0.1}}
    with pytest.raises(DoseRefused):
        schedule(one_drug(line), cycles=1)


@pytest.mark.hazard("HAZ-002")
def test_maximum_in_mg_applies_to_gram_doses():
    # 2 g/m2 x 2.0 m2 = 4 g = 4000 mg > 3000 mg
    line = {"drug": "cyclophosphamide", "route": "iv", "dose": 2, "basis": "g/m2", "schedule": [{"days": [1]}],
            "max_single_dose_mg": 3000}
    with pytest.raises(DoseRefused):
        schedule(one_drug(line), cycles=1)


@pytest.mark.hazard("HAZ-013")
def test_obese_patient_gets_the_full_dose_and_the_working_says_no_cap():
    # BSA sqrt(190 x 150 / 3600) = sqrt(7.9167) = 2.8137 m2; 1.3 x 2.8137 = 3.6578 mg, given at three
    # significant figures: 3.66 mg; 10 mg/kg x 150 = 1500 mg
    proto = protocol(cycles=1, drugs=[
        {"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2", "schedule": [{"days": [1]}]},
        {"drug": "isatuximab", "route": "iv", "dose": 10, "basis": "mg/kg", "schedule": [{"days": [1]}]},
    ])
    result = schedule(proto, DosingPatient(weight_kg=150, height_cm=190))
    bortezomib, isatuximab = result.administrations
    assert bortezomib.calculated_dose == pytest.approx(3.6578, abs=0.0001) and bortezomib.dose == 3.66
    assert "no BSA cap applied" in bortezomib.working.notes[0]
    assert isatuximab.dose == 1500 and "no weight cap applied" in isatuximab.working.notes[0]
    assert any("no BSA cap" in w for w in result.warnings)


# ------------------------------------------------------------------ schedules and dates


def test_day_blocks_by_cycle_daratumumab():
    # Dara-VRd: daratumumab 1800 mg Syklus 1-2: Dag 1, 8, 15, 22 / Syklus 3-6: Dag 1, 15
    line = {"drug": "daratumumab", "route": "sc", "dose": 1800, "basis": "mg", "schedule": [
        {"first_cycle": 1, "last_cycle": 2, "days": [1, 8, 15, 22]}, {"first_cycle": 3, "days": [1, 15]}]}
    result = schedule(one_drug(line))
    per_cycle = [len([a for a in result.administrations if a.cycle == c]) for c in range(1, 7)]
    assert per_cycle == [4, 4, 2, 2, 2, 2]


def test_block_dose_override_carfilzomib():
    # Isa-Kd: Syklus 1: Dag 1: 20 mg/m2, dag 8, 15: 70 mg/m2; Syklus 2 og videre: 70 mg/m2 dag 1, 8, 15
    line = {"drug": "carfilzomib", "route": "iv", "dose": 70, "basis": "mg/m2", "schedule": [
        {"first_cycle": 1, "last_cycle": 1, "days": [1], "dose": 20},
        {"first_cycle": 1, "last_cycle": 1, "days": [8, 15]},
        {"first_cycle": 2, "days": [1, 8, 15]}]}
    result = schedule(one_drug(line, cycles=None, until_progression=True), cycles=2)
    # 20 x 2.0 = 40 mg, then 70 x 2.0 = 140 mg
    assert doses(result, "carfilzomib") == [pytest.approx(v) for v in (40, 140, 140, 140, 140, 140)]
    assert result.administrations[0].basis == "20 mg/m2 x 2.00 m2"


def test_56_day_cycle_bvd():
    # BVd: 56 dagers sykluser; belantamab 2.5 mg/kg C1 D1, 1.9 mg/kg C2+ D1; bortezomib D1, 8, 15, 29, 36, 43
    proto = protocol(code="BVd", cycle_length_days=56, cycles=None, until_progression=True, drugs=[
        {"drug": "belantamab mafodotin", "route": "iv", "dose": 2.5, "basis": "mg/kg", "schedule": [
            {"first_cycle": 1, "last_cycle": 1, "days": [1]}, {"first_cycle": 2, "days": [1], "dose": 1.9}]},
        {"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2",
         "schedule": [{"days": [1, 8, 15, 29, 36, 43]}]},
    ])
    result = schedule(proto, cycles=2)
    belantamab = [a for a in result.administrations if a.drug == "belantamab mafodotin"]
    # 2.5 x 80 = 200 mg on 2026-01-05; 1.9 x 80 = 152 mg on 2026-01-05 + 56 d = 2026-03-02
    assert [(a.dose, a.date) for a in belantamab] == [(200, MONDAY), (pytest.approx(152), dt.date(2026, 3, 2))]
    assert [a.date for a in result.administrations if a.drug == "bortezomib"][-1] == dt.date(2026, 4, 13)  # C2D43


def test_event_anchored_melphalan_day_minus_one_and_stem_cells_day_zero():
    result = schedule(mel_hmas())
    (mel,) = result.administrations
    assert (mel.cycle, mel.day, mel.date, mel.phase) == (0, -1, MONDAY, "HMAS")
    (event,) = result.events
    assert (event.day, event.date, event.text) == (0, dt.date(2026, 1, 6), "Reinfusjon stamceller")
    assert result.cycles == 0


def test_melphalan_has_no_cycles_to_ask_for():
    with pytest.raises(InvalidInput) as exc:
        schedule(mel_hmas(), cycles=2)
    assert exc.value.field == "cycles"


TECLISTAMAB_STEP_UP = {
    "drug": "teclistamab", "route": "sc", "dose": 1.5, "basis": "mg/kg", "min_interval_hours": 48,
    "schedule": [{"days": [1], "dose": 0.06, "label": "step-up 1"}, {"days": [3], "dose": 0.3, "label": "step-up 2"}],
}
TECLISTAMAB_CYCLES = {
    "drug": "teclistamab", "route": "sc", "dose": 1.5, "basis": "mg/kg", "min_interval_hours": 48, "schedule": [
        {"first_cycle": 1, "last_cycle": 1, "days": [1, 8, 15, 22]},
        {"first_cycle": 2, "last_cycle": 2, "days": [1, 15]},
        {"first_cycle": 3, "days": [1]}]}


def teclistamab(cycle_1_day_1=5):
    return protocol(code="teclistamab", setting="relapse", cycles=None, until_progression=True,
                    drugs=[TECLISTAMAB_CYCLES],
                    phases=[{"name": "step-up", "drugs": [TECLISTAMAB_STEP_UP], "cycle_1_day_1": cycle_1_day_1}])


def test_step_up_dates_and_labels_teclistamab():
    # "Det må gå minst 48 timer fra 2. opptrappingdose og første fulldose": step-up day 1 and 3, C1D1 on day 5
    result = schedule(teclistamab(), cycles=3)
    items = result.administrations
    # 0.06 x 80 = 4.8 mg; 0.3 x 80 = 24 mg; 1.5 x 80 = 120 mg
    assert [(a.label, a.date, a.dose) for a in items[:3]] == [
        ("step-up 1", MONDAY, pytest.approx(4.8)),
        ("step-up 2", dt.date(2026, 1, 7), pytest.approx(24)),
        ("", dt.date(2026, 1, 9), pytest.approx(120)),
    ]
    assert (items[2].cycle, items[2].day) == (1, 1)
    assert len(items) == 2 + 4 + 2 + 1
    assert items[-1].date == dt.date(2026, 1, 9) + dt.timedelta(days=56)  # C3D1
    assert result.warnings == ()


def test_min_interval_violation_is_a_warning():
    # C1D1 on phase day 4: 24 h after step-up 2, less than 48 h
    result = schedule(teclistamab(cycle_1_day_1=4), cycles=1)
    assert any("24 h" in w and "48 h" in w for w in result.warnings)


def test_min_interval_within_a_day():
    line = {"drug": "mesna", "route": "iv", "dose": 800, "basis": "mg/m2", "schedule": [{"days": [1]}],
            "times_per_day": 4, "min_interval_hours": 8}
    result = schedule(one_drug(line, cycles=1))
    assert any("6 h" in w for w in result.warnings)


# ------------------------------------------------------------------ cycles and protocol errors


def test_until_progression_needs_cycles():
    with pytest.raises(MissingInput) as exc:
        schedule(teclistamab())
    assert exc.value.field == "cycles"


@pytest.mark.parametrize("cycles", [pytest.param(7, id="more-than-6-planned"), pytest.param(0, id="zero"),
                                    pytest.param(True, id="bool")])
def test_cycles_out_of_range(cycles):
    with pytest.raises(InvalidInput) as exc:
        schedule(protocol(), cycles=cycles)
    assert exc.value.field == "cycles"


@pytest.mark.hazard("HAZ-011")
def test_draft_is_not_dosable():
    draft = protocol(code="Isa-Pd", status="draft", cycles=None,
                     drugs=[{"drug": "isatuximab", "route": "iv"}])
    with pytest.raises(ProtocolNotDosable) as exc:
        schedule(draft)
    assert exc.value.field == "status" and "pharmacist" in exc.value.message


def test_line_without_schedule_is_not_dosable():
    # the schema refuses this outside drafts (issue 10); the engine checks again for a protocol built
    # without validation
    line = schema.DrugLine.model_validate({"drug": "x", "route": "po", "dose": 1, "basis": "mg"})
    with pytest.raises(ProtocolNotDosable) as exc:
        schedule(protocol().model_copy(update={"drugs": (line,)}))
    assert exc.value.field == "drugs[0].schedule"


def test_line_without_dose_is_not_dosable():
    # the schema only allows this in drafts; the engine checks again for a protocol built without validation
    proto = protocol()
    broken = proto.model_copy(update={"status": schema.Status.RETIRED, "drugs": (
        schema.DrugLine.model_construct(drug="x", route="po", dose=None, basis=None, schedule=()),)})
    with pytest.raises(ProtocolNotDosable) as exc:
        schedule(broken)
    assert exc.value.field == "drugs[0].dose"


def test_a_day_listed_twice_is_not_dosable():
    line = {"drug": "x", "route": "po", "dose": 1, "basis": "mg", "schedule": [{"days": [1]}, {"days": [1]}]}
    with pytest.raises(ProtocolNotDosable):
        schedule(one_drug(line))


def test_phases_without_a_cycle_anchor_are_not_dosable():
    proto = protocol(phases=[{"name": "step-up", "drugs": [TECLISTAMAB_STEP_UP]}])
    with pytest.raises(ProtocolNotDosable) as exc:
        schedule(proto)
    assert exc.value.field == "phases.cycle_1_day_1"


# ------------------------------------------------------------------ missing and invalid inputs


@pytest.mark.hazard("HAZ-006", "HAZ-010")
@pytest.mark.parametrize(
    ("proto", "patient", "field"),
    [
        pytest.param(protocol(), DosingPatient(weight_kg=80, egfr_ml_min=88), "height_cm", id="mg/m2-no-height"),
        pytest.param(protocol(), DosingPatient(height_cm=180, egfr_ml_min=88), "weight_kg", id="mg/m2-no-weight"),
        pytest.param(teclistamab(), DosingPatient(height_cm=180), "weight_kg", id="mg/kg-no-weight"),
        pytest.param(one_drug(DEX), DosingPatient(), "age", id="age-rule-no-age"),
        pytest.param(protocol(), DosingPatient(weight_kg=80, height_cm=180), "egfr_ml_min", id="renal-rule-no-egfr"),
    ],
)
def test_missing_inputs_are_named_never_guessed(proto, patient, field):
    with pytest.raises(MissingInput) as exc:
        schedule(proto, patient, cycles=1)
    assert exc.value.field == field
    assert isinstance(exc.value, DosingError)


@pytest.mark.parametrize(
    ("patient", "kwargs", "field"),
    [
        pytest.param(DosingPatient(weight_kg=-1, height_cm=180, egfr_ml_min=88), {}, "weight_kg", id="negative"),
        pytest.param(DosingPatient(weight_kg=80, height_cm=math.inf, egfr_ml_min=88), {}, "height_cm", id="inf"),
        pytest.param(DosingPatient(weight_kg=80, height_cm=180, egfr_ml_min=0), {}, "egfr_ml_min", id="zero-egfr"),
        pytest.param(STANDARD, {"bsa_formula": "haycock"}, "bsa_formula", id="formula"),
        pytest.param(STANDARD, {"start_date": "2026-01-05"}, "start_date", id="start-date-string"),
    ],
)
def test_invalid_inputs(patient, kwargs, field):
    with pytest.raises(InvalidInput) as exc:
        schedule(protocol(), patient, **kwargs)
    assert exc.value.field == field



@pytest.mark.hazard("HAZ-027")
@pytest.mark.parametrize(("proto", "start", "cycles"), [
    pytest.param(lambda: protocol(), dt.date.max - dt.timedelta(days=20), 1, id="cycles-past-9999-12-31"),
    pytest.param(lambda: teclistamab(), dt.date.max - dt.timedelta(days=2), 1, id="step-up-phase-past-9999-12-31"),
    pytest.param(lambda: mel_hmas(), dt.date.max, None, id="phase-event-past-9999-12-31"),
])
def test_a_schedule_off_the_calendar_is_refused_naming_the_start_date(proto, start, cycles):
    # Never an OverflowError (a 500): the engine names the start date.
    with pytest.raises(InvalidInput) as exc:
        schedule(proto(), start_date=start, cycles=cycles)
    assert exc.value.field == "start_date" and "off the calendar" in exc.value.message


@pytest.mark.hazard("HAZ-027")
def test_the_event_interval_flag_dates_never_overflow():
    # Melphalan day -1 with the renal 48 h rule, reinfusion on day 0: the flag dates the earliest day (day +1).
    proto = protocol(code="Mel-HMAS", setting="high_dose", drugs=[], cycles=None, cycle_length_days=None,
                     phases=[{"name": "HMAS", "start_day": -1, "drugs": [{**MELPHALAN, **MEL_48H}],
                              "events": [{"day": 0, "text": "Reinfusjon stamceller"}]}])
    patient = DosingPatient(weight_kg=80, height_cm=180, egfr_ml_min=25)
    with pytest.raises(InvalidInput) as exc:
        schedule(proto, patient, start_date=dt.date.max - dt.timedelta(days=1))
    assert exc.value.field == "start_date"


def test_age_zero_is_allowed_for_a_flat_dose():
    result = schedule(one_drug({**DEX, "rules": []}), DosingPatient(age=0), cycles=1)
    assert result.administrations


@pytest.mark.hazard("HAZ-004")
def test_working_shows_inputs_with_dates_and_bsa_method():
    patient = DosingPatient(weight_kg=80, height_cm=180, age=64, egfr_ml_min=88, weight_measured_on=dt.date(2026, 1, 2))
    result = schedule(protocol(), patient, cycles=1, bsa_formula="dubois")
    working = result.administrations[0].working
    assert "weight 80 kg (measured 2026-01-02)" in working.inputs
    assert "height 180 cm (date of measurement not given)" in working.inputs
    assert working.bsa_method.startswith("DuBois")
    assert "age 64 years" in result.inputs and result.bsa_formula == "dubois"
