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

from accounts import second_factor


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
