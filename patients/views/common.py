"""What every patient page view shares: the htmx partial or the page, the redirect after a write,
and an action done or refused (its refusal as form errors, core/form_errors.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from core.form_errors import add_errors


def template(request, name, partial):
    """The page's template, or for an htmx request its named partial (STYLE.md §6)."""
    return f"{name}#{partial}" if request.htmx else name


def done(request, url):
    """After a successful write: a normal redirect, or an htmx client redirect."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def attempt(request, form, action, *, success, url):
    """Do the action (no arguments): a refusal from it becomes form errors and None is returned; done, the
    success message is shown and the page redirects (``success`` and ``url`` may be functions of the
    action's result)."""
    try:
        result = action()
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return done(request, url(result) if callable(url) else url)

