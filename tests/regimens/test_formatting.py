"""regimens/formatting.py: the one place that writes doses and measurements as text."""

import pytest
from django.utils import translation

from regimens.formatting import ENGINE, format_dose, format_number


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
