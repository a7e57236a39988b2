"""Number fields that cannot be misread: every numeric input of the app (the patient record, the
plan forms, the regimen admin) is typed as text and read here, the same in every browser and
language (docs/adr/0013-one-formatting-layer.md; hazards HAZ-056, HAZ-057).

Why not ``<input type="number">``: Chromium with an English locale drops a typed comma, so «72,5»
arrives as 725 (a tenfold weight, a tenfold dose). Here a field is ``<input type="text"
inputmode="decimal">`` (the phone shows the number pad with its separator) and the server reads
«72,5» and «72.5» alike. Refused, with a message naming the field, never guessed:

- a number with two separators («1.234,5», «1,234.5», «1 234»): no thousands separators;
- one separator followed by exactly three digits after one to three digits, not starting with 0
  («1,234», «12.500»): a thousands separator in one language, decimals in the other;
- anything else that is not digits with one separator (exponents, other scripts' digits, words).

``number_formfield`` is the ``formfield_callback`` of a model form (``Meta.formfield_callback``)
and gives these fields for the model's decimal, float and integer columns;
``NUMBER_FIELD_OVERRIDES`` does the same as a ModelAdmin's ``formfield_overrides``.

Dates are typed as text too (``DateInput``, ``LocalizedDateField``; docs/adr/0027-date-input-as-text.md,
hazard HAZ-135): Chromium shows ``<input type="date">`` in the browser's locale (mm/dd/yyyy in an
American browser), so a ward would read and type a date month first. The field shows ``dd.mm.åååå``
in both languages and reads ``dd.mm.åååå``, ``d.m.åååå`` and ISO ``åååå-mm-dd`` (the API and the
tests post ISO); anything else, and a date the calendar does not have (31.02.2026), is refused
naming the field, never guessed or rolled over.
"""

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formatting import format_number

# What a browser lets through before it submits (the server reads it again, strictly): digits
# with at most one comma or point. Written for the HTML pattern attribute (``v`` flag).
DECIMAL_PATTERN = "-?[0-9]*[.,]?[0-9]*"
INTEGER_PATTERN = "-?[0-9]*"

_NUMBER = re.compile(r"^(?P<sign>[+-]?)(?P<whole>[0-9]*)(?:[.,](?P<fraction>[0-9]+))?$")
_AMBIGUOUS = re.compile(r"^[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}$")
_SEPARATORS = re.compile(r"[.,\s\u00a0\u202f']")


class DecimalInput(forms.TextInput):
    """A decimal number typed as text: the decimal keypad on a phone, a comma or a point, the value
    shown in the reader's separator (``72,5`` in bokmål)."""

    is_localized = True

    def __init__(self, attrs=None):
        defaults = {"inputmode": "decimal", "pattern": DECIMAL_PATTERN, "autocomplete": "off",
                    "title": _("A number: digits, with a comma or a point before any decimals (e.g. 72,5).")}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        """A stored decimal without the column's padding zeros: a rounding step of 50 reads «50», not
        «50,0000» (the value itself is unchanged)."""
        if isinstance(value, Decimal) and value.is_finite():
            return format_number(value)
        return super().format_value(value)


class IntegerInput(forms.TextInput):
    """A whole number typed as text (the numeric keypad on a phone)."""

    def __init__(self, attrs=None):
        defaults = {"inputmode": "numeric", "pattern": INTEGER_PATTERN, "autocomplete": "off",
                    "title": _("A whole number (e.g. 6).")}
        super().__init__({**defaults, **(attrs or {})})


def read_number(text, *, label=None, integer=False):
    """The number typed as ``text`` as a plain string Python reads (``"72.5"``), or a ValidationError
    in the reader's language naming the field (``label``). Trailing zeros of the decimals are
    dropped (``72,50`` is 72.5); nothing else is changed."""
    typed = str(text).strip()
    field = str(label) if label else gettext("This field")
    args = {"field": field, "value": typed}
    if integer:
        if not re.fullmatch(r"[+-]?[0-9]+", typed):
            raise ValidationError(
                gettext("%(field)s: «%(value)s» is not a whole number. Type digits only (e.g. 6).") % args,
                code="invalid")
        return typed
    match = _NUMBER.match(typed)
    if match is None or not (match["whole"] or match["fraction"]):
        separators = _SEPARATORS.findall(typed)
        grouped = len(separators) > 1 or any(s != "." and s != "," for s in separators)
        if grouped and re.fullmatch(r"[+-]?[0-9]+", _SEPARATORS.sub("", typed)):
            raise ValidationError(gettext(
                "%(field)s: «%(value)s» has more than one separator. Type the number without a thousands "
                "separator, with a comma or a point before the decimals (e.g. 1234,5).") % args, code="invalid")
        raise ValidationError(gettext(
            "%(field)s: «%(value)s» is not a number. Type digits, with a comma or a point before any decimals "
            "(e.g. 72,5).") % args, code="invalid")
    if _AMBIGUOUS.match(typed):
        raise ValidationError(gettext(
            "%(field)s: «%(value)s» can be read two ways: as %(whole)s (with a thousands separator) or as a "
            "decimal number. Type %(whole)s for the whole number, or %(longer)s for the decimal number.") % {
                **args, "whole": _SEPARATORS.sub("", typed), "longer": typed + "0"}, code="ambiguous")
    whole = match["whole"] or "0"
    fraction = (match["fraction"] or "").rstrip("0")
    return f"{match['sign']}{whole}.{fraction}" if fraction else f"{match['sign']}{whole}"


class _ReadsBothSeparators:
    integer = False

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip() and read_number(value, label=self.label, integer=self.integer)
        return super().to_python(value)


# Django's DecimalValidator messages, naming the field (``%(max)s`` is filled by the validator).
_DIGIT_MESSAGES = {
    "max_decimal_places": _("%(field)s: too many decimals; this field takes %(max)s at most."),
    "max_digits": _("%(field)s: too many digits (at most %(max)s)."),
    "max_whole_digits": _("%(field)s: too many digits before the decimal separator (at most %(max)s)."),
}


def _named(message, field):
    return str(message) % {"field": str(field) if field else gettext("This field"), "max": "%(max)s"}


DATE_DISPLAY_FORMAT = "%d.%m.%Y"  # config/formats/common.py: dd.mm.åååå in both languages
_NORWEGIAN_DATE = re.compile(r"^(?P<day>[0-9]{1,2})\.(?P<month>[0-9]{1,2})\.(?P<year>[0-9]{4})$")
_ISO_DATE = re.compile(r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})$")


class DateInput(forms.DateInput):
    """A date typed as text, shown ``dd.mm.åååå`` whatever the browser's locale (the phone's number
    pad; no browser date picker, which shows the browser's own order)."""

    input_type = "text"

    def __init__(self, attrs=None, **kwargs):
        defaults = {"inputmode": "numeric", "autocomplete": "off", "placeholder": _("dd.mm.yyyy"),
                    "title": _("A date as dd.mm.yyyy (e.g. 05.01.2026).")}
        kwargs.setdefault("format", DATE_DISPLAY_FORMAT)
        super().__init__(attrs={**defaults, **(attrs or {})}, **kwargs)

    def format_value(self, value):
        """A typed date shown back as it was read («5.1.2026» and «2026-01-05» as 05.01.2026, e.g.
        beside another field's error or in the assessment's ``?as_of=``); text it cannot read as typed."""
        if isinstance(value, str):
            try:
                value = read_date(value)
            except ValidationError:
                return value
        return super().format_value(value)


def read_date(text, *, label=None):
    """The date typed as ``text`` (``dd.mm.åååå``, ``d.m.åååå`` or ISO ``åååå-mm-dd``), or a
    ValidationError in the reader's language naming the field (``label``). Never month first, never
    a two-digit year, never a date rolled over into the next month."""
    typed = str(text).strip()
    args = {"field": str(label) if label else gettext("This field"), "value": typed}
    match = _NORWEGIAN_DATE.match(typed) or _ISO_DATE.match(typed)
    if match is None:
        raise ValidationError(gettext(
            "%(field)s: write the date as dd.mm.yyyy (e.g. 05.01.2026); «%(value)s» cannot be read as a date.")
            % args, code="invalid")
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise ValidationError(gettext(
            "%(field)s: «%(value)s» is not a date in the calendar (month 1–12, a day the month has); write the "
            "date as dd.mm.yyyy (e.g. 05.01.2026).") % args, code="invalid_date") from None


class LocalizedDateField(forms.DateField):
    """A date read by ``read_date`` (the widget shows it ``dd.mm.åååå``)."""

    widget = DateInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return read_date(value, label=self.label)


class LocalizedDecimalField(_ReadsBothSeparators, forms.DecimalField):
    """A decimal (a weight, a lab value): «72,5» and «72.5» are 72.5; ambiguous input refused."""

    widget = DecimalInput

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, message in _DIGIT_MESSAGES.items():
            self.error_messages[code] = lazy(_named, str)(message, self.label)


class LocalizedFloatField(_ReadsBothSeparators, forms.FloatField):
    """A float column (a protocol dose, a threshold), read as LocalizedDecimalField reads."""

    widget = DecimalInput


class LocalizedIntegerField(_ReadsBothSeparators, forms.IntegerField):
    """A whole number (cycles, a count, a day): digits only."""

    widget = IntegerInput
    integer = True


def number_formfield(db_field, **kwargs):
    """A model form's ``formfield_callback``: the model's numeric and date columns as the fields above."""
    for column, field_class in ((models.DecimalField, LocalizedDecimalField), (models.FloatField, LocalizedFloatField),
                                (models.IntegerField, LocalizedIntegerField), (models.DateField, LocalizedDateField)):
        if isinstance(db_field, column) and not isinstance(db_field, models.DateTimeField) and not db_field.choices:
            kwargs.setdefault("form_class", field_class)
            kwargs.setdefault("widget", field_class.widget)
            break
    return db_field.formfield(**kwargs)


# ModelAdmin.formfield_overrides: the admin's numeric columns as the fields above; its date columns read
# as LocalizedDateField reads (the admin keeps its own text widget with the calendar, dd.mm.åååå).
NUMBER_FIELD_OVERRIDES = {
    models.DateField: {"form_class": LocalizedDateField},
    models.DecimalField: {"form_class": LocalizedDecimalField, "widget": DecimalInput},
    models.FloatField: {"form_class": LocalizedFloatField, "widget": DecimalInput},
    models.IntegerField: {"form_class": LocalizedIntegerField, "widget": IntegerInput},
}
