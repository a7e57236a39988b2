"""Forms for registering patients and recording observations.

Validation lives on the models (field validators and ``clean``), so a form
and an action refuse the same input with the same field-named message; these
forms add widgets, units in labels and the crispy layouts. ``action_kwargs``
gives the keyword arguments of the matching action in patients/actions/. Every number is typed
as text and read with either decimal separator (core/forms.py: «72,5» and «72.5» alike).
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, LocalizedDateField, LocalizedIntegerField, number_formfield
from core.messages import drug_name
from guidelines.facts import DRUGS, ENDOCRINOPATHIES
from patients import models, plans

DRUG_CHOICES = [(d, lazy(drug_name, str)(d)) for d in DRUGS]  # the code, the name in the reader's language
ENDOCRINOPATHY_CHOICES = [
    ("adrenal", _("adrenal")), ("thyroid", _("thyroid")), ("gonadal", _("gonadal")),
    ("parathyroid", _("parathyroid")), ("pancreas", _("pancreas")), ("pituitary", _("pituitary")),
    ("diabetes", _("diabetes")), ("hypothyroidism", _("hypothyroidism")),
]
assert [c for c, _label in ENDOCRINOPATHY_CHOICES] == list(ENDOCRINOPATHIES)


def loaded_version_field():
    """The record's ``lock_version`` when the page was loaded (core/locking.py): the action
    refuses the change if the record was saved by someone else since."""
    return forms.IntegerField(
        widget=forms.HiddenInput, min_value=1,
        error_messages={"required": _("The form lacks the version of the record it was loaded with: reload the "
                                      "page.")},
    )


class LoadedVersionMixin:
    """Shows an error of a hidden field (``lock_version``, a signing form's ``fingerprint``) above
    the form (a hidden field shows none)."""

    HIDDEN_FIELDS = ("lock_version", "fingerprint")

    def full_clean(self):
        super().full_clean()
        for name in self.HIDDEN_FIELDS:
            errors = self._errors.pop(name, None) if self._errors else None
            if errors:
                self.add_error(None, errors)


class CorrectionMixin(LoadedVersionMixin):
    """A correction of a stored record: the form declares ``reason`` and ``lock_version``; this
    fills the loaded version and puts both at the end of the layout."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.lock_version
        self.helper.layout.append(Row(Column("reason")))
        self.helper.layout.append(Field("lock_version"))


def _helper(*layout):
    helper = FormHelper()
    helper.form_tag = False  # the template owns <form> (action, hx-post)
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


class PatientForm(forms.ModelForm):
    national_id = forms.CharField(
        label=_("National identity number"), max_length=14,  # room for a space after the birth date
        help_text=_("11 digits (fødselsnummer or D-number)."),
    )

    class Meta:
        model = models.Patient
        fields = ["name", "national_id", "ward"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_id"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.helper = _helper(Row(Column("name"), Column("national_id"), Column("ward")))

    def clean_national_id(self):
        return "".join(self.cleaned_data["national_id"].split())

    def action_kwargs(self):
        return dict(self.cleaned_data)


class PatientUpdateForm(CorrectionMixin, PatientForm):
    """Correct a patient's name, national identity number or ward: with a reason, refused if
    someone changed the patient since the page was loaded."""

    reason = forms.CharField(label=_("Reason for the change"), max_length=models.REASON_MAX_LENGTH)
    lock_version = loaded_version_field()


class ObservationForm(forms.ModelForm):
    """A dated observation of one patient (the patient comes from the URL). Its forms' ``Meta``
    derive from ``ObservationForm.Meta``: numbers read with either separator (core/forms.py)."""

    class Meta:
        formfield_callback = staticmethod(number_formfield)

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.patient = patient
        if "date" in self.fields:
            self.fields["date"].widget = DateInput()

    def action_kwargs(self):
        return dict(self.cleaned_data)


class HeightWeightForm(ObservationForm):
    class Meta(ObservationForm.Meta):
        model = models.HeightWeight
        fields = ["date", "height_cm", "weight_kg"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Row(Column("date"), Column("height_cm"), Column("weight_kg")))

    def _post_clean(self):
        """A height or weight refused by its field is not also reported as not entered."""
        super()._post_clean()
        if {"height_cm", "weight_kg"} & set(self._errors) and NON_FIELD_ERRORS in self._errors:
            kept = [e for e in self._errors[NON_FIELD_ERRORS].as_data() if e.code != "nothing_entered"]
            if kept:
                self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield")
            else:
                del self._errors[NON_FIELD_ERRORS]


class LabResultForm(ObservationForm):
    class Meta(ObservationForm.Meta):
        model = models.LabResult
        fields = ["date", "analyte", "value", "isotype", "lower_limit", "upper_limit"]
        labels = {"date": _("Sampled on")}
        help_texts = {"value": _("In the unit shown after the analyte.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("date"), Column("analyte"), Column("value")),
            Row(Column("isotype"), Column("lower_limit"), Column("upper_limit")),
        )


class MarrowForm(ObservationForm):
    class Meta(ObservationForm.Meta):
        model = models.MarrowFinding
        fields = ["date", "clonal_plasma_cells_pct"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Row(Column("date"), Column("clonal_plasma_cells_pct")))


class ImagingForm(ObservationForm):
    class Meta(ObservationForm.Meta):
        model = models.ImagingFinding
        fields = [
            "date", "lytic_lesions", "mri_focal_lesions", "plasmacytoma", "plasmacytoma_biopsy_proven",
            "plasmacytoma_count", "sclerotic_bone_lesions", "sclerotic_bone_lesion_count", "extramedullary_disease",
            "plasmacytoma_size_cm",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plasmacytoma"].choices = [("", _("not assessed")), *models.PlasmacytomaChoice.choices]
        self.helper = _helper(
            Row(Column("date"), Column("lytic_lesions"), Column("mri_focal_lesions")),
            Row(Column("plasmacytoma"), Column("plasmacytoma_biopsy_proven"), Column("plasmacytoma_count")),
            Row(Column("sclerotic_bone_lesions"), Column("sclerotic_bone_lesion_count")),
            Row(Column("extramedullary_disease"), Column("plasmacytoma_size_cm")),
        )


class CytogeneticsForm(ObservationForm):
    class Meta(ObservationForm.Meta):
        model = models.CytogeneticsResult
        fields = ["date", *models.CytogeneticsResult.BOOLEAN_FIELDS, "del1p32"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["del1p32"].choices = [("", _("not analysed")), *models.Del1p32Choice.choices]
        self.helper = _helper(
            Row(Column("date")),
            Row(*(Column(name) for name in ("del17p", "tp53_mutation", "t4_14", "t14_16"))),
            Row(*(Column(name) for name in ("t14_20", "t11_14", "gain1q", "del1p32"))),
        )


class PoemsForm(ObservationForm):
    endocrinopathy = forms.MultipleChoiceField(
        label=_("Endocrinopathy"), choices=ENDOCRINOPATHY_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    endocrine_assessed = forms.BooleanField(
        label=_("Endocrine function assessed (tick with no box above: none found)"), required=False,
    )

    class Meta(ObservationForm.Meta):
        model = models.PoemsFindings
        fields = ["date", *models.PoemsFindings.BOOLEAN_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        booleans = models.PoemsFindings.BOOLEAN_FIELDS
        self.helper = _helper(
            Row(Column("date")),
            Row(*(Column(name, css_class="col-md-3") for name in booleans)),
            Fieldset(_("Endocrinopathy"), Field("endocrinopathy"), Field("endocrine_assessed")),
        )

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("endocrinopathy") or []
        self.instance.endocrinopathy = list(chosen) if chosen or cleaned.get("endocrine_assessed") else None
        return cleaned

    def action_kwargs(self):
        kwargs = dict(self.cleaned_data)
        kwargs.pop("endocrine_assessed", None)
        kwargs["endocrinopathy"] = self.instance.endocrinopathy
        return kwargs


class TreatmentLineForm(ObservationForm):
    drugs = forms.MultipleChoiceField(
        label=_("Drugs"), choices=DRUG_CHOICES, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Required, except on a radiotherapy line (give the radiotherapy dose)."),
    )
    refractory_to = forms.MultipleChoiceField(
        label=_("Refractory to"), choices=DRUG_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Progression on or within 60 days of stopping the drug."),
    )
    intolerant_to = forms.MultipleChoiceField(
        label=_("Intolerant to"), choices=DRUG_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
    )

    class Meta(ObservationForm.Meta):
        model = models.TreatmentLine
        fields = [
            "line", "regimen", "drugs", "start_date", "end_date", "best_response", "refractory_to",
            "intolerant_to", "autologous_transplant", "transplant_date", "months_from_transplant_to_progression",
            "progression_date", "progression_in_induction", "tandem_transplant_date", "radiotherapy_gy",
            "mrd_negative_months",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date", "transplant_date", "progression_date", "tandem_transplant_date"):
            self.fields[name].widget = DateInput()
        self.fields["best_response"].choices = [("", _("not evaluated yet")), *models.ResponseChoice.choices]
        self.fields["progression_in_induction"].choices = [("", _("not known")),
                                                           *models.ProgressionInInductionChoice.choices]
        self.helper = _helper(
            Row(Column("line", css_class="col-md-2"), Column("regimen"), Column("start_date"), Column("end_date"),
                Column("progression_date")),
            Row(Column("best_response"), Column("autologous_transplant"), Column("transplant_date"),
                Column("months_from_transplant_to_progression"), Column("progression_in_induction")),
            Row(Column("tandem_transplant_date"), Column("radiotherapy_gy"), Column("mrd_negative_months")),
            Row(Column(Div("drugs")), Column("refractory_to"), Column("intolerant_to")),
        )

    def clean(self):
        cleaned = super().clean()
        line = cleaned.get("line")
        taken = models.TreatmentLine.objects.filter(patient=self.instance.patient, line=line)
        if line is not None and taken.exclude(pk=self.instance.pk).exists():
            self.add_error("line", _("This patient already has a treatment line with this number."))
        drugs = cleaned.get("drugs") or []
        for field in ("refractory_to", "intolerant_to"):
            outside = [d for d in cleaned.get(field) or [] if d not in drugs]
            if outside:
                self.add_error(field, _("Not a drug of this line: %(names)s.") % {"names": ", ".join(outside)})
        return cleaned


class TreatmentLineUpdateForm(CorrectionMixin, TreatmentLineForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=models.REASON_MAX_LENGTH)
    lock_version = loaded_version_field()


class ClinicalStatusForm(ObservationForm):
    class Meta(ObservationForm.Meta):
        model = models.ClinicalStatus
        fields = ["date", "frailty", "transplant_contraindication", "symptoms", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frailty"].choices = [("", _("not assessed")), *models.FrailtyChoice.choices]
        self.helper = _helper(
            Row(Column("date"), Column("frailty"), Column("transplant_contraindication"), Column("symptoms")),
            Row(Column("note")),
        )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or national identity number"), required=False, max_length=100)


class AssessmentDateForm(forms.Form):
    """The date the assessment is made for: facts recorded on or before it count."""

    as_of = LocalizedDateField(label=_("Assessment as of"), required=False, widget=DateInput())

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day is not None:
            models.not_in_future(day)
            if day < self.patient.birth_date:
                raise forms.ValidationError(_("The date is before the patient's birth date."))
        return day

# --- Treatment plans ----------------------------------------------------------

BSA_CHOICES = [("mosteller", "Mosteller"), ("dubois", "DuBois")]


class PlanStartDateMixin:
    """A plan's start date within 1900-01-01 … today + 2 years (patients/plans.py): a date far off
    is a field error, before any dose is computed."""

    def clean_start_date(self):
        return plans.check_start_date(self.cleaned_data["start_date"])


class PlanForm(PlanStartDateMixin, forms.Form):
    """A new plan: regimen (the patient's recommended options first), start date, cycles, BSA
    formula and the drugs marked for reduced tolerance (choices: the chosen regimen's drugs)."""

    regimen = forms.ChoiceField(label=_("Regimen"))
    start_date = LocalizedDateField(label=_("Start date (cycle 1 day 1)"), widget=DateInput())
    cycles = LocalizedIntegerField(
        label=_("Cycles"), required=False, min_value=1, max_value=200,
        help_text=_("Blank: the protocol's planned number of cycles. A regimen given until progression has none: "
                    "say how many cycles to schedule."),
    )
    bsa_formula = forms.ChoiceField(label=_("BSA formula"), choices=BSA_CHOICES, initial="mosteller")
    reduced_tolerance = forms.MultipleChoiceField(
        label=_("Reduced tolerance"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Only drugs with a reduced-tolerance dose or dose levels in the protocol: the reduced-tolerance "
                    "dose, or one dose level below from cycle 1."),
    )

    def __init__(self, *args, regimen_choices, drug_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regimen"].choices = regimen_choices
        self.fields["reduced_tolerance"].choices = [(d, drug_name(d)) for d in drug_choices]
        self.helper = _helper(
            Row(Column("regimen", css_class="col-md-4"), Column("start_date"), Column("cycles"),
                Column("bsa_formula")),
            Row(Column("reduced_tolerance")),
        )

    def action_kwargs(self):
        return dict(self.cleaned_data)


class PlanReviseForm(PlanStartDateMixin, LoadedVersionMixin, forms.Form):
    """A revision of an issued plan: what changes, and why (required)."""

    start_date = LocalizedDateField(label=_("Start date (cycle 1 day 1)"), widget=DateInput())
    cycles = LocalizedIntegerField(label=_("Cycles"), required=False, min_value=1, max_value=200)
    bsa_formula = forms.ChoiceField(label=_("BSA formula"), choices=BSA_CHOICES)
    reduced_tolerance = forms.MultipleChoiceField(
        label=_("Reduced tolerance"), required=False, widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}))
    lock_version = loaded_version_field()

    def __init__(self, *args, drug_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reduced_tolerance"].choices = [(d, drug_name(d)) for d in drug_choices]
        self.helper = _helper(
            Row(Column("start_date"), Column("cycles"), Column("bsa_formula")),
            Row(Column("reduced_tolerance")),
            Row(Column("reason")),
            Field("lock_version"),
        )


def fingerprint_field():
    """The fingerprint of the doses the page showed the signer (patients/plans.py): required, and
    refused when missing with the message of doses that changed since."""
    return forms.CharField(widget=forms.HiddenInput, max_length=64,
                           error_messages={"required": plans.DOSES_CHANGED})


def signature_fields():
    """A signature's password and second-factor code (the code is checked only where signing
    requires the second factor: settings.SIGNING_REQUIRES_SECOND_FACTOR)."""
    return (
        forms.CharField(label=_("Your password (signature)"),
                        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})),
        forms.CharField(label=_("Code from your authenticator app"), required=False, max_length=8,
                        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"})),
    )


class PlanIssueForm(LoadedVersionMixin, forms.Form):
    """The physician's signature: password again, a tick for every flag, and the fingerprint of the
    doses shown."""

    acknowledged_flags = forms.MultipleChoiceField(
        label=_("I have read these points and accept the interpretation used"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    password, otp_token = signature_fields()
    fingerprint = fingerprint_field()
    lock_version = loaded_version_field()

    def __init__(self, *args, flags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledged_flags"].choices = [(f["key"], f["text"]) for f in flags]
        layout = [Field("acknowledged_flags")] if flags else []
        if not flags:
            del self.fields["acknowledged_flags"]
        self.helper = _helper(*layout, Field("password"), Field("otp_token"), Field("fingerprint"),
                              Field("lock_version"))


VERIFY_CHECKS = (
    ("check_identity", _("Patient identity: name and national identity number match the patient.")),
    ("check_measurements", _("Height, weight and BSA (formula) and their dates; eGFR and its date.")),
    ("check_doses", _("Each dose against the protocol: dose per unit, working, rounding and adjustments.")),
    ("check_flags", _("Every flag and the interpretation the physician accepted.")),
    ("check_premedication", _("Premedication and supportive care.")),
)


class PlanVerifyForm(LoadedVersionMixin, forms.Form):
    """The pharmacist's countersignature: each check ticked, password again, and the fingerprint of
    the issued doses shown."""

    password, otp_token = signature_fields()
    fingerprint = fingerprint_field()
    lock_version = loaded_version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in VERIFY_CHECKS:
            self.fields[name] = forms.BooleanField(label=label, required=True)
        self.order_fields([name for name, _label in VERIFY_CHECKS])
        self.helper = _helper(*(Field(name) for name, _label in VERIFY_CHECKS), Field("password"),
                              Field("otp_token"), Field("fingerprint"), Field("lock_version"))


class PlanReturnForm(LoadedVersionMixin, forms.Form):
    """The pharmacist returns an issued plan to the physician instead of verifying it."""

    reason = forms.CharField(label=_("What is wrong (the physician reads this)"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    lock_version = loaded_version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("reason"), Field("lock_version"))


class PlanCancelForm(LoadedVersionMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500)
    lock_version = loaded_version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("reason"), Field("lock_version"))
