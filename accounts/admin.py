from django.contrib import admin

from accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "revoked")
    readonly_fields = ("key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        # A token is only useful when its key is shown once: use `manage.py create_api_token`.
        return False
