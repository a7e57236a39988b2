"""Login with a second factor, the two-factor enrolment page and the lockout page.

- Login: username, password and, for users with a confirmed TOTP device, the
  six-digit code. A wrong code counts as a failed login for django-axes, so
  password and code guesses share one lockout counter (username + IP address).
- /i18n/setlang/: the language switch, before and after signing in (accounts/language.py).
- /account/two-factor/: the signed-in user creates a TOTP device, sees its
  secret and otpauth:// URI, and confirms it with a code (the session is then
  verified, as after a login with a code).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import i18n
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import actions, language, second_factor

OTP_FIELD = "otp_token"


class LoginForm(AuthenticationForm):
    otp_token = forms.CharField(
        label=_("Code from the authenticator app"), required=False, max_length=10,
        help_text=_("Six digits. Needed only if two-factor authentication is on for you."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "otp_required": _("Enter the code from your authenticator app."),
        "otp_invalid": _("The code is not valid. Use the code your authenticator app shows now."),
    }

    def clean(self):
        super().clean()  # password (and lockout) first: nothing is said about the code before it is right
        user = self.user_cache
        if user is not None and second_factor.has_device(user):
            token = self.cleaned_data.get(OTP_FIELD) or ""
            device = second_factor.matching_device(user, token) if token else None
            if device is None:
                # A failed second factor is a failed login for django-axes (same counter as passwords).
                user_login_failed.send(
                    sender=__name__, credentials={"username": user.get_username()}, request=self.request,
                )
                self.user_cache = None
                code = "otp_invalid" if token else "otp_required"
                raise ValidationError(self.error_messages[code], code=code)
            user.otp_device = device  # django_otp stores it in the session on login
        return self.cleaned_data


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """The one login page. A signed-in user is sent on, unless the session still
    lacks the code its user's device requires (then the form asks again)."""

    authentication_form = LoginForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.redirect_authenticated_user = user.is_authenticated and (
            second_factor.is_verified(user) or not second_factor.has_device(user)
        )
        return super().dispatch(request, *args, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes: the login page again, with the lockout message, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "form": LoginForm(request),
        "locked_out": _("Too many failed login attempts. Login for this user from this computer is blocked for "
                        "%(minutes)s minutes. Contact the system administrator if you need access sooner.")
        % {"minutes": minutes},
    }
    return render(request, "registration/login.html", context, status=429)


def _safe_next(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return ""


class ConfirmDeviceForm(forms.Form):
    otp_token = forms.CharField(label=_("Code from the authenticator app"), max_length=10,
                                widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                              "inputmode": "numeric"}))


@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Two-factor enrolment for the signed-in user. A confirmed device is never shown
    again (its secret stays secret); an administrator removes a lost one in the admin."""
    user = request.user
    next_url = _safe_next(request)
    if second_factor.has_device(user):
        return render(request, "account/two_factor.html", {"enabled": True, "next": next_url})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"].strip().replace(" ", "")
        if token.isdigit() and device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on. From now on you log in with a code."))
            return redirect(next_url or "two_factor")
        form.add_error("otp_token", _("The code is not valid. Use the code your authenticator app shows now."))
    context = {
        "enabled": False, "form": form, "next": next_url,
        "secret": second_factor.base32_secret(device), "uri": device.config_url,
    }
    return render(request, "account/two_factor.html", context)



@login_not_required  # the login page has the switch too; it changes nothing but the language
@require_POST
def set_language(request):
    """The language switch: Django's set_language (the language cookie, then back to ``next``) and,
    for a signed-in user, the choice stored on the user and in the session."""
    response = i18n.set_language(request)
    code = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
    if language.is_supported(code) and request.user.is_authenticated:
        actions.set_language(user=request.user, language=code)
        language.remember_in_session(request, code)
    return response
