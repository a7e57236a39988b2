"""Forms of the lab pages (patients/views/labs.py): the lab panel (a form for what its results share
and one per analyte row) and the correction and deletion of a stored result. The single-result form
(``LabResultForm``) stays in patients/forms.py with the other record kinds."""

from decimal import Decimal

from crispy_forms.layout import Column, Field, Row
from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import LocalizedDateField
from patients import labcatalogue, models
from patients.forms import DateInput, LoadedVersionMixin, ObservationForm, _helper, loaded_version_field


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def lab_number_field(label, **kwargs):
    """A lab value or limit as typed: decimal comma or point (``localize``), never a browser
    number input (which some locales read «72,5» as 725)."""
    field = forms.DecimalField(label=label, max_digits=10, decimal_places=3, localize=True, **kwargs)
    field.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
    return field


class LabPanelForm(forms.Form):
    """What the results of a lab panel share: the sampling date (today unless changed) and time."""

    date = LocalizedDateField(label=_("Sampled on"), widget=DateInput())
    sampling_time = forms.TimeField(label=_("Sampling time"), required=False, widget=TimeInput(),
                                    help_text=_("Optional. The same for every result of the panel."))

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["date"].initial = timezone.localdate()
        self.helper = _helper(Row(Column("date"), Column("sampling_time")))


class LabPanelRowForm(forms.Form):
    """One analyte's row of the lab panel (its fields prefixed with the analyte code). A row left
    blank is no result; a filled row is one result, validated on its own by the action."""

    value = lab_number_field(_("Value"), required=False)
    isotype = forms.ChoiceField(label=_("M-protein isotype"), required=False,
                                choices=[("", _("isotype")), *models.IsotypeChoice.choices])
    lower_limit = lab_number_field(_("Lower reference limit"), required=False)
    upper_limit = lab_number_field(_("Upper reference limit"), required=False)

    FIELDS = ("value", "isotype", "lower_limit", "upper_limit")

    def __init__(self, *args, analyte, **kwargs):
        super().__init__(*args, prefix=analyte, **kwargs)
        self.analyte = analyte
        self.spec = labcatalogue.ANALYTES[analyte]
        if analyte != "m_protein":
            del self.fields["isotype"]
        name = self.spec.label
        self.fields["value"].label = format_lazy("{} ({})", name, self.spec.unit)
        self.fields["lower_limit"].label = format_lazy("{}: {}", name, _("lower reference limit"))
        self.fields["upper_limit"].label = format_lazy("{}: {}", name, _("upper reference limit"))
        if "isotype" in self.fields:
            self.fields["isotype"].label = format_lazy("{}: {}", name, _("isotype"))
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm" if isinstance(
                field.widget, forms.Select) else "form-control form-control-sm"

    def is_blank(self):
        """Nothing typed in the row (from the submitted data, so also for a row that does not parse)."""
        return not self.is_bound or all(not str(self.data.get(self.add_prefix(name), "")).strip()
                                        for name in self.fields)

    def clean(self):
        cleaned = super().clean()
        if not self.is_blank() and cleaned.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("Enter the value, or clear the row."))
        return cleaned

    def entry(self):
        """The row as the action's ``results`` item."""
        data = self.cleaned_data
        return {"analyte": self.analyte, "value": data["value"], "isotype": data.get("isotype") or "",
                "lower_limit": data["lower_limit"], "upper_limit": data["upper_limit"]}


def _as_typed(number):
    """A stored Decimal without the column's trailing zeros (Decimal("97.500") -> Decimal("97.5"))."""
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


class LabResultCorrectionForm(LoadedVersionMixin, ObservationForm):
    """Correct a stored lab result: value, date, sampling time, isotype and reference limits (the
    analyte stays), with a reason; refused if someone changed the result since the page was loaded."""

    reason = forms.CharField(label=_("Reason for the correction"), max_length=models.REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))
    lock_version = loaded_version_field()

    class Meta:
        model = models.LabResult
        fields = ["date", "sampling_time", "value", "isotype", "lower_limit", "upper_limit"]
        labels = {"date": _("Sampled on")}
        field_classes = {"date": LocalizedDateField}  # read day first (core/forms.py)
        localized_fields = ["value", "lower_limit", "upper_limit"]
        widgets = {"sampling_time": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        spec = self.instance.spec
        self.fields["value"].label = format_lazy("{} ({})", spec.label, spec.unit)
        for name in ("value", "lower_limit", "upper_limit"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
            if not self.is_bound and self.initial.get(name) is not None:
                # as typed, not as stored: "120", never "120,000" (which a reader may take for 120 000)
                self.initial[name] = _as_typed(self.initial[name])
        if self.instance.analyte != "m_protein":
            del self.fields["isotype"]
            first = Row(Column("date"), Column("sampling_time"), Column("value"))
        else:
            first = Row(Column("date"), Column("sampling_time"), Column("value"), Column("isotype"))
        self.fields["lock_version"].initial = self.instance.lock_version
        self.helper = _helper(first, Row(Column("lower_limit"), Column("upper_limit")), Row(Column("reason")),
                              Field("lock_version"))

    def changes(self):
        """The corrected fields as the action's keyword arguments."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class LabResultDeleteForm(LoadedVersionMixin, forms.Form):
    """Delete a mistaken lab result, with a reason (kept in the change log)."""

    reason = forms.CharField(label=_("Reason for deleting"), max_length=models.REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))
    lock_version = loaded_version_field()

    def __init__(self, *args, result, **kwargs):
        super().__init__(*args, prefix="delete", **kwargs)
        self.fields["lock_version"].initial = result.lock_version
        self.helper = _helper(Field("reason"), Field("lock_version"))
