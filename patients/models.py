"""Patient records, observations, treatment history and plans."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import CUSTOM_PERMISSIONS
from core.locking import VersionedModel
from guidelines import limits
from guidelines.facts import DRUGS, ENDOCRINOPATHIES
from patients import identity, labcatalogue
from patients.fields import CodeListField
from patients.freshness import PatientRecord


class ClinicalRights(models.Model):
    """Holds the app's custom permissions (see accounts/roles.py); has no table. It stays in the
    patients app so that every permission keeps its name ``patients.<codename>`` (docs/adr/0011-layout.md)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = CUSTOM_PERMISSIONS

    def __str__(self):
        return "clinical rights"


# --- Limits of free text ----------------------------------------------------
#
# Every text field a user types into has a limit that the form (``maxlength`` and a message
# on the field) and the model (``full_clean``, so every action) enforce alike; SQLite enforces
# none. tests/patients/test_input_limits.py finds any text field without one.

NAME_MAX_LENGTH = 200
WARD_MAX_LENGTH = 100
REGIMEN_MAX_LENGTH = 100  # a treatment line's regimen, as typed
REASON_MAX_LENGTH = 500  # the reason for a correction, a revision or a cancellation
NOTE_MAX_LENGTH = 2000


def bounded_text(verbose_name, max_length, **kwargs):
    """A TextField with a limit the model enforces too: Django gives a TextField's
    ``max_length`` to its form field only."""
    return models.TextField(verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)],
                            **kwargs)


def change_log(**kwargs):
    """The change log of a model. The reason column is text: an action writes up to
    REASON_MAX_LENGTH characters behind a short prefix ("Cancelled: …"), more than
    django-simple-history's default 100-character column holds (PostgreSQL refuses the
    write; SQLite would keep it only because it ignores the limit)."""
    return HistoricalRecords(history_change_reason_field=models.TextField(null=True), **kwargs)


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


def not_in_future(value):
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


class SexChoice(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


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
    data_token = models.CharField(max_length=32, default=new_data_token, editable=False)
    history = change_log(excluded_fields=["data_token"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("patient")

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


class Observation(PatientRecord):
    """Common part of every dated record of a patient."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT)
    date = models.DateField(_("date"), validators=[not_in_future])

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]

    def clean(self):
        if self.date is not None and self.patient_id and self.date < self.patient.birth_date:
            raise ValidationError({"date": _("The date is before the patient's birth date.")})


class HeightWeight(Observation):
    """Height and/or weight measured on one day (either may be measured alone)."""

    height_cm = models.DecimalField(_("height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1, null=True, blank=True)
    history = change_log()

    # The accepted ranges of guidelines/limits.py, shared with the API schemas.
    HEIGHT_RANGE = (limits.HEIGHT_CM.low, limits.HEIGHT_CM.high)
    WEIGHT_RANGE = (limits.WEIGHT_KG.low, limits.WEIGHT_KG.high)

    class Meta(Observation.Meta):
        verbose_name = _("height and weight")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.date}"

    def clean(self):
        super().clean()
        errors = {}
        if self.height_cm is None and self.weight_kg is None:
            errors["__all__"] = _("Enter a height, a weight or both.")
        if self.height_cm is not None and not self.HEIGHT_RANGE[0] <= self.height_cm <= self.HEIGHT_RANGE[1]:
            errors["height_cm"] = _(
                "%(value)s cm is not a plausible adult height (%(range)s). Enter the height in centimetres."
            ) % {"value": self.height_cm, "range": limits.HEIGHT_CM.text}
        if self.weight_kg is not None and not self.WEIGHT_RANGE[0] <= self.weight_kg <= self.WEIGHT_RANGE[1]:
            errors["weight_kg"] = _(
                "%(value)s kg is not a plausible adult weight (%(range)s). Enter the weight in kilograms."
            ) % {"value": self.weight_kg, "range": limits.WEIGHT_KG.text}
        if errors:
            raise ValidationError(errors)


class IsotypeChoice(models.TextChoices):
    IGG = "IgG", "IgG"
    IGA = "IgA", "IgA"
    IGM = "IgM", "IgM"
    IGD = "IgD", "IgD"
    IGE = "IgE", "IgE"
    LIGHT_CHAIN = "light_chain", _("light chain only")


class LabResult(Observation):
    """One result of one analyte from the fixed catalogue (patients/labcatalogue.py),
    in the catalogue's unit, with the reference limits it was reported with."""

    analyte = models.CharField(_("analyte"), max_length=40, choices=labcatalogue.CHOICES)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=3)
    isotype = models.CharField(
        _("M-protein isotype"), max_length=12, choices=IsotypeChoice.choices, blank=True,
        help_text=_("For M-protein only."),
    )
    lower_limit = models.DecimalField(
        _("lower reference limit"), max_digits=10, decimal_places=3, null=True, blank=True,
        help_text=_("As reported by the laboratory; blank: the catalogue's default."),
    )
    upper_limit = models.DecimalField(
        _("upper reference limit"), max_digits=10, decimal_places=3, null=True, blank=True,
        help_text=_("As reported by the laboratory; blank: the catalogue's default."),
    )
    limits_from_catalogue = models.BooleanField(default=False, editable=False)
    history = change_log()

    class Meta(Observation.Meta):
        verbose_name = _("lab result")

    def __str__(self):
        return f"{self.spec.label} {self.value} {self.spec.unit} ({self.date})"

    @property
    def spec(self):
        return labcatalogue.ANALYTES[self.analyte]

    def clean(self):
        super().clean()
        errors = {}
        if self.analyte in labcatalogue.ANALYTES and self.value is not None:
            problem = labcatalogue.check_value(self.analyte, self.value)
            if problem:
                errors["value"] = problem
        if self.isotype and self.analyte != "m_protein":
            errors["isotype"] = _("An isotype belongs to an M-protein result only.")
        if self.lower_limit is not None and self.upper_limit is not None and self.lower_limit > self.upper_limit:
            errors["upper_limit"] = _("The upper reference limit is below the lower one.")
        if errors:
            raise ValidationError(errors)


def percent_validators():
    return [MinValueValidator(0), MaxValueValidator(100)]


class MarrowFinding(Observation):
    """Bone marrow examination: clonal plasma cells in % (biopsy or smear)."""

    clonal_plasma_cells_pct = models.DecimalField(
        _("clonal plasma cells (%)"), max_digits=5, decimal_places=1, validators=percent_validators(),
    )
    history = change_log()

    class Meta(Observation.Meta):
        verbose_name = _("bone marrow finding")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.date}"


class PlasmacytomaChoice(models.TextChoices):
    NONE = "none", _("none")
    BONE = "bone", _("bone")
    EXTRAMEDULLARY = "extramedullary", _("extramedullary")


class ImagingFinding(Observation):
    """Skeletal imaging (low-dose CT / X-ray, whole-body MRI); blank = not assessed."""

    lytic_lesions = models.PositiveSmallIntegerField(
        _("osteolytic lesions ≥ 5 mm (low-dose CT / X-ray)"), null=True, blank=True,
        help_text=_("Not counting a biopsied plasmacytoma."),
    )
    mri_focal_lesions = models.PositiveSmallIntegerField(
        _("focal lesions ≥ 5 mm on whole-body MRI"), null=True, blank=True,
    )
    plasmacytoma = models.CharField(
        _("plasmacytoma"), max_length=16, choices=PlasmacytomaChoice.choices, blank=True,
    )
    plasmacytoma_biopsy_proven = models.BooleanField(_("plasmacytoma biopsy-proven"), null=True, blank=True)
    plasmacytoma_count = models.PositiveSmallIntegerField(_("number of plasmacytomas"), null=True, blank=True)
    sclerotic_bone_lesions = models.BooleanField(_("sclerotic bone lesions"), null=True, blank=True)
    history = change_log()

    class Meta(Observation.Meta):
        verbose_name = _("imaging finding")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.date}"

    def clean(self):
        super().clean()
        errors = {}
        if self.plasmacytoma == "none" and self.plasmacytoma_count:
            errors["plasmacytoma_count"] = _("A count of plasmacytomas contradicts “none”.")
        if self.plasmacytoma in ("bone", "extramedullary") and self.plasmacytoma_count == 0:
            errors["plasmacytoma_count"] = _("A plasmacytoma is recorded, so the count cannot be 0.")
        fields = ("lytic_lesions", "mri_focal_lesions", "plasmacytoma", "plasmacytoma_biopsy_proven",
                  "plasmacytoma_count", "sclerotic_bone_lesions")
        if all(getattr(self, f) in (None, "") for f in fields):
            errors["__all__"] = _("Enter at least one finding.")
        if errors:
            raise ValidationError(errors)


class Del1p32Choice(models.TextChoices):
    NONE = "none", _("none")
    MONOALLELIC = "monoallelic", _("monoallelic")
    BIALLELIC = "biallelic", _("biallelic")


class CytogeneticsResult(Observation):
    """FISH of bone marrow and TP53 mutation analysis; blank = not analysed."""

    del17p = models.BooleanField("del(17p)", null=True, blank=True)
    tp53_mutation = models.BooleanField(_("TP53 mutation"), null=True, blank=True)
    t4_14 = models.BooleanField("t(4;14)", null=True, blank=True)
    t14_16 = models.BooleanField("t(14;16)", null=True, blank=True)
    t14_20 = models.BooleanField("t(14;20)", null=True, blank=True)
    t11_14 = models.BooleanField("t(11;14)", null=True, blank=True)
    gain1q = models.BooleanField(_("gain(1q)/amp(1q)"), null=True, blank=True)
    del1p32 = models.CharField("del(1p32)", max_length=12, choices=Del1p32Choice.choices, blank=True)
    history = change_log()

    BOOLEAN_FIELDS = ("del17p", "tp53_mutation", "t4_14", "t14_16", "t14_20", "t11_14", "gain1q")

    class Meta(Observation.Meta):
        verbose_name = _("cytogenetics result")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.date}"

    def clean(self):
        super().clean()
        if all(getattr(self, f) is None for f in self.BOOLEAN_FIELDS) and not self.del1p32:
            raise ValidationError(_("Enter at least one result."))


class PoemsFindings(Observation):
    """Clinical findings for the POEMS criteria (POEMS guideline, Diagnostiske kriterier);
    blank = not assessed."""

    polyneuropathy = models.BooleanField(_("polyneuropathy"), null=True, blank=True)
    polyneuropathy_severe_rapidly_progressive = models.BooleanField(
        _("polyneuropathy severe or rapidly progressive"), null=True, blank=True)
    demyelinating_neuropathy_suspected_cidp = models.BooleanField(
        _("demyelinating neuropathy / suspected CIDP"), null=True, blank=True)
    castleman = models.BooleanField(_("Castleman disease"), null=True, blank=True)
    organomegaly = models.BooleanField(_("organomegaly (spleen, liver, lymph nodes)"), null=True, blank=True)
    extravascular_volume_overload = models.BooleanField(
        _("oedema, pleural effusion or ascites"), null=True, blank=True)
    endocrinopathy = CodeListField(
        _("endocrinopathy"), null=True, blank=True,
        help_text=_("Blank: not assessed; an empty list: assessed, none found."),
    )
    skin_changes = models.BooleanField(_("skin changes"), null=True, blank=True)
    papilledema = models.BooleanField(_("papilloedema"), null=True, blank=True)
    thrombocytosis_or_polycythemia = models.BooleanField(_("thrombocytosis or polycythaemia"), null=True, blank=True)
    refractory_ascites = models.BooleanField(_("refractory ascites"), null=True, blank=True)
    gynecomastia = models.BooleanField(_("gynaecomastia"), null=True, blank=True)
    history = change_log()

    BOOLEAN_FIELDS = (
        "polyneuropathy", "polyneuropathy_severe_rapidly_progressive", "demyelinating_neuropathy_suspected_cidp",
        "castleman", "organomegaly", "extravascular_volume_overload", "skin_changes", "papilledema",
        "thrombocytosis_or_polycythemia", "refractory_ascites", "gynecomastia",
    )

    class Meta(Observation.Meta):
        verbose_name = _("POEMS findings")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.date}"

    def clean(self):
        super().clean()
        if self.endocrinopathy is not None:
            unknown = [e for e in self.endocrinopathy if e not in ENDOCRINOPATHIES]
            if not isinstance(self.endocrinopathy, list) or unknown:
                raise ValidationError({"endocrinopathy": _("Unknown endocrinopathy: %(names)s.") % {
                    "names": ", ".join(map(str, unknown))}})
        if all(getattr(self, f) is None for f in self.BOOLEAN_FIELDS) and self.endocrinopathy is None:
            raise ValidationError(_("Enter at least one finding."))


class ResponseChoice(models.TextChoices):
    MRD_NEGATIVE_CR = "MRD_NEGATIVE_CR", _("MRD-negative CR")
    SCR = "SCR", "sCR"
    CR = "CR", "CR"
    VGPR = "VGPR", "VGPR"
    PR = "PR", "PR"
    MR = "MR", "MR"
    SD = "SD", "SD"
    PD = "PD", "PD"
    NOT_EVALUABLE = "NOT_EVALUABLE", _("not evaluable")


def validate_drugs(value):
    unknown = [d for d in value or [] if d not in DRUGS]
    if not isinstance(value, list) or unknown:
        raise ValidationError(_("Unknown drug name: %(names)s.") % {"names": ", ".join(map(str, unknown))})


class TreatmentLine(PatientRecord, VersionedModel):
    """One line of treatment (regimen, drugs, dates, best response, refractoriness)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT)
    line = models.PositiveSmallIntegerField(_("line"), validators=[MinValueValidator(1), MaxValueValidator(20)])
    regimen = models.CharField(_("regimen"), max_length=REGIMEN_MAX_LENGTH, help_text=_("A regimen code or free text."))
    drugs = CodeListField(_("drugs"), default=list, validators=[validate_drugs])
    start_date = models.DateField(_("start date"), validators=[not_in_future])
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
    months_from_transplant_to_progression = models.DecimalField(
        _("months from transplant to progression"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    history = change_log()

    class Meta:
        ordering = ["line"]
        verbose_name = _("treatment line")
        constraints = [models.UniqueConstraint(fields=["patient", "line"], name="unique_line_per_patient")]

    def __str__(self):
        return f"{self.line}. {self.regimen}"

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            raise ValidationError({"line": _("This patient already has a treatment line with this number.")}) from exc

    def clean(self):
        errors = {}
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
        if self.transplant_date and self.start_date and self.transplant_date < self.start_date:
            errors["transplant_date"] = _("The transplant date is before the start of the line.")
        if self.progression_date and self.start_date and self.progression_date < self.start_date:
            errors["progression_date"] = _("The progression date is before the start of the line.")
        if errors:
            raise ValidationError(errors)


class FrailtyChoice(models.TextChoices):
    FIT = "fit", _("fit")
    UNFIT = "unfit", _("unfit")
    FRAIL = "frail", _("frail")


class ClinicalStatus(Observation):
    """The physician's assessment: frailty, transplant contraindication, symptoms
    plausibly caused by the plasma cell disease; blank = not assessed."""

    frailty = models.CharField(_("frailty"), max_length=8, choices=FrailtyChoice.choices, blank=True)
    transplant_contraindication = models.BooleanField(_("contraindication to transplant"), null=True, blank=True)
    symptoms = models.BooleanField(
        _("symptoms plausibly caused by the plasma cell disease"), null=True, blank=True)
    note = bounded_text(_("note"), NOTE_MAX_LENGTH, blank=True)
    history = change_log()

    class Meta(Observation.Meta):
        verbose_name = _("clinical status")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.date}"

    def clean(self):
        super().clean()
        if not self.frailty and self.transplant_contraindication is None and self.symptoms is None:
            raise ValidationError(_("Enter at least one assessment."))


# --- Treatment plans -------------------------------------------------------
#
# A plan is a regimen (the exact protocol version) for one patient from a start
# date. It is drafted, issued (signed by a physician, who re-enters the password
# and acknowledges every flag), verified (countersigned by a pharmacist) and
# then printed. Issuing freezes everything the dosing sheet shows into
# ``snapshot`` (see regimens/sheets.py for its shape); from then on the plan is
# immutable: a change is a new version (``previous``) with a reason, and the old
# one becomes superseded when the new one is issued. Only the actions in
# patients/actions.py move a plan between statuses.


class BsaFormula(models.TextChoices):
    MOSTELLER = "mosteller", "Mosteller"
    DUBOIS = "dubois", "DuBois"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")
    VERIFIED = "verified", _("verified")
    SUPERSEDED = "superseded", _("superseded")
    CANCELLED = "cancelled", _("cancelled")


# A plan's life, the one place of its status rules: each act, the statuses a plan may undergo it
# in, and the status it leads to (None: no change). The actions refuse by it, the pages offer by it
# (``TreatmentPlan.can_issue`` …) and ``TreatmentPlan.save`` allows only its steps.
PLAN_ACTS = {
    "issue": ({PlanStatus.DRAFT}, PlanStatus.ISSUED),
    "verify": ({PlanStatus.ISSUED}, PlanStatus.VERIFIED),
    "revise": ({PlanStatus.ISSUED, PlanStatus.VERIFIED}, None),  # a new draft version; the plan stays
    "supersede": ({PlanStatus.ISSUED, PlanStatus.VERIFIED}, PlanStatus.SUPERSEDED),  # its revision is issued
    "cancel": ({PlanStatus.DRAFT, PlanStatus.ISSUED, PlanStatus.VERIFIED}, PlanStatus.CANCELLED),
    "print": ({PlanStatus.VERIFIED}, None),  # issued and countersigned
    "delete": ({PlanStatus.DRAFT}, None),  # an issued plan is cancelled, never deleted
}
PLAN_TRANSITIONS = {
    status: {to for statuses, to in PLAN_ACTS.values() if to is not None and status in statuses}
    for status in PlanStatus
}

ISSUE_MEANING = "Forordnet / issued"
VERIFY_MEANING = "Kontrollert / verified"


class PlanLocked(ValidationError):
    """A change the plan's status forbids (an issued plan is an immutable snapshot)."""


class TreatmentPlan(PatientRecord, VersionedModel):
    """One regimen for one patient: draft → issued → verified (→ superseded / cancelled)."""

    # Status changes the actions may make (from PLAN_ACTS); anything else is refused by save().
    TRANSITIONS = PLAN_TRANSITIONS
    # Fixed once the plan is issued: what was prescribed, and the issuing signature.
    FROZEN_FIELDS = (
        "patient_id", "protocol_id", "start_date", "cycles", "bsa_formula", "reduced_tolerance", "version",
        "previous_id", "change_reason", "snapshot", "acknowledged_flags", "created_by_id", "created_at",
        "issued_by_id", "issued_at", "issued_meaning",
    )
    # Fixed once set: the countersignature and the cancellation.
    SET_ONCE_FIELDS = (
        "verified_by_id", "verified_at", "verified_meaning", "verified_signature",
        "cancelled_by_id", "cancelled_at", "cancel_reason",
    )

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plans")
    protocol = models.ForeignKey(
        "regimens.Protocol", on_delete=models.PROTECT, related_name="+", verbose_name=_("protocol version"),
    )
    start_date = models.DateField(_("start date"), help_text=_("Cycle 1 day 1 (or the first day of the first phase)."))
    cycles = models.PositiveSmallIntegerField(
        _("cycles"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Blank: the protocol's planned number of cycles."),
    )
    bsa_formula = models.CharField(
        _("BSA formula"), max_length=10, choices=BsaFormula.choices, default=BsaFormula.MOSTELLER,
    )
    reduced_tolerance = CodeListField(
        _("reduced tolerance"), default=list, blank=True,
        help_text=_("Drugs the physician marks for the protocol's reduced-tolerance dose."),
    )
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions",
        verbose_name=_("replaces"),
    )
    change_reason = bounded_text(_("reason for the change"), REASON_MAX_LENGTH, blank=True)
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    acknowledged_flags = models.JSONField(_("acknowledged flags"), default=list, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_meaning = models.CharField(_("meaning of the issuing signature"), max_length=60, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_meaning = models.CharField(_("meaning of the verifying signature"), max_length=60, blank=True)
    verified_signature = models.JSONField(null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = bounded_text(_("reason for cancelling"), REASON_MAX_LENGTH, blank=True)
    history = change_log()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("treatment plan")

    def __str__(self):
        return f"{self.protocol.code} v{self.version} ({self.status})"

    # ----------------------------------------------------------- immutability

    def save(self, *args, **kwargs):
        """Refuses a change to an issued plan's prescription and signatures, and a status change that
        does not come from an action (``_transition``) or is not in ``TRANSITIONS``."""
        if self.pk is not None:
            names = ("status", *self.FROZEN_FIELDS, *self.SET_ONCE_FIELDS)
            stored = type(self).objects.filter(pk=self.pk).values(*names).first()
            if stored is not None:
                self._check_change(stored)
        super().save(*args, **kwargs)
        self._transition = None

    def delete(self, *args, **kwargs):
        if not self.allows("delete"):
            raise PlanLocked(_("An issued plan cannot be deleted: cancel it."), code="locked")
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.version > 1 and not (self.change_reason or "").strip():
            raise ValidationError({"change_reason": _("Give a reason for the change.")})

    def _check_change(self, stored):
        old, new = stored["status"], self.status
        if old != new:
            allowed = self.TRANSITIONS.get(old, set())
            if getattr(self, "_transition", None) != new or new not in allowed:
                raise PlanLocked(
                    _("A plan cannot go from %(old)s to %(new)s here.") % {"old": old, "new": new}, code="status",
                )
        if old != PlanStatus.DRAFT:
            changed = [f for f in self.FROZEN_FIELDS if getattr(self, f) != stored[f]]
            if changed:
                raise PlanLocked(
                    _("An issued plan cannot be changed (%(fields)s): make a revision.")
                    % {"fields": ", ".join(changed)},
                    code="locked",
                )
        changed = [f for f in self.SET_ONCE_FIELDS if stored[f] not in (None, "") and getattr(self, f) != stored[f]]
        if changed:
            raise PlanLocked(_("A signature cannot be changed (%(fields)s).") % {"fields": ", ".join(changed)},
                             code="locked")

    # ----------------------------------------------------------- status rules (PLAN_ACTS)

    def allows(self, act):
        """May the plan, in its status, undergo ``act`` (a key of PLAN_ACTS)?"""
        return self.status in PLAN_ACTS[act][0]

    @property
    def can_issue(self):
        return self.allows("issue")

    @property
    def can_verify(self):
        return self.allows("verify")

    @property
    def can_revise(self):
        return self.allows("revise")

    @property
    def can_cancel(self):
        return self.allows("cancel")

    @property
    def can_print(self):
        return self.allows("print")

    def step(self, act):
        """Move the plan to the status ``act`` leads to (saved by the caller, an action); the
        save refuses a step the status does not allow."""
        self.status = self._transition = PLAN_ACTS[act][1]

    # ----------------------------------------------------------- reading

    @property
    def is_signed(self):
        return self.snapshot is not None

    def on_superseded_protocol_in(self, active_versions):
        """True when the plan was issued on a protocol version that is no longer the active one of its
        code; ``active_versions`` is {code: primary key of its active version} (patients/queries.py)."""
        return self.is_signed and active_versions.get(self.protocol.code) != self.protocol_id

    @property
    def on_superseded_protocol(self):
        """``on_superseded_protocol_in`` with the active version of this plan's code read now."""
        if not self.is_signed:
            return False
        from regimens.models import Protocol

        return self.on_superseded_protocol_in(
            dict(Protocol.objects.active().filter(code=self.protocol.code).values_list("code", "pk")))

    def sheet_snapshot(self):
        """The frozen snapshot with the current status and every signature (the issuing one is frozen
        in the snapshot; the verification is added beside it)."""
        if self.snapshot is None:
            return None
        data = {**self.snapshot}
        data["plan"] = {**data.get("plan", {}), "status": self.status}
        data["signatures"] = [*data.get("signatures", []), *([self.verified_signature]
                                                              if self.verified_signature else [])]
        return data
