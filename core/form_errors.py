"""An action's refusal (a ``ValidationError`` from ``patients/actions.py``, ``regimens/actions.py`` …) shown
on the form that asked for it: one rule for every page and the regimen admin."""


def add_errors(form, exc):
    """The refusal as form errors: an error naming a field the form has goes to that field, every other
    error (a field the form does not show, or none) goes to the top of the form, so nothing is lost."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
