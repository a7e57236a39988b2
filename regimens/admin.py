"""The regimen library in the Django admin (pharmacists): the four-eyes rule for doses.

- Only a draft can be changed. An active or retired version opens read-only: the
  change view, its inlines and a POST to it save nothing (``has_change_permission`` is
  False for it; regimens/models.py refuses the change below the admin too). "New draft
  from this version" copies it as the next version number: the way to change an active
  version, and the only way to use an older version again (hazard HAZ-020).
- Inlines for phases, drug lines and dose rules; each row is validated by the
  protocol schema (regimens/schema.py) and refused with a message naming the field.
- "Activate…" (patients.activate_protocol) is a page, the only way to activate: it shows
  the draft's differences against the version it replaces (per drug, field, old → new)
  and its schedule for a sample patient, and asks for password and second-factor code.
  The person who made the draft's last change cannot activate it; the checker is
  recorded as ``checked_by`` and ``activated_by`` (hazard HAZ-021, regimens/actions.py).
  There is no bulk activation.
- "Retire…" retires the active version without a successor (reason and password).
- Optimistic locking (core/locking.py): the change form carries the protocol's
  ``lock_version`` as loaded; saving is refused, naming who changed it and when, if
  someone saved the protocol since (the row is locked while the admin saves).
- History: django-simple-history's admin, read-only (core.admin.ReadOnlyHistoryAdmin),
  with the version's differences against its predecessor (regimens/diff.py, the same list the
  activation page shows). The schedule preview for a sample patient works on drafts: it
  computes the draft as it would be activated (hazard HAZ-022).
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as SchemaError

from accounts.roles import ACTIVATE_PROTOCOL, EDIT_PROTOCOLS
from core.admin import ReadOnlyHistoryAdmin
from core.locking import StaleEdit, lock_current
from regimens import actions, dosing, schema
from regimens.diff import protocol_changes
from regimens.formatting import ENGINE, format_number
from regimens.models import DoseRule, DrugLine, Phase, Protocol, ProtocolInvalid
from regimens.notation import ScheduleSyntaxError, parse_schedule
from regimens.presenters import SAMPLE_PATIENT, next_monday, schedule_rows


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

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            self._check_lock_version(data.get("loaded_lock_version"))
        if data.get("cycles") and data.get("until_progression"):
            self.add_error("cycles", _("Give planned cycles or until progression, not both."))
        return data


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
            drug = data.get("drug") or "?"
            dose, basis = data.get("dose"), data.get("basis")
            if dose is not None and dose <= 0:
                form.add_error("dose", _("%(drug)s: the dose must be greater than 0.") % {"drug": drug})
            if dose is not None and not basis:
                form.add_error("basis", _("%(drug)s: a dose needs a basis (mg, mg/m2, mg/kg, microgram, g/m2).")
                               % {"drug": drug})
            try:
                blocks = parse_schedule(data.get("schedule") or "")
            except ScheduleSyntaxError as exc:
                form.add_error("schedule", f"{drug}: {exc}")
                continue
            length = protocol.cycle_length_days
            if data.get("phase") is None:
                for block in blocks:
                    for day in block.days:
                        if day < 1 or (length and day > length):
                            form.add_error("schedule", _("%(drug)s: day %(day)s is outside the %(length)s-day cycle.")
                                           % {"drug": drug, "day": day, "length": length or "?"})
                if blocks and not length:
                    form.add_error("schedule", _("%(drug)s: the protocol has no cycle length.") % {"drug": drug})
            for name in ("rounding_step", "rounding_max_deviation_pct", "max_single_dose_mg"):
                if data.get(name) is not None and data[name] <= 0:
                    form.add_error(name, _("%(drug)s: must be greater than 0.") % {"drug": drug})


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


class DraftOnlyInline:
    """An inline of a protocol version: editable only while the version is a draft."""

    def _draft(self, obj):
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._draft(obj) and super().has_delete_permission(request, obj)


class PhaseInline(DraftOnlyInline, admin.TabularInline):
    model = Phase
    extra = 0


class DrugLineInline(DraftOnlyInline, admin.StackedInline):
    model = DrugLine
    formset = DrugLineFormSet
    extra = 0
    fields = (("ordering", "drug", "atc", "route", "phase"), ("dose", "basis", "times_per_day"), "schedule",
              ("rounding_step", "rounding_max_deviation_pct", "max_single_dose_mg", "min_interval_hours"), "note")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "phase":
            kwargs["queryset"] = Phase.objects.filter(protocol_id=_object_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DoseRuleInline(DraftOnlyInline, admin.StackedInline):
    model = DoseRule
    formset = DoseRuleFormSet
    extra = 0
    fields = (("ordering", "drug_line", "kind", "comparison", "threshold", "dose", "omit"), "source_text",
              ("boundary_undefined", "at_boundary", "boundary_interpretation"), "min_hours_to_next_event")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "drug_line":
            kwargs["queryset"] = DrugLine.objects.filter(protocol_id=_object_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _object_id(request):
    match = request.resolver_match
    return match.kwargs.get("object_id") if match else None


# ------------------------------------------------------------------ forms of the version pages


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


def _add_errors(form, exc):
    """A refusal from an action onto the form: errors naming a field of the form go to it."""
    if hasattr(exc, "error_dict") and not set(exc.error_dict) <= set(form.fields):
        for messages_ in exc.message_dict.values():
            for message in messages_:
                form.add_error(None, message)
        return
    form.add_error(None, exc)


# ------------------------------------------------------------------ differences, labelled

SECTION_MODELS = {"protocol": Protocol, "phase": Phase, "drug": DrugLine, "rule": DoseRule}


def _display(value):
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, float):
        return format_number(value, **ENGINE)
    return str(value)


def change_rows(changes):
    """The differences for a template: where (drug, phase or the protocol), field label, old, new."""
    rows = []
    for change in changes:
        if change.field in ("added", "removed"):
            label = gettext("added") if change.field == "added" else gettext("removed")
        else:
            label = str(SECTION_MODELS[change.section]._meta.get_field(change.field).verbose_name)
        if change.rule is not None:
            label = gettext("rule %(n)s: %(field)s") % {"n": change.rule, "field": label}
        where = change.where or gettext("protocol")
        if change.section == "phase":
            where = gettext("phase %(name)s") % {"name": change.where}
        rows.append({"where": where, "field": label, "old": _display(change.old), "new": _display(change.new),
                     "section": change.section})
    return rows


def version_changes(protocol):
    """``protocol`` against its predecessor (Protocol.predecessor): (predecessor, rows, error)."""
    previous = protocol.predecessor()
    try:
        rows = change_rows(protocol_changes(previous.parsed_data() if previous else None, protocol.parsed_data()))
    except ProtocolInvalid as exc:
        return previous, [], str(exc)
    return previous, rows, ""


def schedule_preview(protocol):
    """The schedule of ``protocol`` for the sample patient, a draft computed as it would be activated
    (every dose, basis and day required; the engine otherwise refuses drafts, rightly, for patients)."""
    start = next_monday(dt.date.today())
    context = {"patient": SAMPLE_PATIENT, "start_date": start}
    try:
        proto = protocol.parsed(as_status=schema.Status.ACTIVE)
        cycles = proto.cycles or (1 if proto.drugs else None)
        result = dosing.calculate_schedule(proto, SAMPLE_PATIENT, start_date=start, cycles=cycles)
        context.update(schedule=result, rows=schedule_rows(result), bsa=format_number(result.bsa_m2, **ENGINE))
    except dosing.DosingError as exc:
        context["error"] = f"{exc.field}: {exc.message}"
    except ProtocolInvalid as exc:
        context["error"] = (gettext("Not complete yet: %(problems)s") % {"problems": exc.problems}
                            if exc.incomplete else str(exc))
    return context


def _who(record):
    if record is None:
        return {"who": gettext("unknown"), "when": None}
    user = record.history_user
    return {"who": (user.get_full_name() or user.get_username()) if user else gettext("the system"),
            "when": timezone.localtime(record.history_date)}


@admin.register(Protocol)
class ProtocolAdmin(ReadOnlyHistoryAdmin):
    form = ProtocolForm
    list_display = ("code", "version", "name", "status", "setting", "checked_by", "activated_by", "activated_at",
                    "edited")
    list_filter = ("status", "setting")
    search_fields = ("code", "name")
    inlines = (PhaseInline, DrugLineInline, DoseRuleInline)
    object_history_template = "admin/regimens/protocol/object_history.html"
    # No bulk actions: activation is a page per version (the check needs its differences), and a
    # bulk deletion would meet the draft rule (regimens/models.py) without a message.
    actions = None
    readonly_fields = ("version", "status", "checked_by", "activated_by", "activated_at", "seed_hash", "edited",
                       "preview_link")
    fieldsets = (
        (None, {"fields": ("code", "name", "version", "status", "preview_link", "change_reason",
                           "loaded_lock_version")}),
        (_("Treatment"), {"fields": ("setting", "line", "cycle_length_days", "cycles", "until_progression",
                                      "premedication", "supportive_care", "reimbursement", "ambiguities")}),
        (_("Source and review"), {"fields": ("source_document", "source_section", "source_table", "authored_by",
                                            "checked_by", "review_date", "activated_by", "activated_at",
                                            "seed_hash", "edited")}),
    )

    @admin.display(description=_("Schedule preview"))
    def preview_link(self, obj):
        if not obj or not obj.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("admin:regimens_protocol_preview", args=[obj.pk]),
                           _("Preview the schedule for a sample patient"))

    # ------------------------------------------------------------ only a draft can be changed

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm(EDIT_PROTOCOLS)

    def has_change_permission(self, request, obj=None):
        """False for an active or retired version: Django then shows it read-only (inlines too)
        and answers a POST to its change view with 403, saving nothing."""
        allowed = super().has_change_permission(request, obj) and request.user.has_perm(EDIT_PROTOCOLS)
        return allowed and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def has_activate_permission(self, request):
        return request.user.has_perm(ACTIVATE_PROTOCOL)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not obj.is_draft:  # read-only: no form-only fields
            return [(name, {**options, "fields": tuple(f for f in options["fields"]
                                                         if f not in ("change_reason", "loaded_lock_version"))})
                    for name, options in self.fieldsets]
        return super().get_fieldsets(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        protocol = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if protocol is not None:
            extra.update(
                is_draft=protocol.is_draft,
                can_activate=protocol.is_draft and self.has_activate_permission(request),
                can_new_draft=self.has_add_permission(request),
                can_retire=protocol.is_active and self.has_activate_permission(request),
                last_change=_who(protocol.last_change()),
            )
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = actions.next_version(obj.code)
            obj.status = Protocol.Status.DRAFT
        obj.edited = True
        reason = form.cleaned_data.get("change_reason") or ""
        obj._change_reason = reason or ("created in the admin" if not change else "edited in the admin")
        super().save_model(request, obj, form, change)

    # ------------------------------------------------------------ version pages

    def get_urls(self):
        def page(name, view):
            return path(f"<int:pk>/{name}/", self.admin_site.admin_view(view),
                        name=f"regimens_protocol_{name.replace('-', '_')}")

        return [
            page("preview", self.preview_view),
            page("activate", self.activate_view),
            page("new-draft", self.new_draft_view),
            page("retire", self.retire_view),
            *super().get_urls(),
        ]

    def _page(self, request, protocol, title, template, **context):
        return TemplateResponse(request, f"admin/regimens/protocol/{template}", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": protocol,
            "title": title, **context,
        })

    def preview_view(self, request, pk):
        protocol = get_object_or_404(Protocol, pk=pk)
        if not self.has_view_or_change_permission(request, protocol):
            raise PermissionDenied
        return self._page(request, protocol, _("Schedule preview: %(protocol)s") % {"protocol": protocol},
                          "preview.html", **schedule_preview(protocol))

    def activate_view(self, request, pk):
        """GET: what the checker checks (differences against the version it replaces, schedule
        preview, who made the last change); POST: the check itself (actions.activate_protocol)."""
        protocol = get_object_or_404(Protocol, pk=pk)
        if not self.has_activate_permission(request):
            raise PermissionDenied
        form = ActivationForm(request.POST or None, initial={
            "loaded_lock_version": protocol.lock_version, "reviewed_digest": protocol.content_digest()})
        refusal = ""
        if not protocol.is_draft:
            refusal = gettext("%(code)s version %(version)s is %(status)s: only a draft can be activated. To use "
                              "this version again, start a new draft from it.") % {
                "code": protocol.code, "version": protocol.version, "status": protocol.get_status_display()}
        else:
            try:
                actions.check_second_person(protocol, request.user)
            except ValidationError as exc:
                refusal = " ".join(exc.messages)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with ProtocolInvalid.raised_for(protocol):  # the action validates it as active
                    activated = actions.activate_protocol(
                        protocol=protocol, by=request.user, password=data["password"],
                        otp_token=data.get("otp_token"), reviewed_digest=data["reviewed_digest"],
                        loaded_version=data["loaded_lock_version"])
            except ProtocolInvalid as exc:
                form.add_error(None, gettext("%(protocol)s cannot be activated: %(problems)s") % {
                    "protocol": protocol, "problems": exc.problems})
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                self.message_user(request, gettext("%(protocol)s activated, checked by %(name)s.") % {
                    "protocol": f"{activated.code} v{activated.version}", "name": activated.checked_by},
                    messages.SUCCESS)
                return redirect("admin:regimens_protocol_change", activated.pk)
        previous, changes, changes_error = version_changes(protocol)
        return self._page(
            request, protocol, _("Activate %(protocol)s") % {"protocol": protocol}, "activate.html",
            form=form, refusal=refusal, previous=previous, changes=changes, changes_error=changes_error,
            last_change=_who(protocol.last_change()), preview=schedule_preview(protocol),
        )

    def new_draft_view(self, request, pk):
        """A copy of this version (any status) as the next version number, a draft."""
        protocol = get_object_or_404(Protocol, pk=pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = NewDraftForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                with ProtocolInvalid.raised_for(protocol):  # the copy is validated as a draft
                    draft = actions.create_draft_from(protocol=protocol, by=request.user,
                                                      reason=form.cleaned_data["reason"])
            except ProtocolInvalid as exc:
                form.add_error(None, exc.problems)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                self.message_user(request, gettext(
                    "Draft version %(version)s created from version %(source)s; version %(source)s is unchanged. "
                    "Change the draft, then a second pharmacist activates it.") % {
                    "version": draft.version, "source": protocol.version}, messages.SUCCESS)
                return redirect("admin:regimens_protocol_change", draft.pk)
        return self._page(request, protocol, _("New draft from %(protocol)s") % {"protocol": protocol},
                          "new_draft.html", form=form, next_version=actions.next_version(protocol.code))

    def retire_view(self, request, pk):
        protocol = get_object_or_404(Protocol, pk=pk)
        if not self.has_activate_permission(request):
            raise PermissionDenied
        form = RetireForm(request.POST or None, initial={"loaded_lock_version": protocol.lock_version})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                actions.retire_protocol(protocol=protocol, by=request.user, password=data["password"],
                                        reason=data["reason"], loaded_version=data["loaded_lock_version"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                self.message_user(request, gettext("%(protocol)s retired.") % {
                    "protocol": f"{protocol.code} v{protocol.version}"}, messages.SUCCESS)
                return redirect("admin:regimens_protocol_change", protocol.pk)
        return self._page(request, protocol, _("Retire %(protocol)s") % {"protocol": protocol}, "retire.html",
                          form=form)

    def history_view(self, request, object_id, extra_context=None):
        """simple_history's list, with the version's differences against its predecessor on top."""
        protocol = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if protocol is not None:
            previous, changes, changes_error = version_changes(protocol)
            extra.update(previous=previous, changes=changes, changes_error=changes_error, protocol=protocol)
        return super().history_view(request, object_id, extra_context=extra)
