"""Dated observations of a patient: height and weight, lab results, bone marrow, imaging,
cytogenetics, POEMS findings and the clinical status."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import format_number
from core.locking import VersionedModel
from guidelines import limits
from guidelines.facts import ENDOCRINOPATHIES, Del1p32, Frailty, Isotype, Plasmacytoma
from patients import labcatalogue
from patients.fields import CodeListField
from patients.freshness import PatientRecord
from patients.models.common import NOTE_MAX_LENGTH, bounded_text, change_log, guideline_choices, not_in_future
from patients.models.patient import Patient


class Observation(PatientRecord):
    """Common part of every dated record of a patient."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, verbose_name=_("patient"))
    date = models.DateField(_("date"), validators=[not_in_future])

    # The fields of a record of findings, each blank when not assessed: at least one must be
    # entered, else NOTHING_ENTERED is the error (none: no such rule).
    FINDINGS = ()
    NOTHING_ENTERED = _("Enter at least one finding.")

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.date}"

    def clean(self):
        if self.date is not None and self.patient_id and self.date < self.patient.birth_date:
            raise ValidationError({"date": _("The date is before the patient's birth date.")})
        if self.FINDINGS and all(getattr(self, f) in (None, "") for f in self.FINDINGS):
            raise ValidationError(self.NOTHING_ENTERED, code="nothing_entered")
        errors = self.value_errors()
        if errors:
            raise ValidationError(errors)

    def value_errors(self):
        """{field: message} of what this kind of record refuses in the values entered."""
        return {}


class HeightWeight(Observation):
    """Height and/or weight measured on one day (either may be measured alone)."""

    height_cm = models.DecimalField(_("height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=1, null=True, blank=True)
    history = change_log()

    FINDINGS = ("height_cm", "weight_kg")
    NOTHING_ENTERED = _("Enter a height, a weight or both.")
    # The accepted ranges of guidelines/limits.py, shared with the API schemas.
    HEIGHT_RANGE = (limits.HEIGHT_CM.low, limits.HEIGHT_CM.high)
    WEIGHT_RANGE = (limits.WEIGHT_KG.low, limits.WEIGHT_KG.high)

    class Meta(Observation.Meta):
        verbose_name = _("height and weight")
        verbose_name_plural = _("heights and weights")

    def value_errors(self):
        errors = {}
        if self.height_cm is not None and not self.HEIGHT_RANGE[0] <= self.height_cm <= self.HEIGHT_RANGE[1]:
            errors["height_cm"] = _(
                "%(value)s cm is not a plausible adult height (%(range)s). Enter the height in centimetres."
            ) % {"value": format_number(self.height_cm), "range": limits.HEIGHT_CM.text}
        if self.weight_kg is not None and not self.WEIGHT_RANGE[0] <= self.weight_kg <= self.WEIGHT_RANGE[1]:
            errors["weight_kg"] = _(
                "%(value)s kg is not a plausible adult weight (%(range)s). Enter the weight in kilograms."
            ) % {"value": format_number(self.weight_kg), "range": limits.WEIGHT_KG.text}
        return errors


IsotypeChoice = guideline_choices("IsotypeChoice", Isotype, {Isotype.LIGHT_CHAIN: _("light chain only")},
                                  module=__name__)


class LabResult(Observation, VersionedModel):
    """One result of one analyte from the fixed catalogue (patients/labcatalogue.py),
    in the catalogue's unit, with the reference limits it was reported with.

    A result is corrected or deleted only with a reason (patients/actions/records.py), so the
    old value stays in its history; ``lock_version`` refuses a correction made from a stale page
    (core/locking.py). Of several results of one analyte on one day, the latest sampling time
    counts (``Meta.ordering``, which patients/facts.py reads); a result without a time counts as
    sampled before the timed ones of its day."""

    analyte = models.CharField(_("analyte"), max_length=40, choices=labcatalogue.CHOICES)
    sampling_time = models.TimeField(_("sampling time"), null=True, blank=True)
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
    limits_from_catalogue = models.BooleanField(_("reference limits from the catalogue"), default=False,
                                                editable=False)
    history = change_log()

    class Meta(Observation.Meta):
        verbose_name = _("lab result")
        verbose_name_plural = _("lab results")
        ordering = ["-date", F("sampling_time").desc(nulls_last=True), "-id"]

    def __str__(self):
        return f"{self.spec.label} {self.value} {self.spec.unit} ({self.date})"

    @property
    def spec(self):
        return labcatalogue.ANALYTES[self.analyte]

    def value_errors(self):
        errors = {}
        if self.analyte in labcatalogue.ANALYTES and self.value is not None:
            problem = labcatalogue.check_value(self.analyte, self.value)
            if problem:
                errors["value"] = problem
        if self.isotype and self.analyte != "m_protein":
            errors["isotype"] = _("An isotype belongs to an M-protein result only.")
        if self.lower_limit is not None and self.upper_limit is not None and self.lower_limit > self.upper_limit:
            errors["upper_limit"] = _("The upper reference limit is below the lower one.")
        now = timezone.localtime()
        if self.sampling_time is not None and self.date == now.date() and self.sampling_time > now.time():
            errors["sampling_time"] = _("The sampling time cannot be in the future.")
        return errors


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
        verbose_name_plural = _("bone marrow findings")


PlasmacytomaChoice = guideline_choices("PlasmacytomaChoice", Plasmacytoma, {
    Plasmacytoma.NONE: _("none"), Plasmacytoma.BONE: _("bone"), Plasmacytoma.EXTRAMEDULLARY: _("extramedullary"),
}, module=__name__)


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
    sclerotic_bone_lesion_count = models.PositiveSmallIntegerField(
        _("number of osteosclerotic bone lesions on CT"), null=True, blank=True,
        validators=[MaxValueValidator(200)],
        help_text=_("POEMS: the foci on CT (the Danish guideline: radiotherapy for «≤ 2 (3) foci»)."))
    extramedullary_disease = models.BooleanField(
        _("extramedullary disease (not related to bone)"), null=True, blank=True,
        help_text=_("True extramedullary disease: a plasmacytoma not related to the skeleton (whole-body CT)."))
    plasmacytoma_size_cm = models.DecimalField(
        _("size of the largest plasmacytoma (cm)"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(50)])
    history = change_log()

    FINDINGS = ("lytic_lesions", "mri_focal_lesions", "plasmacytoma", "plasmacytoma_biopsy_proven",
                "plasmacytoma_count", "sclerotic_bone_lesions", "sclerotic_bone_lesion_count", "extramedullary_disease",
                "plasmacytoma_size_cm")

    class Meta(Observation.Meta):
        verbose_name = _("imaging finding")
        verbose_name_plural = _("imaging findings")

    def value_errors(self):
        errors = {}
        if self.plasmacytoma == "none" and self.plasmacytoma_count:
            errors["plasmacytoma_count"] = _("A count of plasmacytomas contradicts “none”.")
        if self.plasmacytoma in ("bone", "extramedullary") and self.plasmacytoma_count == 0:
            errors["plasmacytoma_count"] = _("A plasmacytoma is recorded, so the count cannot be 0.")
        return errors


Del1p32Choice = guideline_choices("Del1p32Choice", Del1p32, {
    Del1p32.NONE: _("none"), Del1p32.MONOALLELIC: _("monoallelic"), Del1p32.BIALLELIC: _("biallelic"),
}, module=__name__)


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
    FINDINGS = (*BOOLEAN_FIELDS, "del1p32")
    NOTHING_ENTERED = _("Enter at least one result.")

    class Meta(Observation.Meta):
        verbose_name = _("cytogenetics result")
        verbose_name_plural = _("cytogenetics results")


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
    FINDINGS = (*BOOLEAN_FIELDS, "endocrinopathy")

    class Meta(Observation.Meta):
        verbose_name = _("POEMS findings")
        verbose_name_plural = _("POEMS findings")

    def value_errors(self):
        if self.endocrinopathy is not None:
            unknown = [e for e in self.endocrinopathy if e not in ENDOCRINOPATHIES]
            if not isinstance(self.endocrinopathy, list) or unknown:
                return {"endocrinopathy": _("Unknown endocrinopathy: %(names)s.") % {
                    "names": ", ".join(map(str, unknown))}}
        return {}


FrailtyChoice = guideline_choices("FrailtyChoice", Frailty, {
    Frailty.FIT: _("fit"), Frailty.UNFIT: _("unfit"), Frailty.FRAIL: _("frail"),
}, module=__name__)


class ClinicalStatus(Observation):
    """The physician's assessment: frailty, transplant contraindication, symptoms
    plausibly caused by the plasma cell disease; blank = not assessed."""

    frailty = models.CharField(_("frailty"), max_length=8, choices=FrailtyChoice.choices, blank=True)
    transplant_contraindication = models.BooleanField(_("contraindication to transplant"), null=True, blank=True)
    symptoms = models.BooleanField(
        _("symptoms plausibly caused by the plasma cell disease"), null=True, blank=True)
    note = bounded_text(_("note"), NOTE_MAX_LENGTH, blank=True)
    history = change_log()

    FINDINGS = ("frailty", "transplant_contraindication", "symptoms")  # the note alone is no assessment
    NOTHING_ENTERED = _("Enter at least one assessment.")

    class Meta(Observation.Meta):
        verbose_name = _("clinical status")
        verbose_name_plural = _("clinical statuses")
