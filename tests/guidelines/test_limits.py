"""Accepted ranges (guidelines/limits.py): inputs, derived values and the date window.

Each derived value is monotonic in each of its inputs (eGFR falls with creatinine and age, BSA
rises with height and weight, the FLC ratio rises with kappa and falls with lambda), so its
extremes over the accepted inputs lie at the corners of the input ranges; the corner values
below are worked out by hand from the published equations."""

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidelines import limits
from guidelines.evaluate import derive
from guidelines.facts import Sex
from guidelines.labs import bsa_dubois, bsa_mosteller, egfr, egfr_ckd_epi_2021, free_light_chains
from tests.guidelines.factories import BASE, make


@pytest.mark.parametrize(("value", "inside"), [
    pytest.param(100, True, id="low-end-included"), pytest.param(230, True, id="high-end-included"),
    pytest.param(99.9, False, id="below"), pytest.param(230.1, False, id="above"),
    pytest.param(Decimal("180.5"), True, id="decimal"), pytest.param(math.nan, False, id="nan"),
    pytest.param(math.inf, False, id="inf"), pytest.param(True, False, id="bool-is-no-number"),
    pytest.param("180", False, id="string-is-no-number"), pytest.param(None, False, id="none"),
])
def test_a_range_holds_finite_numbers_between_its_ends(value, inside):
    assert (value in limits.HEIGHT_CM) is inside


def test_an_open_low_end_is_excluded():
    assert 0 not in limits.EGFR_ML_MIN and 0.001 in limits.EGFR_ML_MIN and 250 in limits.EGFR_ML_MIN
    assert limits.EGFR_ML_MIN.text == "> 0–250 mL/min/1.73 m²" and limits.HEIGHT_CM.text == "100–230 cm"


@pytest.mark.hazard("HAZ-028")
@pytest.mark.parametrize(("creatinine", "age", "sex", "expected"), [
    # 20 µmol/L = 0.2262 mg/dL; /0.9 = 0.2514; ^-0.302 = 1.5174; × 142 = 215.5; × 0.9938^18 (0.8941) = 192.7
    pytest.param(20, 18, Sex.MALE, 192.7, id="highest-male"),
    # /0.7 = 0.3232; ^-0.241 = 1.3129; × 142 = 186.4; × 0.8941 × 1.012 = 168.7
    pytest.param(20, 18, Sex.FEMALE, 168.7, id="highest-female"),
    # 2500 µmol/L = 28.28 mg/dL; /0.9 = 31.42; ^-1.2 = 0.01597; × 142 = 2.268; × 0.9938^120 (0.4741) = 1.075
    pytest.param(2500, 120, Sex.MALE, 1.075, id="lowest-male"),
    # /0.7 = 40.40; ^-1.2 = 0.01181; × 142 = 1.677; × 0.4741 × 1.012 = 0.805
    pytest.param(2500, 120, Sex.FEMALE, 0.805, id="lowest-female"),
])
def test_egfr_from_accepted_creatinine_and_age_stays_in_its_range(creatinine, age, sex, expected):
    assert creatinine in limits.CREATININE_UMOL_L and age in limits.AGE_YEARS
    value = egfr_ckd_epi_2021(creatinine_umol_l=creatinine, age=age, sex=sex)
    assert value == pytest.approx(expected, abs=0.1)
    assert value in limits.DERIVED_EGFR_ML_MIN


@pytest.mark.hazard("HAZ-028")
@pytest.mark.parametrize(("formula", "height", "weight", "expected"), [
    pytest.param(bsa_mosteller, 100, 20, 0.745, id="mosteller-smallest"),  # sqrt(100 × 20 / 3600)
    pytest.param(bsa_mosteller, 230, 350, 4.729, id="mosteller-largest"),  # sqrt(230 × 350 / 3600)
    pytest.param(bsa_dubois, 100, 20, 0.723, id="dubois-smallest"),  # 0.007184 × 3.572 × 28.18
    pytest.param(bsa_dubois, 230, 350, 4.464, id="dubois-largest"),  # 0.007184 × 12.06 × 51.53
])
def test_bsa_from_accepted_height_and_weight_stays_in_its_range(formula, height, weight, expected):
    value = formula(weight, height)
    assert value == pytest.approx(expected, abs=0.01) and value in limits.BSA_M2


@pytest.mark.hazard("HAZ-028")
@pytest.mark.parametrize(("kappa", "lambda_", "ratio", "dflc"), [
    pytest.param(0.1, 100000, 1e-6, 99999.9, id="lowest-ratio"),
    pytest.param(100000, 0.1, 1e6, 99999.9, id="highest-ratio"),
    pytest.param(0.1, 0.1, 1, 0, id="equal-chains"),
])
def test_flc_values_from_accepted_chains_stay_in_their_ranges(kappa, lambda_, ratio, dflc):
    flc = free_light_chains(kappa, lambda_)
    assert flc.ratio == pytest.approx(ratio) and flc.dflc_mg_l == pytest.approx(dflc)
    assert flc.ratio in limits.FLC_RATIO and flc.dflc_mg_l in limits.DFLC_MG_L
    assert flc.involved_mg_l in limits.INVOLVED_FLC_MG_L


@pytest.mark.hazard("HAZ-028")
@settings(max_examples=300, deadline=None)
@given(
    creatinine=st.floats(20, 2500), age=st.integers(18, 120), sex=st.sampled_from(Sex),
    height=st.floats(100, 230), weight=st.floats(20, 350),
    kappa=st.floats(0.1, 100000), lambda_=st.floats(0.1, 100000),
)
def test_no_accepted_input_gives_a_refused_derived_value(creatinine, age, sex, height, weight, kappa, lambda_):
    facts = make(age=age, sex=sex, height_cm=height, weight_kg=weight,
                 labs={"creatinine_umol_l": creatinine, "flc_kappa_mg_l": kappa, "flc_lambda_mg_l": lambda_})
    derived = derive(facts)
    assert derived.refused == ()
    assert derived.egfr_ml_min in limits.DERIVED_EGFR_ML_MIN and derived.bsa_m2 in limits.BSA_M2
    assert derived.flc_ratio in limits.FLC_RATIO and derived.dflc_mg_l in limits.DFLC_MG_L


@pytest.mark.hazard("HAZ-028")
@pytest.mark.parametrize("creatinine", [1e-7, 0, -5], ids=["1e-7", "zero", "negative"])
def test_egfr_from_an_implausible_creatinine_is_not_used(creatinine):
    # 1e-7 µmol/L would give an eGFR of about 46 000 mL/min/1.73 m²; 0 gives none; a negative one a complex number.
    facts = make(labs={"creatinine_umol_l": creatinine})
    result = egfr(facts)
    assert result.value is None and result.source == "out of range"
    assert [field for field, _why in result.refused] == ["labs.creatinine_umol_l"]
    derived = derive(facts)
    assert derived.egfr_ml_min is None and ("labs.creatinine_umol_l", result.refused[0][1]) in derived.refused
    assert "outside the accepted range > 0–250" in result.refused[0][1]


@pytest.mark.hazard("HAZ-028")
def test_a_given_egfr_outside_its_range_is_not_used():
    derived = derive(make(labs={"egfr_ml_min": 300}))
    assert derived.egfr_ml_min is None and [f for f, _ in derived.refused] == ["labs.egfr_ml_min"]


@pytest.mark.hazard("HAZ-028")
def test_a_bsa_outside_its_range_is_not_used():
    # sqrt(400 × 400 / 3600) = 6.67 m²: refused, naming both fields it comes from
    derived = derive(make(height_cm=400, weight_kg=400))
    assert derived.bsa_m2 is None and [f for f, _ in derived.refused] == ["height_cm", "weight_kg"]
    assert not any("BSA" in w for w in derived.working)


@pytest.mark.hazard("HAZ-028")
@pytest.mark.parametrize(("kappa", "lambda_"), [(100000, 5e-324), (0, 300)], ids=["ratio-infinite", "ratio-zero"])
def test_flc_values_outside_their_ranges_are_not_used(kappa, lambda_):
    derived = derive(make(labs={"flc_kappa_mg_l": kappa, "flc_lambda_mg_l": lambda_}))
    assert (derived.flc_ratio, derived.involved_flc_mg_l, derived.dflc_mg_l) == (None, None, None)
    assert [f for f, _ in derived.refused] == ["labs.flc_kappa_mg_l", "labs.flc_lambda_mg_l"]
    assert "FLC ratio" in derived.refused[0][1]


def test_the_contract_example_derives_without_refusal():
    assert derive(BASE).refused == ()


@pytest.mark.parametrize(("today", "latest"), [
    pytest.param(dt.date(2026, 12, 2), dt.date(2028, 12, 2), id="plain"),
    pytest.param(dt.date(2028, 2, 29), dt.date(2030, 2, 28), id="29-february"),
])
def test_the_date_window_ends_two_years_after_today(today, latest):
    assert limits.latest_date(today) == latest
    assert limits.date_in_window(latest, today) and not limits.date_in_window(latest + dt.timedelta(days=1), today)
    assert limits.date_in_window(dt.date(1900, 1, 1), today) and not limits.date_in_window(dt.date(1899, 12, 31),
                                                                                             today)
