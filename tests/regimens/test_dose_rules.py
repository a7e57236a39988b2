"""The dose engine's dose rules (regimens/dosing/rules.py): age, renal, weight and tolerance
rules, the side an undefined boundary takes, and Mel-HMAS's 48 hours before reinfusion. Cases come
from the guideline's dosing tables (Handlingsprogram for myelomatose, "Behandling av myelomatose");
expected values are computed by hand in the comments, never copied from the engine's output."""

import datetime as dt

import pytest

from regimens import schema
from regimens.dosing import DosingPatient, InvalidInput
from tests.regimens.dosing_cases import DEX, GCSF, MEL_48H, MELPHALAN, doses, mel_hmas, schedule
from tests.regimens.protocols import AGE_RULE, RENAL_RULE, WEIGHT_RULE, one_drug, protocol

# ------------------------------------------------------------------ dose rules


@pytest.mark.hazard("HAZ-017")
@pytest.mark.parametrize(
    ("age", "expected", "flagged"),
    [
        pytest.param(74, 40, False, id="dex-<75-år-40mg"),
        pytest.param(76, 20, False, id="dex->75-år-20mg"),
        pytest.param(75, 40, True, id="dex-75-år-boundary-undefined"),
    ],
)
def test_age_rule_dexamethasone(age, expected, flagged):
    result = schedule(one_drug(DEX), DosingPatient(age=age), cycles=1)
    assert set(doses(result, "dexamethasone")) == {expected}
    assert bool(result.flags) is flagged
    if flagged:
        flag = result.flags[0]
        assert flag.source_text == "<75 år: 40 mg / >75 år: 20 mg" and "75 years exactly" in flag.interpretation
        assert "undefined" in flag.message
    if expected == 20:
        assert "age 76 years > 75" in result.administrations[0].adjustments[0]
        assert "<75 år" in result.administrations[0].adjustments[0]


@pytest.mark.hazard("HAZ-006")
@pytest.mark.parametrize(
    ("egfr", "expected", "flagged"),
    [
        pytest.param(29, 15, False, id="lenalidomide-eGFR-<30-15mg"),
        pytest.param(31, 25, False, id="lenalidomide-eGFR->30-25mg"),
        pytest.param(30, 25, True, id="lenalidomide-eGFR-30-boundary"),
    ],
)
def test_renal_rule_lenalidomide(egfr, expected, flagged):
    result = schedule(protocol(), DosingPatient(weight_kg=80, height_cm=180, egfr_ml_min=egfr), cycles=1)
    assert set(doses(result, "lenalidomide")) == {expected}
    assert bool(result.flags) is flagged
    assert doses(result, "bortezomib") == [pytest.approx(2.6)] * 3  # no rule on bortezomib


@pytest.mark.hazard("HAZ-006", "HAZ-009")
@pytest.mark.parametrize(
    ("egfr", "expected"),
    [
        # 200 mg/m2 x 2.0 m2 = 400 mg; eGFR < 30: 140 mg/m2 x 2.0 = 280 mg
        pytest.param(29, 280, id="melphalan-eGFR-<30-140mg/m2"),
        pytest.param(30, 400, id="melphalan-eGFR-30-standard"),
        pytest.param(31, 400, id="melphalan-eGFR-31-200mg/m2"),
    ],
)
def test_renal_rule_melphalan_strict_without_flag(egfr, expected):
    result = schedule(mel_hmas(), DosingPatient(weight_kg=80, height_cm=180, egfr_ml_min=egfr))
    assert doses(result, "melphalan") == [pytest.approx(expected)]
    assert result.flags == ()  # this rule's boundary is not marked undefined


@pytest.mark.hazard("HAZ-009")
@pytest.mark.parametrize(
    ("weight", "expected", "flagged"),
    [
        pytest.param(59, 300, False, id="G-CSF-vekt-<60kg-300ug"),
        pytest.param(61, 480, False, id="G-CSF-vekt->60kg-480ug"),
        pytest.param(60, 480, True, id="G-CSF-60kg-boundary-undefined"),
    ],
)
def test_weight_rule_gcsf(weight, expected, flagged):
    result = schedule(one_drug(GCSF), DosingPatient(weight_kg=weight), cycles=1)
    assert doses(result, "filgrastim") == [expected]
    assert bool(result.flags) is flagged
    if flagged:
        assert result.flags[0].source_text == WEIGHT_RULE["source_text"]


LEN_MAINT = {
    "drug": "lenalidomide", "route": "po", "dose": 15, "basis": "mg", "schedule": [{"days": list(range(1, 22))}],
    "rules": [{"kind": "tolerance", "dose": 10, "source_text": "Hvis dårlig toleranse under induksjon: 10 mg"}],
}


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        pytest.param(frozenset({"lenalidomide"}), 10, id="R-maintenance-dårlig-toleranse-10mg"),
        pytest.param(frozenset(), 15, id="R-maintenance-15mg"),
    ],
)
def test_tolerance_rule(marked, expected):
    proto = one_drug(LEN_MAINT, code="R-maintenance", cycles=None, until_progression=True)
    result = schedule(proto, DosingPatient(reduced_tolerance=marked), cycles=1)
    assert set(doses(result, "lenalidomide")) == {expected}
    if marked:
        assert "reduced tolerance" in result.administrations[0].adjustments[0]


def test_tolerance_for_a_drug_not_in_the_protocol_is_an_error():
    with pytest.raises(InvalidInput) as exc:
        schedule(protocol(), DosingPatient(weight_kg=80, height_cm=180, egfr_ml_min=88,
                                           reduced_tolerance=frozenset({"pomalidomide"})))
    assert exc.value.field == "reduced_tolerance"


def test_omit_rule_leaves_the_drug_out_with_a_warning():
    line = {**DEX, "rules": [{"kind": "age", "comparison": "above", "threshold": 80, "omit": True,
                              "source_text": "test: omit above 80"}]}
    result = schedule(one_drug(line), DosingPatient(age=85), cycles=1)
    assert result.administrations == ()
    assert "dexamethasone is left out" in result.warnings[0]


def test_two_rules_the_lowest_dose_is_used_and_said():
    line = {**LEN_MAINT, "rules": [*LEN_MAINT["rules"], {**RENAL_RULE, "dose": 5}]}
    proto = one_drug(line, cycles=1)
    result = schedule(proto, DosingPatient(egfr_ml_min=20, reduced_tolerance=frozenset({"lenalidomide"})))
    assert set(doses(result, "lenalidomide")) == {5}
    assert "lowest dose" in result.administrations[0].adjustments[-1]


# ------------------------------------------------------------------ the side an undefined boundary takes
# Second reading (docs/adr/0003-undefined-boundaries.md): "Steroider (deksametason og prednisolon bør
# dosereduseres først ved intoleranse)", "Ved tvil er det bedre å gå ned i dose enn å la være"
# (Generelt om behandlingsdoser, dosereduksjoner og seponering) vs "unngå unødvendig dosereduksjon"
# (Behandling ved nyresvikt).

DEX_AT_RULE = {**DEX, "rules": [{**AGE_RULE, "at_boundary": "rule",
                                 "boundary_interpretation": "75 exactly: 20 mg (Ved tvil ... gå ned i dose)"}]}


@pytest.mark.parametrize(
    ("age", "expected", "flagged"),
    [
        pytest.param(74, 40, False, id="dex-<75-år-40mg"),
        pytest.param(75, 20, True, id="dex-75-år-reduction-at-boundary-20mg-flagged"),
        pytest.param(76, 20, False, id="dex->75-år-20mg"),
    ],
)
def test_age_rule_at_boundary_rule_side(age, expected, flagged):
    result = schedule(one_drug(DEX_AT_RULE), DosingPatient(age=age), cycles=1)
    assert doses(result, "dexamethasone") == [expected] * 4
    assert bool(result.flags) is flagged
    first = result.administrations[0]
    if flagged:
        (flag,) = result.flags
        assert (flag.kind, flag.value, flag.threshold, flag.key) == ("age", 75, 75, "boundary:dexamethasone:age:75")
        assert "the rule's dose is used (20 mg)" in flag.message and "Ved tvil" in flag.interpretation
        assert "exactly 75, which the guideline leaves undefined" in first.adjustments[0]
        assert "the protocol gives the rule's dose, 20 mg" in first.working.boundary[0]
    else:
        assert first.working.boundary == ()


def test_at_boundary_standard_side_is_in_the_working():
    # RENAL_RULE keeps the default at_boundary: standard; eGFR exactly 30 -> 25 mg, flagged
    result = schedule(protocol(), DosingPatient(weight_kg=80, height_cm=180, egfr_ml_min=30), cycles=1)
    lenalidomide = [a for a in result.administrations if a.drug == "lenalidomide"]
    assert {a.dose for a in lenalidomide} == {25} and lenalidomide[0].adjustments == ()
    assert "the protocol gives the standard dose, 25 mg" in lenalidomide[0].working.boundary[0]
    (flag,) = result.flags
    assert "the standard dose is used (25 mg)" in flag.message


def test_at_boundary_rule_side_of_an_omit_rule():
    rule = {**AGE_RULE, "dose": None, "omit": True, "at_boundary": "rule"}
    result = schedule(one_drug({**DEX, "rules": [rule]}), DosingPatient(age=75), cycles=1)
    assert doses(result, "dexamethasone") == []
    assert "the rule (drug omitted) is used (drug omitted)" in result.flags[0].message
    assert "dexamethasone is left out" in result.warnings[0]


def test_at_boundary_rule_needs_an_undefined_boundary():
    with pytest.raises(ValueError, match="at_boundary: rule is only for a boundary"):
        schema.DoseRule.model_validate({**AGE_RULE, "boundary_undefined": False, "at_boundary": "rule"})
    with pytest.raises(ValueError):
        schema.DoseRule.model_validate({**AGE_RULE, "at_boundary": "lower"})


def test_defined_boundary_is_compared_as_written_without_flag():
    # Ven-Dex "Pasienter >75 år halverer dosen dexametason": 75 is not >75, so 40 mg, no flag
    rule = {**AGE_RULE, "boundary_undefined": False, "boundary_interpretation": ""}
    result = schedule(one_drug({**DEX, "rules": [rule]}), DosingPatient(age=75), cycles=1)
    assert doses(result, "dexamethasone") == [40] * 4 and result.flags == ()


# ------------------------------------------------------------------ Mel-HMAS: 48 h before reinfusion with eGFR <30

@pytest.mark.parametrize(
    ("egfr", "expected_mg", "warned"),
    [
        # 140 mg/m2 x 2.00 m2 = 280 mg; the rule applied: day 0 is at most 24 h after day -1 < 48 h
        pytest.param(25, 280, True, id="eGFR-<30-140mg/m2-reinfusion-day-0-too-early"),
        pytest.param(30, 400, False, id="eGFR-30-200mg/m2-no-48h-rule"),
        pytest.param(88, 400, False, id="eGFR-88-200mg/m2-no-48h-rule"),
    ],
)
def test_melphalan_renal_rule_48_hours_to_reinfusion(egfr, expected_mg, warned):
    result = schedule(mel_hmas(**MEL_48H), DosingPatient(weight_kg=80, height_cm=180, egfr_ml_min=egfr))
    assert doses(result, "melphalan") == [pytest.approx(expected_mg)]
    (event,) = result.events
    assert (event.day, event.date) == (0, dt.date(2026, 1, 6))  # never moved
    interval = [f for f in result.flags if f.kind == "event_interval"]
    assert bool(interval) is warned
    assert any("day +1 (2026-01-07) or later" in w for w in result.warnings) is warned
    if warned:
        (flag,) = interval
        assert (flag.drug, flag.value, flag.threshold) == ("melphalan", 24, 48)
        assert "at least 48 h" in flag.message and "does not move the date" in flag.message
        assert "day 0 (2026-01-06)" in flag.interpretation and flag.source_text == MELPHALAN["rules"][0]["source_text"]


def test_melphalan_48_hours_met_by_a_later_event_no_warning():
    proto = protocol(
        code="Mel-HMAS", setting="high_dose", drugs=[], cycles=None, cycle_length_days=None,
        phases=[{"name": "HMAS", "start_day": -1, "drugs": [{**MELPHALAN, **MEL_48H}],
                 "events": [{"day": 3, "text": "Evaluering"}, {"day": 1, "text": "Reinfusjon stamceller"}]}],
    )
    result = schedule(proto, DosingPatient(weight_kg=80, height_cm=180, egfr_ml_min=25))
    assert doses(result, "melphalan") == [pytest.approx(280)]
    assert result.flags == () and result.warnings == ()


@pytest.mark.parametrize(
    ("where", "events"),
    [
        pytest.param("drugs", (), id="on-a-cycle-drug"),
        pytest.param("phase", [{"day": -1, "text": "same day"}], id="no-event-after-the-drug"),
    ],
)
def test_min_hours_to_next_event_needs_a_later_phase_event(where, events):
    line = {**MELPHALAN, **MEL_48H}
    with pytest.raises(ValueError, match="min_hours_to_next_event"):
        if where == "drugs":
            protocol(drugs=[{**line, "schedule": [{"days": [1]}]}])
        else:
            protocol(code="Mel-HMAS", setting="high_dose", drugs=[], cycles=None, cycle_length_days=None,
                     phases=[{"name": "HMAS", "start_day": -1, "drugs": [line], "events": events}])


# ------------------------------------------------------------------ protocol ambiguities are schedule flags


def test_protocol_ambiguities_become_flags():
    ambiguity = {"source_text": "Syklus 1: Dag 1, 8, 15, 22 / Syklus 3 og videre: Dag 1, 15",
                 "interpretation": "cycle 2 read as day 1, 15"}
    result = schedule(protocol(ambiguities=[ambiguity]), cycles=1)
    (flag,) = result.flags
    assert (flag.kind, flag.drug, flag.value, flag.threshold, flag.key) == ("ambiguity", "", None, None, "ambiguity:0")
    assert (flag.source_text, flag.interpretation) == (ambiguity["source_text"], ambiguity["interpretation"])
    assert "Syklus 3 og videre" in flag.message and "cycle 2 read as day 1, 15" in flag.message
