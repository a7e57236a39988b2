"""The release form: today's weight (and height when due), the answers to the protocol's pre-cycle
findings (yes/no, or hours: blank when it does not apply) and a note."""

from decimal import Decimal

from crispy_forms.layout import Field
from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.forms import LocalizedDecimalField
from core.messages import drug_name
from patients.forms import LoadedVersionMixin, _helper, loaded_version_field
from patients.models import REASON_MAX_LENGTH
from regimens.course_schema import HOURS_FINDINGS, YES_NO_FINDINGS
from treatment_course.models import AdministrationOutcome

FINDING_LABELS = {
    "crs_icans_ongoing": _("Ongoing CRS or ICANS?"),
    "infection_ongoing": _("Ongoing infection?"),
    "hours_free_of_crs": _("Hours free of CRS without treatment (blank: no CRS)"),
    "hours_since_last_step_up": _("Hours since the last step-up dose (blank: no step-up dose given yet)"),
}
YES_NO = [("", "—"), ("no", _("no")), ("yes", _("yes"))]


class ReleaseForm(LoadedVersionMixin, forms.Form):
    weight_kg = LocalizedDecimalField(
        label=_("Weight today (kg)"), max_digits=5, decimal_places=1, min_value=Decimal("0.1"),
        error_messages={"required": _("Weigh the patient today: the release needs today's weight.")})
    height_cm = LocalizedDecimalField(label=_("Height (cm), when due"), max_digits=5, decimal_places=1,
                                      required=False, min_value=Decimal("0.1"))
    note = forms.CharField(label=_("Note"), max_length=REASON_MAX_LENGTH, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    lock_version = loaded_version_field()

    def __init__(self, *args, criteria=(), old_labs=False, **kwargs):
        """``old_labs``: a blood test shown is missing or old at the cycle's start, so the release asks for
        its acknowledgement (treatment_course.actions.release_cycle, HAZ-142)."""
        super().__init__(*args, **kwargs)
        acknowledge = []
        if old_labs:
            self.fields["old_labs_acknowledged"] = forms.BooleanField(
                label=_("I release this cycle on the blood tests shown, although some are missing or old"),
                help_text=_("The tests flagged above as missing or old. Or take new blood tests first."),
                required=False)
            acknowledge = [Field("old_labs_acknowledged")]
        findings = list(dict.fromkeys(c["analyte"] for c in criteria if c["analyte"] in FINDING_LABELS))
        for name in findings:
            if name in YES_NO_FINDINGS:
                self.fields[name] = forms.ChoiceField(label=FINDING_LABELS[name], choices=YES_NO)
            else:
                self.fields[name] = LocalizedDecimalField(label=FINDING_LABELS[name], max_digits=6,
                                                          decimal_places=1, required=False, min_value=0)
        self.findings = findings
        self.helper = _helper(Field("weight_kg"), Field("height_cm"), *(Field(n) for n in findings), *acknowledge,
                              Field("note"),
                              Field("lock_version"))

    def answers(self):
        data = self.cleaned_data
        out = {}
        for name in self.findings:
            if name in YES_NO_FINDINGS:
                out[name] = data[name] == "yes"
            elif name in HOURS_FINDINGS and data.get(name) is not None:
                out[name] = float(data[name])
        return out


class AdministrationForm(forms.Form):
    """The nurse's record of one scheduled administration: given (time), given at a reduced dose (dose,
    reason) or not given (reason); a correction names its reason."""

    outcome = forms.ChoiceField(label=_("What happened"), widget=forms.RadioSelect,
                                choices=AdministrationOutcome.choices,
                                error_messages={"required": _("Choose given, given at a reduced dose or not given.")})
    given_time = forms.TimeField(label=_("Time given (today)"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    given_dose = LocalizedDecimalField(label=_("Dose given, when reduced"), max_digits=10, decimal_places=3,
                                       required=False, min_value=Decimal("0.001"))
    reason = forms.CharField(label=_("Reason (not given, reduced dose or correction)"), max_length=REASON_MAX_LENGTH,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("outcome"), Field("given_time"), Field("given_dose"), Field("reason"))


class ConfirmAdministrationForm(forms.Form):
    """The second nurse's confirmation: their own password (and code where signing requires it)."""

    password = forms.CharField(label=_("Your password (second nurse)"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    otp_token = forms.CharField(label=_("Code from your authenticator app"), required=False, max_length=8,
                                widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("password"), Field("otp_token"))
class ProgressionDecisionForm(forms.Form):
    """Confirm or reject a proposed progression; a rejection needs its reason."""

    decision = forms.ChoiceField(label=_("Decision"), choices=[("confirmed", _("Confirm the progression")),
                                                              ("rejected", _("Reject the proposal"))])
    reason = forms.CharField(label=_("Reason (required to reject)"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "rejected" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for rejecting the proposed progression."))
        return data


class ModifyForm(LoadedVersionMixin, forms.Form):
    """The physician's modification of an issued or verified plan (treatment_course/modify.py): what to
    change, the drug, the cycle (from which, for a reduction or a stop), the day of a held dose, the days
    of a delay, and the reason (required)."""

    kind = forms.ChoiceField(
        label=_("What to change"), widget=forms.RadioSelect,
        choices=[("reduce", _("reduce the drug by one dose level from the cycle")),
                 ("stop", _("stop the drug from the cycle")),
                 ("hold", _("hold one dose (drug, cycle and day)")),
                 ("delay", _("delay the cycle by a number of days (the following dates move)"))],
        error_messages={"required": _("What to change: choose reduce, stop, hold or delay.")})
    drug = forms.ChoiceField(label=_("Drug"), required=False)
    cycle = forms.IntegerField(label=_("Cycle"), min_value=1,
                               error_messages={"required": _("Cycle: give the cycle the change applies to.")})
    day = forms.IntegerField(label=_("Day of the cycle (hold)"), required=False, min_value=1)
    days = forms.IntegerField(label=_("Days of delay"), required=False, min_value=1, max_value=365)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Reason: say why the plan is modified.")})
    lock_version = loaded_version_field()

    def __init__(self, *args, drugs=(), cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drug"].choices = [("", "—"), *((d, drug_name(d)) for d in drugs)]
        if cycles:
            self.fields["cycle"].max_value = cycles
            self.fields["cycle"].validators.append(MaxValueValidator(cycles))
        self.helper = _helper(Field("kind"), Field("drug"), Field("cycle"), Field("day"), Field("days"),
                              Field("reason"), Field("lock_version"))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in ("reduce", "stop", "hold") and not data.get("drug"):
            self.add_error("drug", _("Drug: choose the drug to change."))
        if kind == "hold" and data.get("day") is None:
            self.add_error("day", _("Day of the cycle: give the day of the dose that is held."))
        if kind == "delay" and not data.get("days"):
            self.add_error("days", _("Days of delay: give the number of days."))
        return data
