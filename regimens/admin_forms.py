"""The forms of the regimen admin: the protocol form and its inline formsets (each row validated
by the protocol schema, regimens/schema.py), and the forms of the version pages (activate, new
draft, retire)."""

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as SchemaError

from core.locking import StaleEdit, lock_current
from core.messages import drug_name, render
from regimens import schema
from regimens.course_schema import DoseLevels
from regimens.models import Protocol
from regimens.notation import ScheduleSyntaxError, parse_schedule


def _schema_errors(exc: SchemaError) -> list[tuple[str | None, str]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        out.append((loc[0] if loc else None, err["msg"].removeprefix("Value error, ")))
    return out


class ProtocolForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"), required=False, max_length=200,
        help_text=_("Recorded in the draft's history."),
    )
    # Not named lock_version: a model form cannot declare a non-editable model field.
    loaded_lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_lock_version"].initial = self.instance.lock_version

    def _check_lock_version(self, loaded):
        """Lock the stored row until the admin's transaction ends and compare its counter with the
        one the form was loaded with; the model's save then writes only over that version."""
        if loaded is None:
            self.add_error(None, _("The form lacks the version of the record it was loaded with: reload the page."))
            return
        try:
            with transaction.atomic():
                lock_current(Protocol, self.instance.pk, loaded_version=loaded)
        except StaleEdit as exc:
            self.add_error(None, exc)
        else:
            self.instance.lock_version = loaded

    def clean_dose_levels(self):
        """Each drug's levels as the schema takes them (regimens/course_schema.py: DoseLevels): the
        source is required, the doses fall; which drug of the cycles it names is checked with the
        whole protocol (activation)."""
        value = self.cleaned_data.get("dose_levels") or []
        if not isinstance(value, list):
            raise forms.ValidationError(_("Dose levels: give a list of drugs, each with its levels and source."))
        problems = []
        for index, entry in enumerate(value, start=1):
            try:
                DoseLevels.model_validate(entry)
            except SchemaError as exc:
                for where, text in _schema_errors(exc):
                    problems.append(_("Dose levels, entry %(n)s (%(field)s): %(problem)s") % {
                        "n": index, "field": where or "-", "problem": text})
        if problems:
            raise forms.ValidationError(problems)
        return value

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            self._check_lock_version(data.get("loaded_lock_version"))
        if data.get("cycles") and data.get("until_progression"):
            self.add_error("cycles", _("Give planned cycles or until progression, not both."))
        scheduled = self._drugs_on_cycle_days()
        if scheduled and not data.get("cycle_length_days"):
            self.add_error("cycle_length_days", _("Give the cycle length: %(drugs)s are given on days of a cycle.")
                           % {"drugs": ", ".join(scheduled)})
        return data

    def _drugs_on_cycle_days(self):
        """The drugs the submitted drug lines (the inline formset's fields, sent with this form) schedule on
        days of a cycle (not of a phase), named as the library names them: a cycle length is needed then,
        and it is asked for here, at its own field, once."""
        found, index = [], 0
        while f"drug_lines-{index}-drug" in self.data:
            row = {name: self.data.get(f"drug_lines-{index}-{name}", "") for name in ("drug", "schedule", "phase",
                                                                                      "DELETE")}
            if row["drug"] and row["schedule"].strip() and not row["phase"] and not row["DELETE"]:
                found.append(drug_name(row["drug"]))
            index += 1
        return found


class DrugLineFormSet(forms.BaseInlineFormSet):
    """Every drug line must be a valid schema.DrugLine; days within the cycle."""

    def clean(self):
        """Only drafts reach here (an active or retired version is read-only), so a line may still
        lack a dose or days; activation validates the draft as active (every dose, basis, day)."""
        super().clean()
        protocol = self.instance
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            drug = drug_name(data["drug"]) if data.get("drug") else "?"  # as the library names it (cyklofosfamid)
            dose, basis = data.get("dose"), data.get("basis")
            if dose is not None and dose <= 0:
                form.add_error("dose", _("%(drug)s: the dose must be greater than 0.") % {"drug": drug})
            if dose is not None and not basis:
                form.add_error("basis", _("%(drug)s: a dose needs a basis (mg, mg/m2, mg/kg, microgram, g/m2).")
                               % {"drug": drug})
            try:
                blocks = parse_schedule(data.get("schedule") or "")
            except ScheduleSyntaxError as exc:
                form.add_error("schedule", f"{drug}: {render(exc.message)}")
                continue
            length = protocol.cycle_length_days
            if data.get("phase") is None:
                for block in blocks:
                    for day in block.days:
                        if day < 1 or (length and day > length):
                            form.add_error("schedule", _("%(drug)s: day %(day)s is outside the %(length)s-day cycle.")
                                           % {"drug": drug, "day": day, "length": length or "?"})
            for name in ("rounding_step", "rounding_max_deviation_pct", "max_single_dose_mg"):
                if data.get(name) is not None and data[name] <= 0:
                    form.add_error(name, _("%(drug)s: %(field)s must be greater than 0.") % {
                        "drug": drug, "field": form.fields[name].label})


class DoseRuleFormSet(forms.BaseInlineFormSet):
    """Every rule must be a valid schema.DoseRule on a drug line of this protocol."""

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            line = data.get("drug_line")
            if line is not None and self.instance.pk and line.protocol_id != self.instance.pk:
                form.add_error("drug_line", _("Choose a drug line of this protocol."))
            fields = ("kind", "comparison", "threshold", "dose", "omit", "source_text", "boundary_undefined",
                      "boundary_interpretation", "at_boundary", "min_hours_to_next_event")
            values = {name: data.get(name) for name in fields}
            values["comparison"] = values["comparison"] or None
            values["at_boundary"] = values["at_boundary"] or schema.AtBoundary.STANDARD.value
            if values["dose"] is not None and values["dose"] <= 0:
                form.add_error("dose", _("The dose must be greater than 0."))
                continue
            try:
                schema.DoseRule.model_validate(values)
            except SchemaError as exc:
                for field, message in _schema_errors(exc):
                    target = field if field in fields else "threshold" if "threshold" in message else None
                    form.add_error(target if target in form.fields else None, message)


class ActivationForm(forms.Form):
    """The checker's confirmation: own password (and code), and what they saw (hidden)."""

    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)
    otp_token = forms.CharField(label=_("Code from your authenticator app"), required=False, max_length=8,
                                widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                              "inputmode": "numeric"}))
    loaded_lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reviewed_digest = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.SIGNING_REQUIRES_SECOND_FACTOR:
            del self.fields["otp_token"]


class NewDraftForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the new draft"), max_length=200)


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Reason for retiring this version"), max_length=200)
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)
    loaded_lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
