"""Admin building blocks any app may use."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from core.formatting import format_date, format_datetime


class ReadableChanges(HistoricalRecordContextHelper):
    """A change in the history as the forms show the value: a choice by its label (in the page's
    language), yes or no, a date or a time as dd.mm.åååå (HH:MM), and «—» for no value, instead of the stored
    code, True, an ISO timestamp or None."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, dt.datetime):  # «04.12.2026 21:10», not «2026-12-04 20:10:15.019543+00:00»
            return format_datetime(value)
        if isinstance(value, dt.date):
            return format_date(value)
        return super().prepare_delta_change_value(change, value)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """simple_history's admin with the history as evidence only: the old versions can be
    looked at, never written back. SIMPLE_HISTORY_REVERT_DISABLED only hides the revert
    button; simple_history still saves a POST to the version page, so it is refused here.
    Changes go through the normal change form (for protocols: a new draft version)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
