"""The regimen library in the Django admin (pharmacists): the four-eyes rule for doses.

- Only a draft can be changed. An active or retired version opens read-only: the
  change view, its inlines and a POST to it save nothing (``has_change_permission`` is
  False for it; regimens/models/ refuses the change below the admin too). "New draft
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
- Numbers (doses, thresholds, steps, days) are typed as text and read with either decimal
  separator; ambiguous input is refused (core/forms.py, hazard HAZ-056).
- History: django-simple-history's admin, read-only (core.admin.ReadOnlyHistoryAdmin),
  with the version's differences against its predecessor (regimens/diff.py, the same list the
  activation page shows). The schedule preview for a sample patient works on drafts: it
  computes the draft as it would be activated (hazard HAZ-022).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import ACTIVATE_PROTOCOL, EDIT_PROTOCOLS
from core.admin import ReadOnlyHistoryAdmin
from core.form_errors import add_errors
from core.forms import NUMBER_FIELD_OVERRIDES
from regimens import actions
from regimens.admin_forms import (
    ActivationForm,
    DoseRuleFormSet,
    DrugLineFormSet,
    NewDraftForm,
    ProtocolForm,
    RetireForm,
)
from regimens.formatting import format_number
from regimens.models import DoseRule, DrugLine, Phase, Protocol, ProtocolInvalid
from regimens.refusals import hospital_limit
from regimens.review import library_attribution, schedule_preview, version_changes, who


class DraftOnlyInline:
    """An inline of a protocol version: editable only while the version is a draft."""

    formfield_overrides = NUMBER_FIELD_OVERRIDES

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
              ("rounding_step", "rounding_max_deviation_pct"), ("max_single_dose_mg", "min_interval_hours"), "note")

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


def _checked_by(protocol, *, short):
    if protocol and protocol.checked_by:
        return protocol.checked_by
    return library_attribution(protocol, short=short) or "-"


def _activated_by(protocol, *, short):
    if protocol and protocol.activated_by:
        return actions.person_name(protocol.activated_by)
    return library_attribution(protocol, short=short) or "-"


@admin.register(Protocol)
class ProtocolAdmin(ReadOnlyHistoryAdmin):
    form = ProtocolForm
    formfield_overrides = NUMBER_FIELD_OVERRIDES
    list_display = ("code", "version", "name", "status", "setting", "checked_by_listed", "activated_by_listed",
                    "activated_at", "edited")
    list_filter = ("status", "setting")
    search_fields = ("code", "name")
    inlines = (PhaseInline, DrugLineInline, DoseRuleInline)
    object_history_template = "admin/regimens/protocol/object_history.html"
    # No bulk actions: activation is a page per version (the check needs its differences), and a
    # bulk deletion would meet the draft rule (regimens/models/) without a message.
    actions = None
    readonly_fields = ("version", "status", "checked_by_shown", "activated_by_shown", "activated_at", "seed_hash",
                       "edited", "preview_link", "summary_link")
    fieldsets = (
        (None, {"fields": ("code", "name", "version", "status", "preview_link", "summary_link", "change_reason",
                           "loaded_lock_version")}),
        (_("Treatment"), {"fields": ("setting", "line", "cycle_length_days", "cycles", "until_progression",
                                      "premedication", "supportive_care", "reimbursement", "ambiguities",
                                      "precycle_criteria", "dose_levels")}),
        (_("Source and review"), {"fields": ("source_document", "source_section", "source_table", "authored_by",
                                            "checked_by_shown", "review_date", "activated_by_shown",
                                            "activated_at", "seed_hash", "edited")}),
    )

    @admin.display(description=_("checked by"), ordering="checked_by")
    def checked_by_shown(self, obj):
        """The checker's name; for a version the loader activated from the shipped library, where it was
        checked (docs/adr/0007-protocol-four-eyes.md), never a bare dash."""
        return _checked_by(obj, short=False)

    @admin.display(description=_("checked by"), ordering="checked_by")
    def checked_by_listed(self, obj):
        return _checked_by(obj, short=True)

    @admin.display(description=_("activated by"), ordering="activated_by")
    def activated_by_shown(self, obj):
        """The activating user by name (not the user name), or the library file the loader activated."""
        return _activated_by(obj, short=False)

    @admin.display(description=_("activated by"), ordering="activated_by")
    def activated_by_listed(self, obj):
        return _activated_by(obj, short=True)

    @admin.display(description=_("Schedule preview"))
    def preview_link(self, obj):
        if not obj or not obj.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("admin:regimens_protocol_preview", args=[obj.pk]),
                           _("Preview the schedule for a sample patient"))

    @admin.display(description=_("Protocol summary (PDF)"))
    def summary_link(self, obj):
        """The printable summary of this version (regimens/summary.py), as on the regimen page."""
        if not obj or not obj.pk:
            return "-"
        url = f"{reverse('regimens:summary_pdf', args=[obj.code])}?version={obj.version}"
        return format_html('<a href="{}" data-testid="admin-summary-pdf">{}</a>', url,
                           _("Print the protocol summary (PDF)"))

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
                last_change=who(protocol.last_change()),
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
                add_errors(form, exc)
            else:
                self.message_user(request, gettext("%(protocol)s activated, checked by %(name)s.") % {
                    "protocol": f"{activated.code} v{activated.version}", "name": activated.checked_by},
                    messages.SUCCESS)
                return redirect("admin:regimens_protocol_change", activated.pk)
        previous, changes, changes_error = version_changes(protocol)
        return self._page(
            request, protocol, _("Activate %(protocol)s") % {"protocol": protocol}, "activate.html",
            form=form, refusal=refusal, previous=previous, changes=changes, changes_error=changes_error,
            last_change=who(protocol.last_change()), preview=schedule_preview(protocol),
            rounding_limit=format_number(hospital_limit(), places=2),
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
                add_errors(form, exc)
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
                add_errors(form, exc)
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
