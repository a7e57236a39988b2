"""core/forms.py: a typed number is read the same with a comma or a point, in either language;
what could be read two ways is refused with a message naming the field, never guessed."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from core.forms import DecimalInput, LocalizedDecimalField, LocalizedFloatField, LocalizedIntegerField


class WeightForm(forms.Form):
    weight = LocalizedDecimalField(label="Vekt (kg)", max_digits=5, decimal_places=1)
    dose = LocalizedFloatField(label="Dose", required=False)
    cycles = LocalizedIntegerField(label="Sykluser", required=False)


def cleaned(data, language="nb"):
    with translation.override(language):
        form = WeightForm(data)
        valid = form.is_valid()
    return valid, form


@pytest.mark.hazard("HAZ-056")
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(("typed", "meant"), [
    ("72,5", Decimal("72.5")), ("72.5", Decimal("72.5")), (" 72,5 ", Decimal("72.5")), ("72", Decimal("72")),
    ("72,50", Decimal("72.5")), ("0,5", Decimal("0.5")), (",5", Decimal("0.5")), ("1234,5", Decimal("1234.5")),
], ids=["comma", "point", "spaces-around", "whole", "trailing-zero", "below-one", "no-leading-zero", "four-digits"])
def test_a_decimal_is_read_with_either_separator_in_either_language(language, typed, meant):
    valid, form = cleaned({"weight": typed, "dose": typed}, language)
    assert valid, form.errors
    assert form.cleaned_data["weight"] == meant  # never 725 for «72,5»
    assert form.cleaned_data["dose"] == float(meant)


@pytest.mark.hazard("HAZ-057")
@pytest.mark.parametrize(("typed", "words"), [
    ("1.234,5", "mer enn ett skilletegn"), ("1,234.5", "mer enn ett skilletegn"), ("1 234", "mer enn ett skilletegn"),
    ("1,234", "kan leses på to måter"), ("12.500", "kan leses på to måter"), ("72,5,1", "mer enn ett skilletegn"),
    ("7e2", "er ikke et tall"), ("72,5 kg", "er ikke et tall"), ("١٢", "er ikke et tall"), ("-", "er ikke et tall"),
], ids=["nb-thousands", "en-thousands", "space-thousands", "comma-three-digits", "point-three-digits",
        "two-commas", "exponent", "unit", "other-digits", "sign-only"])
def test_what_could_be_misread_is_refused_in_norwegian_naming_the_field(typed, words):
    valid, form = cleaned({"weight": typed})
    assert not valid
    message = form.errors["weight"][0]
    assert message.startswith("Vekt (kg): «") and words in message, message


def test_the_ambiguous_message_says_how_to_type_each_reading():
    valid, form = cleaned({"weight": "1,234"})
    assert "Skriv 1234 for heltallet, eller 1,2340 for desimaltallet" in form.errors["weight"][0]


def test_a_leading_zero_is_not_ambiguous():
    valid, form = cleaned({"weight": "0,125", "dose": "0.125"})
    assert form.cleaned_data["dose"] == 0.125 and "weight" in form.errors  # 0.125 has three decimals: too many
    assert "desimal" in form.errors["weight"][0]


@pytest.mark.parametrize(("typed", "valid_"), [("6", True), ("6,0", False), ("1,234", False), ("six", False)])
def test_a_whole_number_is_digits_only(typed, valid_):
    valid, form = cleaned({"weight": "72", "cycles": typed})
    assert valid is valid_
    if not valid_:
        assert form.errors["cycles"][0].startswith("Sykluser: «") and "heltall" in form.errors["cycles"][0]
    else:
        assert form.cleaned_data["cycles"] == 6


def test_empty_is_empty():
    valid, form = cleaned({"weight": "72", "dose": "  ", "cycles": ""})
    assert valid and form.cleaned_data["dose"] is None and form.cleaned_data["cycles"] is None


@pytest.mark.hazard("HAZ-056")
def test_the_input_is_text_with_the_decimal_keypad_and_shows_the_readers_separator():
    with translation.override("nb"):
        html = str(WeightForm(initial={"weight": Decimal("72.5")})["weight"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'type="number"' not in html
    assert 'value="72,5"' in html and 'pattern="-?[0-9]*[.,]?[0-9]*"' in html
    with translation.override("en"):
        assert 'value="72.5"' in str(WeightForm(initial={"weight": Decimal("72.5")})["weight"])
    assert DecimalInput.input_type == "text"


@pytest.mark.parametrize(("stored", "nb"), [
    (Decimal("50.0000"), "50"), (Decimal("0.5000"), "0,5"), (Decimal("2.3900"), "2,39"), (Decimal("80.0"), "80"),
], ids=["rounding-step-50", "half", "two-decimals", "whole-weight"])
def test_a_stored_decimal_is_shown_without_its_columns_padding(stored, nb):
    """A rounding step stored as 50.0000 (a 4-decimal column) reads «50» in the admin, not «50,0000»."""
    with translation.override("nb"):
        assert DecimalInput().format_value(stored) == nb
