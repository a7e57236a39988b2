"""The accounts part of the admin: API tokens, and the admin pages of the apps we build on
(users and groups, django-axes' login records, django-otp's devices) in Norwegian too.

- django-axes marks its texts for translation but ships no Norwegian catalogue: its texts are
  listed here (``AXES_TEXTS``) so that makemessages puts them in ours (locale/nb), which Django
  consults before any app's.
- django-otp does not mark its texts at all: ``translate_totp_device`` gives the TOTP device model
  and its fields the same English texts as lazy translations (the migrations compare them in
  English, so no migration of django-otp follows), and ``TOTPDeviceAdmin`` names its sections.
- Permissions are stored with English names ("Can add protocol"); the user and group pages show
  them translated (``permission_label``).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as OtpTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at", "revoked")
    readonly_fields = ("key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        # A token is only useful when its key is shown once: use `manage.py create_api_token`.
        return False


# ---------------------------------------------------------------- django-axes

AXES_TEXTS = (
    gettext_noop("access attempt"), gettext_noop("access attempts"), gettext_noop("access failure"),
    gettext_noop("access failures"), gettext_noop("access log"), gettext_noop("access logs"),
    gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
    gettext_noop("User Agent"), gettext_noop("IP Address"), gettext_noop("Username"), gettext_noop("HTTP Accept"),
    gettext_noop("Path"), gettext_noop("Attempt Time"), gettext_noop("Access lock out"), gettext_noop("GET Data"),
    gettext_noop("POST Data"), gettext_noop("Failed Logins"), gettext_noop("Access Attempt"),
    gettext_noop("Expires At"), gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"), gettext_noop("Session key hash (sha256)"), gettext_noop("Locked Out"),
    gettext_noop("Form Data"), gettext_noop("Meta Data"), gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"), gettext_noop("Attempt Remaining"),
)


# ---------------------------------------------------------------- django-otp

TOTP_FIELDS = {
    # field: (verbose name, help text), django-otp's English words made translatable
    "user": (_("user"), _("The user that this device belongs to.")),
    "name": (_("name"), _("The human-readable name of this device.")),
    "confirmed": (_("confirmed"), _("Is this device ready for use?")),
    "throttling_failure_timestamp": (
        _("throttling failure timestamp"),
        _("A timestamp of the last failed verification attempt. Null if last attempt succeeded.")),
    "throttling_failure_count": (_("throttling failure count"), _("Number of successive failed attempts.")),
    "created_at": (_("created at"), _("The date and time when this device was initially created in the system.")),
    "last_used_at": (_("last used at"), _("The most recent date and time this device was used.")),
    "key": (_("key"), _("A hex-encoded secret key of up to 40 bytes.")),
    "step": (_("step"), _("The time step in seconds.")),
    "t0": (_("t0"), _("The Unix time at which to begin counting steps.")),
    "digits": (_("digits"), _("The number of digits to expect in a token.")),
    "tolerance": (_("tolerance"), _("The number of time steps in the past or future to allow.")),
    "drift": (_("drift"), _("The number of time steps the prover is known to deviate from our clock.")),
    "last_t": (_("last t"),
               _("The t value of the latest verified token. The next token must be at a higher time step.")),
}
TOTP_SECTIONS = {"Identity": _("Identity"), "Timestamps": _("Timestamps"), "Configuration": _("Configuration"),
                 "State": _("State"), "Throttling": _("Throttling")}


def translate_totp_device():
    meta = TOTPDevice._meta
    meta.verbose_name = _("TOTP device")
    meta.verbose_name_plural = _("TOTP devices")
    for name, (verbose_name, help_text) in TOTP_FIELDS.items():
        field = meta.get_field(name)
        field.verbose_name, field.help_text = verbose_name, help_text


translate_totp_device()
apps.get_app_config("otp_totp").verbose_name = _("Two-factor authentication")
apps.get_app_config("axes").verbose_name = _("Login attempts")


class TOTPDeviceAdmin(OtpTOTPDeviceAdmin):
    search_help_text = _("Search by the user's username or email address")

    def get_fieldsets(self, request, obj=None):
        return [(TOTP_SECTIONS.get(name, name), options) for name, options in super().get_fieldsets(request, obj)]

    @admin.display(description=_("QR code"))
    def qrcode_link(self, device):
        return super().qrcode_link(device)


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)


# ---------------------------------------------------------------- users and groups

PERMISSION_ACTIONS = {
    "add": _("Can add %(name)s"), "change": _("Can change %(name)s"), "delete": _("Can delete %(name)s"),
    "view": _("Can view %(name)s"),
}


def permission_label(permission):
    """``app | model | permission`` in the active language: Django's four for each model from the
    model's translated name, ours (accounts/roles.py) from the catalogue."""
    content_type = permission.content_type
    model = content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is not None and model_name == model._meta.model_name and action in PERMISSION_ACTIONS:
        name = PERMISSION_ACTIONS[action] % {"name": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    return f"{content_type} | {name}"


class TranslatedPermissions:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


class NorwegianUserAdmin(TranslatedPermissions, UserAdmin):
    pass


class NorwegianGroupAdmin(TranslatedPermissions, GroupAdmin):
    pass


admin.site.unregister(User)
admin.site.register(User, NorwegianUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, NorwegianGroupAdmin)
