"""The regimen library in the Django admin (pharmacists).

- Inlines for phases, drug lines and dose rules; each row is validated by the
  protocol schema (regimens/schema.py) and refused with a message naming the field.
- Saving an edit to an ACTIVE protocol stores a new DRAFT version (with the
  reason given) and leaves the active version unchanged.
- "Activate" needs patients.activate_protocol; it records who and when and
  retires the previously active version.
- Optimistic locking (patients/locking.py): the change form carries the protocol's
  ``lock_version`` as loaded; saving is refused, naming who changed it and when, if
  someone saved the protocol since (the row is locked while the admin saves).
- History: django-simple-history's admin, read-only (config.admin_site.ReadOnlyHistoryAdmin).
  A schedule preview for a sample patient is linked from the change page.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as SchemaError

from config.admin_site import ReadOnlyHistoryAdmin
from patients.locking import StaleEdit, lock_current
from patients.roles import ACTIVATE_PROTOCOL
from regimens import actions, dosing, schema
from regimens.models import DoseRule, DrugLine, Phase, Protocol
from regimens.notation import ScheduleSyntaxError, parse_schedule
from regimens.presenters import SAMPLE_PATIENT, next_monday, number, schedule_rows


def _schema_errors(exc: SchemaError) -> list[tuple[str | None, str]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        out.append((loc[0] if loc else None, err["msg"].removeprefix("Value error, ")))
    return out


class ProtocolForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"), required=False, max_length=200,
        help_text=_("Required when editing an active protocol: the edit becomes a new draft version."),
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
        if self.instance.pk and self.instance.status == Protocol.Status.ACTIVE and not data.get("change_reason"):
            self.add_error("change_reason", _("Give a reason: the edit will become a new draft version."))
        if data.get("cycles") and data.get("until_progression"):
            self.add_error("cycles", _("Give planned cycles or until progression, not both."))
        return data


class DrugLineFormSet(forms.BaseInlineFormSet):
    """Every drug line must be a valid schema.DrugLine; days within the cycle."""

    def clean(self):
        super().clean()
        protocol = self.instance
        draft = protocol.status != Protocol.Status.ACTIVE and protocol.status != Protocol.Status.RETIRED
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
            if not draft and (dose is None or not basis):
                form.add_error("dose", _("%(drug)s: dose and basis are required outside drafts.") % {"drug": drug})
            try:
                blocks = parse_schedule(data.get("schedule") or "")
            except ScheduleSyntaxError as exc:
                form.add_error("schedule", f"{drug}: {exc}")
                continue
            if not blocks and not draft:
                form.add_error("schedule", _("%(drug)s: give the days of administration.") % {"drug": drug})
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


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class DrugLineInline(admin.StackedInline):
    model = DrugLine
    formset = DrugLineFormSet
    extra = 0
    fields = (("ordering", "drug", "atc", "route", "phase"), ("dose", "basis", "times_per_day"), "schedule",
              ("rounding_step", "rounding_max_deviation_pct", "max_single_dose_mg", "min_interval_hours"), "note")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "phase":
            kwargs["queryset"] = Phase.objects.filter(protocol_id=_object_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DoseRuleInline(admin.StackedInline):
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


@admin.register(Protocol)
class ProtocolAdmin(ReadOnlyHistoryAdmin):
    form = ProtocolForm
    list_display = ("code", "version", "name", "status", "setting", "activated_by", "activated_at", "edited")
    list_filter = ("status", "setting")
    search_fields = ("code", "name")
    inlines = (PhaseInline, DrugLineInline, DoseRuleInline)
    actions = ("activate",)
    readonly_fields = ("version", "status", "activated_by", "activated_at", "seed_hash", "edited", "preview_link")
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

    # ------------------------------------------------------------ saving and versions

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason") or ""
        if change and Protocol.objects.filter(pk=obj.pk, status=Protocol.Status.ACTIVE).exists():
            # Saved like any edit, read back as a whole, then rolled back: the active version stays as it was.
            request._regimens_savepoint = transaction.savepoint_create()
            request._regimens_reason = reason
        elif not change:
            obj.version = actions.next_version(obj.code)
            obj.status = Protocol.Status.DRAFT
        obj.edited = True
        obj._change_reason = reason or ("created in the admin" if not change else "edited in the admin")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        savepoint = getattr(request, "_regimens_savepoint", None)
        if savepoint is None:
            return
        data = form.instance.to_schema_data()
        transaction.savepoint_rollback(savepoint)
        form.instance.refresh_from_db()
        request._regimens_new_draft = actions.create_draft_version(data=data, reason=request._regimens_reason)

    def response_change(self, request, obj):
        draft = getattr(request, "_regimens_new_draft", None)
        if draft is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            _("Saved as draft version %(version)s; the active version %(active)s is unchanged. "
              "Activate the draft when it has been checked.") % {"version": draft.version, "active": obj.version},
            messages.SUCCESS,
        )
        return redirect("admin:regimens_protocol_change", draft.pk)

    # ------------------------------------------------------------ activation

    def has_activate_permission(self, request):
        return request.user.has_perm(ACTIVATE_PROTOCOL)

    @admin.action(description=_("Activate the selected version (retires the active one)"), permissions=["activate"])
    def activate(self, request, queryset):
        if not self.has_activate_permission(request):  # pragma: no cover - the admin hides the action
            raise PermissionDenied
        for protocol in queryset:
            try:
                actions.activate_protocol(protocol=protocol, user=request.user)
            except SchemaError as exc:
                problems = "; ".join(f"{f or ''}: {m}" for f, m in _schema_errors(exc))
                self.message_user(request, _("%(protocol)s cannot be activated: %(problems)s")
                                  % {"protocol": protocol, "problems": problems}, messages.ERROR)
            except ScheduleSyntaxError as exc:
                self.message_user(request, f"{protocol}: {exc}", messages.ERROR)
            else:
                self.message_user(request, _("%(protocol)s activated.") % {"protocol": protocol}, messages.SUCCESS)

    # ------------------------------------------------------------ preview

    def get_urls(self):
        return [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="regimens_protocol_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        protocol = get_object_or_404(Protocol, pk=pk)
        if not self.has_view_or_change_permission(request, protocol):
            raise PermissionDenied
        start = next_monday(dt.date.today())
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": protocol,
                   "title": _("Schedule preview: %(protocol)s") % {"protocol": protocol},
                   "patient": SAMPLE_PATIENT, "start_date": start}
        try:
            proto = protocol.to_schema()
            cycles = proto.cycles or (1 if proto.drugs else None)
            result = dosing.calculate_schedule(proto, SAMPLE_PATIENT, start_date=start, cycles=cycles)
            context.update(schedule=result, rows=schedule_rows(result), bsa=number(result.bsa_m2))
        except dosing.DosingError as exc:
            context["error"] = f"{exc.field}: {exc.message}"
        except (SchemaError, ScheduleSyntaxError, ValueError) as exc:
            context["error"] = str(exc)
        return TemplateResponse(request, "admin/regimens/protocol/preview.html", context)
