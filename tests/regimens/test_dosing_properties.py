"""Properties of the dose engine (regimens/dosing/), checked by Hypothesis over the whole
range of patients: monotone in BSA and weight, finite and positive, rounding within its bound,
the maximum single dose never exceeded."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regimens.dosing import DoseRefused, DosingPatient, round_dose
from tests.regimens.dosing_cases import DEX, PROPS, schedule
from tests.regimens.protocols import one_drug, protocol

# ------------------------------------------------------------------ properties


BORTEZOMIB_ROUNDED = one_drug({"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2",
                               "schedule": [{"days": [1]}], "rounding": {"step": 0.1, "max_deviation_pct": 5}},
                              cycles=1)
ISATUXIMAB = one_drug({"drug": "isatuximab", "route": "iv", "dose": 10, "basis": "mg/kg",
                       "schedule": [{"days": [1]}], "rounding": {"step": 10, "max_deviation_pct": 5}}, cycles=1)
weights = st.floats(min_value=30, max_value=250, allow_nan=False)
heights = st.floats(min_value=120, max_value=220, allow_nan=False)


@PROPS
@given(w1=weights, w2=weights, height=heights)
def test_property_dose_monotone_in_bsa(w1, w2, height):
    low, high = sorted((w1, w2))
    d_low = schedule(BORTEZOMIB_ROUNDED, DosingPatient(weight_kg=low, height_cm=height)).administrations[0].dose
    d_high = schedule(BORTEZOMIB_ROUNDED, DosingPatient(weight_kg=high, height_cm=height)).administrations[0].dose
    assert d_low <= d_high


@PROPS
@given(w1=weights, w2=weights)
def test_property_dose_monotone_in_weight(w1, w2):
    low, high = sorted((w1, w2))
    d_low = schedule(ISATUXIMAB, DosingPatient(weight_kg=low)).administrations[0].dose
    d_high = schedule(ISATUXIMAB, DosingPatient(weight_kg=high)).administrations[0].dose
    assert d_low <= d_high


@PROPS
@given(weight=weights, height=heights, age=st.integers(18, 100), egfr=st.floats(5, 150),
       formula=st.sampled_from(["mosteller", "dubois"]))
def test_property_doses_finite_and_positive(weight, height, age, egfr, formula):
    proto = protocol(cycles=1, drugs=[*protocol().model_dump()["drugs"], DEX | {"drug": "dex-age"}])
    patient = DosingPatient(weight_kg=weight, height_cm=height, age=age, egfr_ml_min=egfr)
    for item in schedule(proto, patient, bsa_formula=formula).administrations:
        for value in (item.dose, item.calculated_dose):
            assert math.isfinite(value) and value > 0


@pytest.mark.hazard("HAZ-005")
@PROPS
@given(calculated=st.floats(min_value=0.01, max_value=100_000, allow_nan=False),
       step=st.sampled_from([0.01, 0.1, 0.5, 1, 2.5, 5, 10, 25, 100]),
       bound=st.sampled_from([1, 5, 10]))
def test_property_rounding_idempotent_and_within_bound(calculated, step, bound):
    line = {"drug": "x", "route": "po", "dose": calculated, "basis": "mg", "schedule": [{"days": [1]}],
            "rounding": {"step": step}}
    try:
        item = schedule(one_drug(line, cycles=1), max_deviation_pct=bound).administrations[0]
    except DoseRefused:
        # refused only when the nearest step is too far away (or zero)
        nearest = round(calculated / step) * step
        assert nearest == 0 or abs(nearest - calculated) / calculated * 100 > bound - 1e-6
        return
    assert abs(item.dose - calculated) / calculated * 100 <= bound + 1e-9
    assert round_dose(Decimal(repr(item.dose)), Decimal(repr(step))) == Decimal(repr(item.dose))


@pytest.mark.hazard("HAZ-012")
@PROPS
@given(weight=weights, height=heights)
def test_property_maximum_dose_never_exceeded(weight, height):
    line = {"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2", "schedule": [{"days": [1]}],
            "rounding": {"step": 0.1}, "max_single_dose_mg": 3}
    try:
        result = schedule(one_drug(line, cycles=1), DosingPatient(weight_kg=weight, height_cm=height))
    except DoseRefused as exc:
        assert exc.field == "max_single_dose_mg"
        return
    assert all(a.dose <= 3 and a.calculated_dose <= 3 for a in result.administrations)


def test_an_overflowing_dose_is_refused():
    # 1e308 mg/kg x 80 kg overflows to infinity: refused, never passed on
    line = {"drug": "x", "route": "iv", "dose": 1e308, "basis": "mg/kg", "schedule": [{"days": [1]}]}
    with pytest.raises(DoseRefused) as exc:
        schedule(one_drug(line), cycles=1)
    assert exc.value.field == "x"
