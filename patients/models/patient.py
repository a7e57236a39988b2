"""The patient: identity from the national identity number."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.locking import VersionedModel
from guidelines.facts import Sex
from patients import identity
from patients.models.common import NAME_MAX_LENGTH, WARD_MAX_LENGTH, change_log, guideline_choices

# --- Patient records -------------------------------------------------------
#
# Every observation is dated and never overwritten by a newer one: the facts
# builder (patients/facts.py) takes the latest value per field. Boolean and
# count findings are nullable because "not examined" is not "absent".
# Every change is kept by django-simple-history (who, when, old → new, reason).

NATIONAL_ID_MESSAGES = {
    "length": _("A national identity number has exactly 11 digits."),
    "check_digits": _("The check digits do not match: the number is mistyped or not valid."),
    "century": _("The individual number does not fit the birth year: no such number is issued."),
    "date": _("The first six digits are not a valid birth date."),
    "future": _("The national identity number gives a birth date in the future (%(date)s): the number is "
                "mistyped or not valid."),
}


def validate_national_id(value):
    try:
        identity.parse(value, today=timezone.localdate())
    except identity.InvalidNationalId as exc:
        params = {"date": date_format(exc.birth_date, "SHORT_DATE_FORMAT") if exc.birth_date else ""}
        raise ValidationError(NATIONAL_ID_MESSAGES[exc.code], code=exc.code, params=params) from exc


SexChoice = guideline_choices("SexChoice", Sex, {Sex.MALE: _("male"), Sex.FEMALE: _("female")}, module=__name__)


def new_data_token():
    return uuid.uuid4().hex


class Patient(VersionedModel):
    """A registered patient. Birth date and sex are derived from the national
    identity number (patients/identity.py) and never typed separately."""

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    national_id = models.CharField(
        _("national identity number"), max_length=11, unique=True, validators=[validate_national_id],
        help_text=_("11 digits (fødselsnummer or D-number)."),
        error_messages={"unique": _("A patient with this national identity number is already registered.")},
    )
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=6, choices=SexChoice.choices, editable=False)
    ward = models.CharField(_("ward"), max_length=WARD_MAX_LENGTH, blank=True)
    # A new random value at every change of the patient or of any row that refers to the
    # patient (patients/freshness.py): the key of the overview's cached summary. Random, not a
    # counter, so that a value can never come back (a counter could after a restore).
    data_token = models.CharField(_("data token"), max_length=32, default=new_data_token, editable=False)
    history = change_log(excluded_fields=["data_token"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.data_token = new_data_token()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "data_token"}
        return super().save(*args, **kwargs)

    def clean(self):
        try:
            parsed = identity.parse(self.national_id, today=timezone.localdate())
        except identity.InvalidNationalId:
            return  # the field validator reports it
        self.national_id = parsed.number
        self.birth_date = parsed.birth_date
        self.sex = parsed.sex

    def age_on(self, day):
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years
