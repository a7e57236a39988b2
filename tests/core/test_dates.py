"""core/forms.py: a typed date is read day first (dd.mm.åååå, d.m.åååå) or as ISO (åååå-mm-dd: the API
and the tests), the same in both languages; anything else, and a day the calendar does not have, is
refused with a message naming the field, never guessed, never read month first, never rolled over
into the next month (hazard HAZ-135, docs/adr/0027-date-input-as-text.md)."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from core.forms import DateInput, LocalizedDateField, read_date


class StartForm(forms.Form):
    start_date = LocalizedDateField(label="Startdato")
    end_date = LocalizedDateField(label="Sluttdato", required=False)


def cleaned(data, language="nb"):
    with translation.override(language):
        form = StartForm(data)
        valid = form.is_valid()
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    return valid, form, errors


JANUARY_5 = dt.date(2026, 1, 5)


@pytest.mark.hazard("HAZ-135")
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("typed", ["05.01.2026", "5.1.2026", "05.1.2026", "5.01.2026", "2026-01-05", " 05.01.2026 "],
                         ids=["dd.mm.yyyy", "d.m.yyyy", "dd.m.yyyy", "d.mm.yyyy", "iso", "spaces-around"])
def test_a_date_is_read_day_first_or_iso_in_either_language(language, typed):
    valid, form, errors = cleaned({"start_date": typed}, language)
    assert valid, errors
    assert form.cleaned_data["start_date"] == JANUARY_5  # 5 January, never 1 May


@pytest.mark.hazard("HAZ-135")
@pytest.mark.parametrize("typed", ["01.05.2026", "12.11.2026"], ids=["01.05", "12.11"])
def test_a_date_whose_day_could_be_a_month_is_read_day_first_in_english_too(typed):
    """«01.05.2026» is 1 May in Norway; an American reading (5 January) would move a cycle by four months."""
    day, month, year = (int(part) for part in typed.split("."))
    for language in ("nb", "en"):
        valid, form, errors = cleaned({"start_date": typed}, language)
        assert valid and form.cleaned_data["start_date"] == dt.date(year, month, day), (language, errors)


@pytest.mark.hazard("HAZ-135")
@pytest.mark.parametrize("typed", [
    "01/05/2026", "05-01-2026", "05.01.26", "5126", "05012026", "2026-1-5", "2026/01/05", "i dag", "05.01.2026.",
    "5. januar 2026", "05,01,2026", "٠٥.٠١.٢٠٢٦",
], ids=["slashes-month-first?", "dashes-day-first", "two-digit-year", "digits", "no-separators", "iso-single-digits",
        "iso-slashes", "words", "trailing-point", "month-name", "commas", "arabic-digits"])
def test_a_date_in_another_form_is_refused_naming_the_field(typed):
    valid, _form, errors = cleaned({"start_date": typed})
    assert not valid
    assert errors["start_date"] == [
        f"Startdato: skriv datoen som dd.mm.åååå (f.eks. 05.01.2026); «{typed.strip()}» kan ikke leses som en dato."]


@pytest.mark.hazard("HAZ-135")
@pytest.mark.parametrize("typed", ["31.02.2026", "29.02.2026", "31.04.2026", "00.01.2026", "05.13.2026", "05.00.2026",
                                   "32.01.2026", "2026-13-45", "2026-02-30", "01.01.0000"],
                         ids=["31-february", "29-february-2026", "31-april", "day-0", "month-13", "month-0", "day-32",
                              "iso-month-13", "iso-30-february", "year-0"])
def test_a_day_the_calendar_does_not_have_is_refused_never_rolled_over(typed):
    """31.02.2026 is not 3 March; 2026 is no leap year (29.02.2026 does not exist either)."""
    valid, _form, errors = cleaned({"start_date": typed})
    assert not valid
    assert errors["start_date"] == [
        f"Startdato: «{typed}» er ikke en dato i kalenderen (måned 1–12, en dag måneden har); skriv datoen som "
        "dd.mm.åååå (f.eks. 05.01.2026)."]


def test_a_leap_day_of_a_leap_year_is_a_date():
    valid, form, errors = cleaned({"start_date": "29.02.2028"})
    assert valid and form.cleaned_data["start_date"] == dt.date(2028, 2, 29), errors


def test_the_english_message_names_the_field_too():
    valid, _form, errors = cleaned({"start_date": "2026-13-45"}, "en")
    assert not valid
    assert errors["start_date"] == [
        "Startdato: «2026-13-45» is not a date in the calendar (month 1–12, a day the month has); write the date as "
        "dd.mm.yyyy (e.g. 05.01.2026)."]


def test_a_blank_optional_date_is_none_and_a_blank_required_one_is_required():
    valid, form, errors = cleaned({"start_date": "05.01.2026", "end_date": "  "})
    assert valid and form.cleaned_data["end_date"] is None, errors
    valid, _form, errors = cleaned({"start_date": ""})
    assert not valid and list(errors) == ["start_date"]


def test_read_date_without_a_label_names_this_field():
    with translation.override("nb"), pytest.raises(forms.ValidationError) as refused:
        read_date("31.02.2026")
    assert refused.value.messages[0].startswith("Feltet: «31.02.2026» er ikke en dato i kalenderen")


@pytest.mark.hazard("HAZ-135")
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_widget_is_text_and_shows_the_date_day_first_in_either_language(language):
    with translation.override(language):
        html = StartForm(initial={"start_date": JANUARY_5})["start_date"].as_widget()
        typed = StartForm({"start_date": "5.1.2026", "end_date": "2026-01-05"})
        typed_html = typed["start_date"].as_widget() + typed["end_date"].as_widget()
        unreadable = StartForm({"start_date": "31.02.2026"})["start_date"].as_widget()
    assert 'type="text"' in html and 'value="05.01.2026"' in html
    assert 'inputmode="numeric"' in html and 'autocomplete="off"' in html
    assert ('placeholder="dd.mm.åååå"' if language == "nb" else 'placeholder="dd.mm.yyyy"') in html
    assert typed_html.count('value="05.01.2026"') == 2  # shown back as it was read
    assert 'value="31.02.2026"' in unreadable  # shown as typed, beside its error
    assert DateInput.input_type == "text"


def test_the_admin_reads_and_writes_its_date_fields_day_first():
    """The regimen admin's date columns (NUMBER_FIELD_OVERRIDES): the admin's own widget, read by read_date."""
    from django.contrib.admin.widgets import AdminDateWidget
    from django.db import models

    from core.forms import NUMBER_FIELD_OVERRIDES
    from regimens.models import Protocol

    field = Protocol._meta.get_field("review_date").formfield(
        **NUMBER_FIELD_OVERRIDES[models.DateField], widget=AdminDateWidget)
    assert isinstance(field, LocalizedDateField) and isinstance(field.widget, AdminDateWidget)
    with translation.override("en"):
        assert 'value="05.01.2026"' in field.widget.render("review_date", JANUARY_5)
        assert field.clean("05.01.2026") == JANUARY_5
        with pytest.raises(forms.ValidationError):
            field.clean("01/05/2026")
