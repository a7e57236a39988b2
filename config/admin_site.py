"""The Django admin behind a verified second factor (django-otp).

Like django_otp.admin.OTPAdminSite, ``has_permission`` also needs a session
verified with a TOTP code. The admin has no login form of its own: one login
page (accounts.views) serves the whole app.

- anonymous              -> the login page, back to the admin afterwards;
- staff without a device -> the enrolment page (/account/two-factor/);
- staff with a device but an unverified session -> the login page (password + code);
- signed in, not staff   -> 403.
"""

from django.contrib.admin import AdminSite
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_noop, ngettext_lazy

from accounts import second_factor

# Texts of Django's admin templates that Django 6.1's Norwegian catalogue lacks, listed so that
# makemessages puts them in ours (locale/nb), which Django consults first.
DJANGO_ADMIN_TEXTS = (
    gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"),
    gettext_noop("Added:"), gettext_noop("Changed:"), gettext_noop("Deleted:"), gettext_noop("Breadcrumbs"),
    gettext_noop("Error:"), gettext_noop("Filter navigation items"), gettext_noop("Sidebar"),
    gettext_noop("Start typing to filter…"), gettext_noop("Skip to main content"), gettext_noop("Hide counts"),
    gettext_noop("Show counts"), gettext_noop("Run"), gettext_noop("Logout"), gettext_noop("Set password"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Disable password-based authentication"), gettext_noop("Enable password-based authentication"),
    gettext_noop("Toggle theme (current theme: auto)"), gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Thanks for spending some quality time with the web site today."),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Search %(name)s"), gettext_noop("Pagination %(name)s"), gettext_noop("Filter by %(field_name)s"),
    gettext_noop("View selected %(model)s"), gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"), gettext_noop("- Select an option -"),
    gettext_noop("Enabled"), gettext_noop("Disabled"), gettext_noop("Password-based authentication"),
    gettext_noop("Reset password"), gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Whether the user will be able to authenticate using a password or not. If disabled, they may "
                 "still be able to authenticate using other backends, such as Single Sign-On or LDAP."),
)
# The admin's form error heading is a plural ({% blocktranslate count %}); Django's catalogue has it as two
# singular texts only, so the pharmacist read it in English.
DJANGO_ADMIN_PLURALS = (ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),)


class SecondFactorAdminSite(AdminSite):
    site_header = "MyeloPath"
    site_title = "MyeloPath"

    def has_permission(self, request):
        return super().has_permission(request) and second_factor.is_verified(request.user)

    @login_not_required
    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if self.has_permission(request):
            return HttpResponseRedirect(next_url)
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not second_factor.has_device(user):
            return redirect_to_login(next_url, reverse("two_factor"))
        return redirect_to_login(next_url)
