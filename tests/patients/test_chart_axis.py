"""The y axis of the overview's trend charts (patients/presenters.py ``chart_axis``): the values and
the reference limits inside it, at least the analyte's minimum span (patients/labcatalogue.py), a
tenth of the span as margin, never below zero for concentrations. Worked out by hand."""

import pytest

from patients import labcatalogue
from patients.presenters import chart_axis

pytestmark = pytest.mark.hazard("HAZ-059")


def test_a_small_change_of_haemoglobin_is_small_on_the_axis():
    # 12.0 → 12.1 g/dL, no reference: span 0.1 < 4 → 10.05–14.05, margin 0.4 → 9.65–14.45
    axis = chart_axis([12.0, 12.1], min_span=labcatalogue.ANALYTES["hemoglobin"].chart_min_span)
    assert axis == {"min": 9.65, "max": 14.45}
    assert 0.1 / (axis["max"] - axis["min"]) < 0.03  # the change fills under 3 % of the axis, not all of it


def test_the_reference_range_is_inside_the_axis():
    # 11.6 and 11.7 g/dL, female reference 11.7–15.3: span 3.7 < 4 → 11.45–15.45, margin 0.4
    axis = chart_axis([11.6, 11.7], [11.7, 15.3], min_span=4)
    assert axis == {"min": 11.05, "max": 15.85}


def test_a_concentration_axis_never_goes_below_zero():
    # M-protein 0.5 and 1.0 g/L, min span 10: centred it would start at −4.25 → 0–10, margin 1 → 0–11
    assert chart_axis([0.5, 1.0], min_span=10) == {"min": 0.0, "max": 11.0}


def test_a_wide_series_gets_a_margin_only():
    assert chart_axis([5, 50], [None, None], min_span=10) == {"min": 0.5, "max": 54.5}


def test_a_single_value_without_span_still_gets_an_axis():
    assert chart_axis([80]) == {"min": 72.0, "max": 88.0}
    assert chart_axis([]) == {}


def test_every_charted_analyte_has_a_minimum_span():
    charted = [a for a in labcatalogue.ANALYTES.values() if a.chart]
    assert charted and all(a.chart_min_span and a.chart_min_span > 0 for a in charted)
