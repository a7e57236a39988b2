"""regimens/formatting.py: the one place that writes doses and measurements as text."""

import json
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from regimens.dosing import round_dose
from regimens.formatting import ENGINE, format_deviation, format_dose, format_number, significant
from tests.regimens.dosing_cases import PROPS


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.6, "2.6"), (1.23456, "1.2346"), (20.0, "20"), (0.06, "0.06"), (1800, "1800"), (None, "")],
    ids=["one decimal", "more than four decimals", "whole", "small", "large", "unknown"],
)
def test_the_engine_style_has_at_most_four_decimals_and_a_full_stop(value, text):
    with translation.override("nb"):
        assert format_number(value, **ENGINE) == text


def test_the_sheet_style_keeps_every_digit_in_the_readers_separator():
    with translation.override("nb"):
        assert (format_number(1.23456), format_number(None), format_dose(2.6, "mg")) == ("1,23456", "—", "2,6 mg")
    with translation.override("en"):
        assert format_dose(2.6, "mg") == "2.6 mg"


@pytest.mark.hazard("HAZ-043")
@PROPS
@given(exact=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=8),
       step=st.sampled_from([None, "0.01", "0.1", "0.25", "0.5", "1", "2.5", "10", "100"]))
def test_property_a_dose_to_give_prints_exactly_as_stored(exact, step):
    # the plan stores the dose to give as a JSON number (a float); the sheet prints it with format_dose:
    # the printed digits are the rounded decimal's, never more, never fewer (2.39 is «2,39 mg»)
    given = round_dose(exact, Decimal(step) if step else None)
    stored = json.loads(json.dumps(float(given)))
    with translation.override("nb"):
        printed = format_dose(stored, "mg")
    assert printed == format(given, "f").replace(".", ",") + " mg"


@pytest.mark.parametrize(("value", "nb", "en"), [
    (-0.0501, "\u22120,05 %", "\u22120.05 %"), (4.5501, "+4,55 %", "+4.55 %"), (0, "0 %", "0 %"),
    (-16.36, "\u221216,36 %", "\u221216.36 %"), (0.001, "+<0,01 %", "+<0.01 %"),
], ids=["bortezomib-2.39", "half-mg-step", "none", "one-mg-step", "tiny-not-zero"])
def test_a_deviation_is_signed_with_two_decimals_and_never_a_bare_zero(value, nb, en):
    with translation.override("nb"):
        assert format_deviation(value) == nb
    with translation.override("en"):
        assert format_deviation(value) == en


def test_significant_figures_for_a_figure_beside_a_dose():
    # 2.39 / 1.839384 = 1.29935 mg/m2 -> 1.30; 55.02 / 50 = 1.1004 -> 1.10; 0.73 / 72.5 = 0.010069 -> 0.0101
    assert (significant(1.29935), significant(1.1004), significant(0.010069), significant(None), significant(0)) == (
        1.3, 1.1, 0.0101, None, 0)
