"""The course's forms (issue 15): ending a plan's course with its reason (patients/actions/course.py)."""

from crispy_forms.layout import Field
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import LocalizedDateField
from core.messages import drug_name
from patients import models
from patients.forms import DateInput, LoadedVersionMixin, _helper, loaded_version_field


class EndCourseForm(LoadedVersionMixin, forms.Form):
    """The physician ends the course: the plan and its treatment line, with the reason."""

    end_reason = forms.ChoiceField(label=_("Why the treatment ends"),
                                   choices=[("", "—"), *models.EndReason.choices])
    end_date = LocalizedDateField(label=_("End date"), widget=DateInput())
    progression_date = LocalizedDateField(label=_("Progression date (with progression)"), required=False,
                                       widget=DateInput())
    intolerant_to = forms.MultipleChoiceField(label=_("Not tolerated (with intolerance)"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note (required with «other»)"), max_length=models.REASON_MAX_LENGTH,
                           required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lock_version = loaded_version_field()

    def __init__(self, *args, drugs=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("end_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["intolerant_to"].choices = [(d, drug_name(d)) for d in drugs]
        names = ["end_reason", "end_date", "progression_date", *(["intolerant_to"] if drugs else []), "note"]
        if not drugs:
            del self.fields["intolerant_to"]
        self.helper = _helper(*(Field(name) for name in names), Field("lock_version"))

    def action_kwargs(self):
        data = self.cleaned_data
        return {"end_reason": data["end_reason"], "end_date": data["end_date"],
                "progression_date": data.get("progression_date"), "intolerant_to": data.get("intolerant_to") or (),
                "note": data.get("note", ""), "loaded_version": data["lock_version"]}
