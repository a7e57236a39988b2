"""core/formatting.py: each quantity kind at its precision, in bokmål (decimal comma) and English
(decimal point); dates dd.mm.åååå in both. Expected texts are worked out by hand: a value rounded
half up to the kind's places (eGFR whole numbers, BSA two decimals, weight one, height none; lab
results at the precision the laboratory reports, more when more were typed)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import KINDS, Quantity, format_date, format_datetime, format_quantity, register_kinds

pytestmark = pytest.mark.hazard("HAZ-055")

# (kind, value, bokmål, English): with the unit, as a page prints it.
CASES = [
    ("egfr", 71.75434280825972, "72 mL/min/1,73 m²", "72 mL/min/1.73 m²"),
    ("egfr", 71.5, "72 mL/min/1,73 m²", "72 mL/min/1.73 m²"),
    ("egfr", 71.49, "71 mL/min/1,73 m²", "71 mL/min/1.73 m²"),
    ("bsa", 1.8399, "1,84 m²", "1.84 m²"),
    ("bsa", 1.8, "1,80 m²", "1.80 m²"),
    ("bsa", 1.835, "1,84 m²", "1.84 m²"),  # half up, as written (the float is 1.83499…)
    ("bsa", 1.75890590993378, "1,76 m²", "1.76 m²"),
    ("weight", Decimal("72.5"), "72,5 kg", "72.5 kg"),
    ("weight", 72, "72,0 kg", "72.0 kg"),
    ("weight", Decimal("72.25"), "72,25 kg", "72.25 kg"),  # typed with two decimals: both shown
    ("height", Decimal("176.0"), "176 cm", "176 cm"),
    ("height", Decimal("176.5"), "176,5 cm", "176.5 cm"),
    ("percent", Decimal("35.0"), "35 %", "35 %"),
    ("percent", Decimal("35.5"), "35,5 %", "35.5 %"),
    ("flc_ratio", 12 / 380, "0,0316", "0.0316"),  # 0.031578…: three significant digits
    ("flc_ratio", 1.35, "1,35", "1.35"),
    ("flc_ratio", 380 / 12, "31,67", "31.67"),  # 31.666…: two decimals
    ("flc", 368.0, "368,0 mg/L", "368.0 mg/L"),
    # lab analytes (patients/labcatalogue.py)
    ("creatinine", Decimal("78.000"), "78 µmol/L", "78 µmol/L"),
    ("hemoglobin", Decimal("12.400"), "12,4 g/dL", "12.4 g/dL"),
    ("hemoglobin", Decimal("12"), "12,0 g/dL", "12.0 g/dL"),
    ("hemoglobin", Decimal("9.96"), "9,96 g/dL", "9.96 g/dL"),  # never 10,0: a rule read it below 10
    ("calcium", Decimal("2.4"), "2,40 mmol/L", "2.40 mmol/L"),
    ("m_protein", Decimal("12"), "12,0 g/L", "12.0 g/L"),
    ("flc_kappa", Decimal("3.3"), "3,3 mg/L", "3.3 mg/L"),
    ("beta2m", Decimal("6.2"), "6,2 mg/L", "6.2 mg/L"),
    ("albumin", Decimal("31.000"), "31 g/L", "31 g/L"),
    ("platelets", Decimal("160"), "160 10⁹/L", "160 10⁹/L"),
    ("ldh", Decimal("230"), "230 U/L", "230 U/L"),
]


@pytest.mark.parametrize(("kind", "value", "nb", "en"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_each_kind_is_written_at_its_precision_in_both_languages(kind, value, nb, en):
    with translation.override("nb"):
        assert format_quantity(value, kind) == nb
    with translation.override("en"):
        assert format_quantity(value, kind) == en


def test_without_the_unit_and_unknown():
    with translation.override("nb"):
        assert format_quantity(71.75434280825972, "egfr", unit=False) == "72"
        assert format_quantity(1.8399, "bsa", unit=False) == "1,84"
        assert format_quantity(None, "bsa") == "—"
        assert format_quantity(None, "bsa", missing="") == ""


def test_no_negative_zero():
    with translation.override("nb"):
        assert format_quantity(-0.001, "bsa") == "0,00 m²"


@pytest.mark.parametrize("value", ["72", True, float("nan"), float("inf")], ids=["text", "bool", "nan", "inf"])
def test_a_value_that_is_not_a_finite_number_is_refused_not_printed(value):
    with pytest.raises((TypeError, ValueError)):
        format_quantity(value, "weight")


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown quantity kind"):
        format_quantity(1, "no-such-kind")


def test_a_kind_is_defined_once():
    with pytest.raises(ValueError, match="defined twice"):
        register_kinds({"egfr": Quantity("mL/min", 2)})
    register_kinds({"egfr": KINDS["egfr"]})  # the same definition again (ready() twice) is harmless
    assert KINDS["egfr"].decimals == 0


@pytest.mark.parametrize("language", ["nb", "en"])
def test_dates_are_day_month_year_in_both_languages(language):
    moment = dt.datetime(2026, 3, 5, 13, 7, tzinfo=dt.UTC)  # 14:07 in Oslo (CET)
    with translation.override(language):
        assert format_date(dt.date(2026, 3, 5)) == "05.03.2026"
        assert format_date("2026-03-05") == "05.03.2026"
        assert format_date(None) == "—"
        assert format_datetime(moment) == "05.03.2026 14:07"
        assert format_datetime("2026-07-01T08:30:00+00:00") == "01.07.2026 10:30"  # CEST
        rendered = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ d }} {{ m }}').render(
            Context({"d": dt.date(2026, 3, 5), "m": moment}))
        assert rendered == "05.03.2026 05.03.2026 05.03.2026 14:07"


def test_the_template_filters():
    template = Template('{% load formatting %}{{ e|quantity:"egfr" }} | {{ b|number:"bsa" }}'
                        ' | {{ c|quantity:"calcium" }} | {{ n|quantity:"bsa" }}')
    context = Context({"e": 71.75434280825972, "b": 1.8399, "c": Decimal("2.410"), "n": None})
    with translation.override("nb"):
        assert template.render(context) == "72 mL/min/1,73 m² | 1,84 | 2,41 mmol/L | —"
    with translation.override("en"):
        assert template.render(context) == "72 mL/min/1.73 m² | 1.84 | 2.41 mmol/L | —"


def test_templates_write_numbers_and_dates_through_the_layer():
    """No template rounds a number its own way (``floatformat``) or writes a date in a format of its
    own: dates are SHORT_DATE_FORMAT / SHORT_DATETIME_FORMAT (dd.mm.åååå [HH:MM]), a weekday before
    it on the papers, a month's name and year over the calendar's month grid, ISO only as machine
    data in a ``data-`` attribute."""
    import re
    from pathlib import Path

    allowed = {"SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "D d.m.Y", "l d.m.Y", "F Y"}
    wrong = []
    for path in sorted((Path(__file__).resolve().parents[2] / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        wrong += [f"{path.name}: floatformat" for _m in re.finditer(r"\|\s*floatformat", text)]
        for match in re.finditer(r"""(data-[\w-]+=")?[^"]{0,40}?\|date:(["'])(.*?)\2""", text):
            if match.group(3) not in allowed and not (match.group(1) and match.group(3) == "Y-m-d"):
                wrong.append(f"{path.name}: date:{match.group(3)}")
    assert wrong == []
