"""Admin building blocks any app may use."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """simple_history's admin with the history as evidence only: the old versions can be
    looked at, never written back. SIMPLE_HISTORY_REVERT_DISABLED only hides the revert
    button; simple_history still saves a POST to the version page, so it is refused here.
    Changes go through the normal change form (for protocols: a new draft version)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
