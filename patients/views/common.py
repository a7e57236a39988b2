"""What every patient page view shares: the htmx partial or the page, the redirect after a write,
and an action's refusal as form errors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect


def template(request, name, partial):
    """The page's template, or for an htmx request its named partial (STYLE.md §6)."""
    return f"{name}#{partial}" if request.htmx else name


def done(request, url):
    """After a successful write: a normal redirect, or an htmx client redirect."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def run(form, action, **kwargs):
    """Call the action; a refusal from it (e.g. a race on uniqueness) becomes form errors."""
    try:
        return action(**kwargs, **form.action_kwargs())
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


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


def add_errors(form, exc):
    """An action's refusal as form errors: on the field it names when the form has it, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
