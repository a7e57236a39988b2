"""The dose-rounding policy of the dose engine (issue 14 item 1, docs/adr/0014-dose-rounding-policy.md):
the calculated exact dose becomes the dose to give, rounded to the protocol's step or else to three
significant figures with at most two decimals; the deviation and the achieved dose per unit are
shown; a rounding beyond the hospital's limit and a dose more than 10 % above the protocol's per-unit
dose are refused. Expected values are worked by hand in the comments, never copied from the engine.

The reference patient is the one of the issue: 168 cm, 72.5 kg. Mosteller BSA =
sqrt(168 x 72.5 / 3600) = sqrt(12180 / 3600) = sqrt(3.383333) = 1.839384 m2, so bortezomib
1.3 mg/m2 x 1.839384 m2 = 2.391199 mg (the «2,3911991412957083 mg» the sheet used to print)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimens.dosing import DoseRefused, DosingPatient, InvalidInput, deviation_pct, round_dose, rounding_problems
from tests.regimens.dosing_cases import DEX, PROPS, schedule
from tests.regimens.protocols import AGE_RULE, one_drug, protocol

ISSUE_PATIENT = DosingPatient(weight_kg=72.5, height_cm=168, age=64, egfr_ml_min=88)
BORTEZOMIB = {"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2", "schedule": [{"days": [1]}]}


def first(proto, patient=ISSUE_PATIENT, **kwargs):
    return schedule(proto, patient, cycles=1, **kwargs).administrations[0]


# ------------------------------------------------------------------ three significant figures, at most two decimals


@pytest.mark.hazard("HAZ-041")
@pytest.mark.parametrize(
    ("exact", "given"),
    [
        pytest.param("2.3911991412957083", "2.39", id="bortezomib-2.3912-to-2.39"),
        pytest.param("138.4", "138", id="138.4-to-138"),
        pytest.param("1800", "1800", id="fixed-1800-stays"),
        # 3 significant figures of 1834 is 1.83 x 10^3: the rule applied literally (ADR 0014)
        pytest.param("1834", "1830", id="1834-to-1830"),
        pytest.param("1835", "1840", id="1835-half-up-to-1840"),
        # 2.395 is exactly half way: half up gives 2.40, written 2.4 (no trailing zero)
        pytest.param("2.395", "2.4", id="2.395-half-up"),
        # 0.725 has three significant figures but three decimals: at most two decimals gives 0.73
        pytest.param("0.725", "0.73", id="talquetamab-0.725-two-decimals"),
        pytest.param("999.5", "1000", id="999.5-to-1000"),
        # melphalan 200 mg/m2 x 1.839384 = 367.877 -> 368
        pytest.param("367.8767909685705", "368", id="melphalan-367.88-to-368"),
        pytest.param("0.004", "0", id="0.004-to-zero"),
    ],
)
def test_three_significant_figures_never_more_than_two_decimals(exact, given):
    assert round_dose(Decimal(exact)) == Decimal(given)


@pytest.mark.hazard("HAZ-041")
def test_the_issue_patients_bortezomib_is_given_as_2_39_mg_with_its_deviation():
    item = first(one_drug(BORTEZOMIB))
    assert item.calculated_dose == pytest.approx(2.391199, abs=1e-6)
    assert item.dose == 2.39
    # (2.39 - 2.391199) / 2.391199 = -0.0501 %
    assert item.deviation_pct == pytest.approx(-0.0501, abs=0.0001)
    assert item.rounding_step is None
    # the working: exact -> given (deviation), and why
    assert "2.3912 mg \u2192 2.39 mg (-0.05%)" in item.working.rounding
    assert "three significant figures" in item.working.rounding


@pytest.mark.hazard("HAZ-041")
def test_a_whole_number_dose_is_given_as_calculated():
    # isatuximab 10 mg/kg x 72.5 kg = 725 mg: three significant figures already
    item = first(one_drug({"drug": "isatuximab", "route": "iv", "dose": 10, "basis": "mg/kg",
                           "schedule": [{"days": [1]}]}))
    assert (item.dose, item.calculated_dose, item.deviation_pct) == (725, 725, 0)
    assert "725 mg \u2192 725 mg (0%)" in item.working.rounding


# ------------------------------------------------------------------ achieved dose per unit


@pytest.mark.hazard("HAZ-042")
def test_every_dose_carries_its_achieved_dose_per_unit_beside_the_protocols():
    item = first(one_drug(BORTEZOMIB))
    # 2.39 mg / 1.839384 m2 = 1.29935 mg/m2 against the protocol's 1.3 mg/m2
    assert item.per_unit_basis == "mg/m2"
    assert item.per_unit_achieved == pytest.approx(1.29935, abs=1e-5)
    assert item.per_unit_protocol == 1.3
    assert "achieved 1.2993 mg/m2" in item.working.per_unit and "protocol 1.3 mg/m2" in item.working.per_unit


def test_achieved_per_kg_divides_by_the_actual_weight():
    # teclistamab 1.5 mg/kg x 72.5 kg = 108.75 mg -> 109 mg (3 s.f.; +0.23 %); 109 / 72.5 = 1.50345 mg/kg
    item = first(one_drug({"drug": "teclistamab", "route": "sc", "dose": 1.5, "basis": "mg/kg",
                           "schedule": [{"days": [1]}]}))
    assert (item.calculated_dose, item.dose) == (108.75, 109)
    assert item.deviation_pct == pytest.approx(0.2299, abs=0.0001)
    assert (item.per_unit_basis, item.per_unit_protocol) == ("mg/kg", 1.5)
    assert item.per_unit_achieved == pytest.approx(1.50345, abs=1e-5)


def test_a_flat_dose_has_no_per_unit_basis():
    item = first(one_drug(DEX))
    assert (item.dose, item.per_unit_basis, item.per_unit_achieved, item.per_unit_protocol) == (40, "", None, None)
    assert item.working.per_unit == ""


def test_the_per_unit_dose_is_the_one_the_protocols_rule_gives():
    # a (made-up) age rule giving 1.0 mg/m2 above 75 years: for an 80-year-old the protocol's dose is 1.0 mg/m2
    old = DosingPatient(weight_kg=72.5, height_cm=168, age=80)
    proto = one_drug({"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2",
                      "schedule": [{"days": [1]}], "rules": [{**AGE_RULE, "dose": 1.0}]})
    item = first(proto, old)
    # 1.0 mg/m2 x 1.839384 = 1.839384 mg -> 1.84 mg; achieved 1.84 / 1.839384 = 1.000335 mg/m2
    assert (item.dose, item.per_unit_protocol) == (1.84, 1.0)
    assert item.per_unit_achieved == pytest.approx(1.000335, abs=1e-6)


# ------------------------------------------------------------------ the protocol's rounding step


@pytest.mark.hazard("HAZ-040")
def test_a_half_mg_step_within_five_percent_is_given():
    # 2.391199 mg / 0.5 = 4.78 -> 5 steps = 2.5 mg; (2.5 - 2.391199) / 2.391199 = +4.55 % <= 5 %
    item = first(one_drug({**BORTEZOMIB, "rounding": {"step": 0.5}}))
    assert (item.dose, item.rounding_step) == (2.5, 0.5)
    assert item.deviation_pct == pytest.approx(4.5501, abs=0.0001)
    # achieved 2.5 / 1.839384 = 1.35915 mg/m2 = 104.55 % of 1.3
    assert item.per_unit_achieved == pytest.approx(1.35915, abs=1e-5)
    assert "step of 0.5 mg" in item.working.rounding and "2.3912 mg \u2192 2.5 mg (+4.55%)" in item.working.rounding


@pytest.mark.hazard("HAZ-040")
def test_a_one_mg_step_on_a_2_39_mg_dose_is_refused_naming_drug_and_dose():
    # 2.391199 mg to a step of 1 mg = 2 mg; (2 - 2.391199) / 2.391199 = -16.36 %, more than 5 %
    with pytest.raises(DoseRefused) as exc:
        first(one_drug({**BORTEZOMIB, "rounding": {"step": 1}}))
    refusal = exc.value
    assert refusal.field == "rounding" and refusal.code == "rounding_too_coarse"
    assert refusal.params["drug"] == "bortezomib"
    assert (refusal.params["exact"], refusal.params["given"]) == (pytest.approx(2.391199, abs=1e-6), 2)
    assert refusal.params["deviation_pct"] == pytest.approx(-16.36, abs=0.01)
    assert refusal.params["limit_pct"] == 5
    assert "bortezomib" in refusal.message and "2.3912 mg" in refusal.message and "-16.36%" in refusal.message


@pytest.mark.hazard("HAZ-040")
@pytest.mark.parametrize(("limit", "refused"), [(5, False), (4.56, False), (4.55, True), (4.5, True)],
                         ids=["5%-given", "4.56%-given", "4.55%-refused", "4.5%-refused"])
def test_the_hospitals_limit_both_sides_of_the_deviation(limit, refused):
    # the half-mg step moves 2.391199 to 2.5 mg: (2.5 - 2.391199) / 2.391199 = +4.5501 %, just above 4.55
    proto = one_drug({**BORTEZOMIB, "rounding": {"step": 0.5}})
    if refused:
        with pytest.raises(DoseRefused):
            first(proto, max_deviation_pct=limit)
    else:
        assert first(proto, max_deviation_pct=limit).dose == 2.5


@pytest.mark.hazard("HAZ-040")
def test_a_protocols_own_stricter_limit_applies():
    # +4.55 % is within the hospital's 5 % but not within the 3 % the protocol sets for this drug
    with pytest.raises(DoseRefused) as exc:
        first(one_drug({**BORTEZOMIB, "rounding": {"step": 0.5, "max_deviation_pct": 3}}))
    assert exc.value.params["limit_pct"] == 3


@pytest.mark.hazard("HAZ-040")
def test_a_protocols_limit_never_loosens_the_hospitals():
    # the protocol says 20 %, the hospital 5 %: the 1 mg step (-16.36 %) is still refused
    with pytest.raises(DoseRefused) as exc:
        first(one_drug({**BORTEZOMIB, "rounding": {"step": 1, "max_deviation_pct": 20}}))
    assert exc.value.params["limit_pct"] == 5


@pytest.mark.hazard("HAZ-040", "HAZ-041")
def test_a_dose_too_small_for_two_decimals_is_refused_not_rounded():
    # 0.004 mg at two decimals is 0.00 mg; 0.06 mg flat is given as 0.06 (0 %), but 0.064 mg is 0.06 (-6.25 %)
    for dose, refused in ((0.004, True), (0.06, False), (0.064, True)):
        proto = one_drug({"drug": "x", "route": "sc", "dose": dose, "basis": "mg", "schedule": [{"days": [1]}]})
        if refused:
            with pytest.raises(DoseRefused) as exc:
                first(proto)
            assert exc.value.code == "rounding_too_coarse"
        else:
            assert first(proto).dose == dose


def test_a_dose_too_large_for_decimal_arithmetic_is_refused_not_a_crash():
    # 1e30 mg to a step of 1 mg needs 31 digits, more than Decimal carries (28): refused naming the drug
    with pytest.raises(DoseRefused) as exc:
        first(one_drug({"drug": "x", "route": "po", "dose": 1e30, "basis": "mg", "schedule": [{"days": [1]}],
                        "rounding": {"step": 1}}))
    assert exc.value.field == "x" and "cannot be rounded" in exc.value.message


@pytest.mark.parametrize("limit", [0, -5, float("nan"), float("inf"), True, "5"])
def test_the_engine_refuses_an_impossible_limit(limit):
    with pytest.raises(InvalidInput) as exc:
        first(one_drug(BORTEZOMIB), max_deviation_pct=limit)
    assert exc.value.field == "max_deviation_pct"


# ------------------------------------------------------------ no more than 10 % above the protocol's per-unit dose


# 1 mg/kg x 50 kg = 50 mg exactly. The hospital's limit is set to 20 % here so that only the
# per-unit rule can refuse: a step of 55 mg gives 55 mg = 1.1 mg/kg = exactly 110 % (not more:
# given); a step of 27.51 mg gives 2 x 27.51 = 55.02 mg = 1.1004 mg/kg = 110.04 % (refused).
@pytest.mark.hazard("HAZ-042")
@pytest.mark.parametrize(("step", "given", "refused"), [(55, 55, False), (27.51, 55.02, True)],
                         ids=["110%-given", "110.04%-refused"])
def test_a_dose_more_than_ten_percent_above_the_protocols_per_unit_dose_is_refused(step, given, refused):
    proto = one_drug({"drug": "x", "route": "iv", "dose": 1, "basis": "mg/kg", "schedule": [{"days": [1]}],
                      "rounding": {"step": step}})
    patient = DosingPatient(weight_kg=50)
    if refused:
        with pytest.raises(DoseRefused) as exc:
            first(proto, patient, max_deviation_pct=20)
        assert exc.value.code == "per_unit_above_protocol" and exc.value.field == "per_unit"
        assert exc.value.params["achieved"] == pytest.approx(1.1004) and exc.value.params["protocol"] == 1
        assert "x" in exc.value.message and "1.1004 mg/kg" in exc.value.message
    else:
        item = first(proto, patient, max_deviation_pct=20)
        assert (item.dose, item.per_unit_achieved) == (given, 1.1)


@pytest.mark.hazard("HAZ-042")
def test_ten_percent_below_the_per_unit_dose_is_the_deviation_limits_business():
    # a step of 45 mg gives 45 mg = 0.9 mg/kg (-10 %): the per-unit rule is about doses above the protocol's;
    # within a 20 % hospital limit it is given, with its deviation
    proto = one_drug({"drug": "x", "route": "iv", "dose": 1, "basis": "mg/kg", "schedule": [{"days": [1]}],
                      "rounding": {"step": 45}})
    item = first(proto, DosingPatient(weight_kg=50), max_deviation_pct=20)
    assert (item.dose, item.deviation_pct, item.per_unit_achieved) == (45, -10, 0.9)


# ------------------------------------------------------------------ a step checked at activation


@pytest.mark.hazard("HAZ-040")
def test_activation_check_names_the_drug_and_the_smallest_dose_a_step_cannot_serve():
    # bortezomib 1.3 mg/m2 at the smallest BSA 1.4 m2 = 1.82 mg; a 0.5 mg step moves a dose by up to
    # 0.25 mg: 0.25 / 1.82 = 13.74 % > 5 %; it fails for every dose below 0.25 / 0.05 = 5 mg
    (problem,) = rounding_problems(one_drug({**BORTEZOMIB, "rounding": {"step": 0.5}}), max_deviation_pct=5)
    assert (problem.drug, problem.step, problem.unit) == ("bortezomib", Decimal("0.5"), "mg")
    assert problem.smallest_dose == Decimal("1.82")
    assert problem.smallest_from == "1.3 mg/m2 x BSA 1.4 m2"
    assert problem.worst_pct == pytest.approx(Decimal("13.74"), abs=Decimal("0.01"))
    assert (problem.limit_pct, problem.fails_below) == (5, Decimal("5"))


@pytest.mark.hazard("HAZ-040")
@pytest.mark.parametrize(
    ("line", "problems"),
    [
        # 0.05 mg step: 0.025 / 1.82 = 1.37 % <= 5 %
        pytest.param({**BORTEZOMIB, "rounding": {"step": 0.05}}, 0, id="bortezomib-0.05mg-ok"),
        # isatuximab 10 mg/kg x 40 kg = 400 mg; 100 mg vial: 50 / 400 = 12.5 %; 20 mg: 10 / 400 = 2.5 %
        pytest.param({"drug": "isatuximab", "route": "iv", "dose": 10, "basis": "mg/kg",
                      "schedule": [{"days": [1]}], "rounding": {"step": 100}}, 1, id="isatuximab-100mg-refused"),
        pytest.param({"drug": "isatuximab", "route": "iv", "dose": 10, "basis": "mg/kg",
                      "schedule": [{"days": [1]}], "rounding": {"step": 20}}, 0, id="isatuximab-20mg-ok"),
        # dexamethasone 40 mg, 4 mg tablets: 2 / 40 = 5 % (not more); but the age rule's 20 mg: 2 / 20 = 10 %
        pytest.param({**DEX, "rules": [], "rounding": {"step": 4}}, 0, id="dex-40mg-4mg-tablets-ok"),
        pytest.param({**DEX, "rounding": {"step": 4}}, 1, id="dex-age-rule-20mg-4mg-tablets-refused"),
        # carfilzomib 20 mg/m2 in cycle 1 day 1, then 56: the smallest is 20 x 1.4 = 28 mg; a 5 mg step: 2.5 / 28 =
        # 8.9 % > 5 %
        pytest.param({"drug": "carfilzomib", "route": "iv", "dose": 56, "basis": "mg/m2",
                      "schedule": [{"first_cycle": 1, "last_cycle": 1, "days": [1], "dose": 20},
                                   {"first_cycle": 2, "days": [1]}], "rounding": {"step": 5}}, 1,
                     id="carfilzomib-block-dose-20-refused"),
        # no step: three significant figures deviate at most 0.5 % from 1 unit up; 0.01 mg/kg x 40 kg = 0.4 mg
        # at two decimals at most 0.005 / 0.4 = 1.25 %
        pytest.param({"drug": "talquetamab", "route": "sc", "dose": 0.01, "basis": "mg/kg",
                      "schedule": [{"days": [1]}]}, 0, id="talquetamab-0.4mg-no-step-ok"),
        # a flat 0.06 mg without a step: 0.005 / 0.06 = 8.3 % > 5 %
        pytest.param({"drug": "x", "route": "sc", "dose": 0.06, "basis": "mg", "schedule": [{"days": [1]}]}, 1,
                     id="0.06mg-no-step-refused"),
    ],
)
def test_activation_check_over_the_realistic_range(line, problems):
    assert len(rounding_problems(one_drug(line), max_deviation_pct=5)) == problems


@pytest.mark.hazard("HAZ-042")
def test_activation_check_applies_the_per_unit_ceiling_above_a_loose_limit():
    # a 1 mg step on the smallest bortezomib dose 1.82 mg can move it by 0.5 / 1.82 = 27.5 %: more than the
    # 10 % the per-unit rule allows even where the hospital's limit were 30 %
    (problem,) = rounding_problems(one_drug({**BORTEZOMIB, "rounding": {"step": 1}}), max_deviation_pct=30)
    assert problem.limit_pct == 10


def test_activation_check_covers_phase_drugs():
    proto = protocol(code="Mel-HMAS", setting="high_dose", drugs=[], cycles=None, cycle_length_days=None,
                     phases=[{"name": "HMAS", "start_day": -1, "events": [{"day": 0, "text": "Reinfusjon"}],
                              "drugs": [{"drug": "melphalan", "route": "iv", "dose": 200, "basis": "mg/m2",
                                         "schedule": [{"days": [-1]}], "rounding": {"step": 50}}]}])
    # 200 x 1.4 = 280 mg; 25 / 280 = 8.9 % > 5 %
    (problem,) = rounding_problems(proto, max_deviation_pct=5)
    assert (problem.drug, problem.phase, problem.smallest_dose) == ("melphalan", "HMAS", Decimal("280"))


# ------------------------------------------------------------------ properties


@pytest.mark.hazard("HAZ-041")
@PROPS
@given(exact=st.decimals(min_value=Decimal("1"), max_value=Decimal("100000"), places=6))
def test_property_three_significant_figures_move_a_dose_of_one_unit_or_more_by_at_most_half_a_percent(exact):
    rounded = round_dose(exact)
    assert abs(deviation_pct(exact, rounded)) <= Decimal("0.5")
    assert round_dose(rounded) == rounded
    assert rounded == rounded.quantize(Decimal("0.01"))  # at most two decimals
    assert len(rounded.normalize().as_tuple().digits) <= 3


@pytest.mark.hazard("HAZ-040")
@PROPS
@given(exact=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=6),
       step=st.sampled_from(["0.01", "0.1", "0.5", "1", "2.5", "5", "10", "25", "100"]))
def test_property_a_step_moves_a_dose_by_at_most_half_a_step(exact, step):
    rounded = round_dose(exact, Decimal(step))
    assert abs(rounded - exact) <= Decimal(step) / 2
    assert rounded % Decimal(step) == 0
    assert round_dose(rounded, Decimal(step)) == rounded
