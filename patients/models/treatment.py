"""A patient's treatment history: one row per line of treatment."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.locking import VersionedModel
from core.messages import RESPONSE_WORDS
from guidelines import limits
from guidelines.facts import DRUGS, Response
from patients.fields import CodeListField
from patients.freshness import PatientRecord
from patients.models.common import (
    REASON_MAX_LENGTH,
    REGIMEN_MAX_LENGTH,
    bounded_text,
    change_log,
    guideline_choices,
    not_in_future,
)
from patients.models.patient import Patient

ResponseChoice = guideline_choices("ResponseChoice", Response, RESPONSE_WORDS, module=__name__)


class ProgressionInInductionChoice(models.TextChoices):
    """«Primært refraktær sykdom»: where in the induction the disease progressed (contract v1.1,
    ``treatment_history[].progression_in_induction``); blank = not known."""

    EARLY = "early", _("progression early in induction")
    LATE = "late", _("progression late in induction")
    NONE = "none", _("no progression, suboptimal response")


class EndReason(models.TextChoices):
    """Why a line (a course of treatment) ended."""

    PROGRESSION = "progression", _("progression")
    INTOLERANCE = "intolerance", _("intolerance")
    COMPLETED = "completed", _("completed as planned")
    OTHER = "other", _("other")


def validate_drugs(value):
    unknown = [d for d in value or [] if d not in DRUGS]
    if not isinstance(value, list) or unknown:
        raise ValidationError(_("Unknown drug name: %(names)s.") % {"names": ", ".join(map(str, unknown))})


class TreatmentLine(PatientRecord, VersionedModel):
    """One line of treatment (regimen, drugs, dates, best response, refractoriness)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, verbose_name=_("patient"))
    line = models.PositiveSmallIntegerField(_("line"), validators=[MinValueValidator(1), MaxValueValidator(20)])
    regimen = models.CharField(_("regimen"), max_length=REGIMEN_MAX_LENGTH, help_text=_("A regimen code or free text."))
    # blank only on a radiotherapy line (radiotherapy_gy given): clean() asks for the drugs otherwise
    drugs = CodeListField(_("drugs"), default=list, blank=True, validators=[validate_drugs])
    # a line a plan started may start in the future (the plan's cycle 1 day 1): clean() refuses a future
    # start only on a line typed by hand; the rules read a line from its start date (patients/facts.py)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[not_in_future])
    best_response = models.CharField(_("best response"), max_length=16, choices=ResponseChoice.choices, blank=True)
    refractory_to = CodeListField(_("refractory to"), default=list, blank=True, validators=[validate_drugs])
    intolerant_to = CodeListField(_("intolerant to"), default=list, blank=True, validators=[validate_drugs])
    autologous_transplant = models.BooleanField(_("autologous transplant"), null=True, blank=True)
    transplant_date = models.DateField(_("transplant date"), null=True, blank=True, validators=[not_in_future])
    progression_date = models.DateField(
        _("progression date"), null=True, blank=True, validators=[not_in_future],
        help_text=_("When the disease progressed on or after this line (progressive disease, table 8.2), also "
                    "more than 60 days after stopping."),
    )
    progression_in_induction = models.CharField(
        _("progression in induction"), max_length=8, choices=ProgressionInInductionChoice.choices, blank=True,
        help_text=_("Primary refractory disease: early or late in the induction, or no progression but a "
                    "suboptimal response. Leave empty if not known."),
    )
    tandem_transplant_date = models.DateField(
        _("tandem transplant date"), null=True, blank=True, validators=[not_in_future],
        help_text=_("Stem cell reinfusion of the second HMAS (tandem), if given."),
    )
    radiotherapy_gy = models.DecimalField(
        _("radiotherapy (Gy)"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(limits.RADIOTHERAPY_GY.high)],
        help_text=_("Total radiotherapy dose given on this line; for a radiotherapy line the end date is the end "
                    "of the radiotherapy."),
    )
    mrd_negative_months = models.DecimalField(
        _("months in MRD-negative CR"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(limits.MRD_NEGATIVE_MONTHS.low),
                    MaxValueValidator(limits.MRD_NEGATIVE_MONTHS.high)],
        help_text=_("How long the patient has been in MRD-negative CR on this line, as the repeated MRD (EuroFlow) "
                    "shows. Leave empty if not tested."),
    )
    months_from_transplant_to_progression = models.DecimalField(
        _("months from transplant to progression"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    end_reason = models.CharField(_("reason the line ended"), max_length=12, choices=EndReason.choices, blank=True)
    end_note = bounded_text(_("note on the end of the line"), REASON_MAX_LENGTH, blank=True)
    history = change_log()

    class Meta:
        ordering = ["line"]
        verbose_name = _("treatment line")
        verbose_name_plural = _("treatment lines")
        constraints = [models.UniqueConstraint(fields=["patient", "line"], name="unique_line_per_patient")]

    def __str__(self):
        return f"{self.line}. {self.regimen}"

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            raise ValidationError({"line": _("This patient already has a treatment line with this number.")}) from exc

    @property
    def started_by_plan(self):
        """True when an issued treatment plan started this line (the course, patients/actions/course.py)."""
        return getattr(self, "_from_plan", False) or (self.pk is not None and self.plans.exists())

    def clean(self):
        errors = {}
        if self.start_date and not self.started_by_plan:
            try:
                not_in_future(self.start_date)
            except ValidationError as exc:
                errors["start_date"] = exc.messages
        if self.end_reason == EndReason.PROGRESSION and self.end_date and not self.progression_date:
            errors["progression_date"] = _("A line that ended with progression needs the progression date.")
        if self.end_reason and not self.end_date:
            errors["end_date"] = _("A reason for the end needs the end date.")
        if self.start_date and self.patient_id and self.start_date < self.patient.birth_date:
            errors["start_date"] = _("The date is before the patient's birth date.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.autologous_transplant is not True:
            if self.transplant_date:
                errors["transplant_date"] = _("A transplant date needs “autologous transplant: yes”.")
            if self.months_from_transplant_to_progression is not None:
                errors["months_from_transplant_to_progression"] = _(
                    "Months from transplant to progression need “autologous transplant: yes”.")
        if not self.drugs and self.radiotherapy_gy is None:
            errors["drugs"] = _("Choose the drugs of the line, or give the radiotherapy dose for a radiotherapy line.")
        if self.tandem_transplant_date:
            if not self.transplant_date:
                errors["tandem_transplant_date"] = _("A tandem transplant needs the date of the first transplant.")
            elif self.tandem_transplant_date < self.transplant_date:
                errors["tandem_transplant_date"] = _("The tandem transplant is before the first transplant.")
        if self.transplant_date and self.start_date and self.transplant_date < self.start_date:
            errors["transplant_date"] = _("The transplant date is before the start of the line.")
        if self.progression_date and self.start_date and self.progression_date < self.start_date:
            errors["progression_date"] = _("The progression date is before the start of the line.")
        if errors:
            raise ValidationError(errors)
