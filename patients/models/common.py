"""What the patient models share: the custom permissions' holder, the limits of free text,
the change log, the date rule of every observation and the choices made of the engine's codes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import CUSTOM_PERMISSIONS


class ClinicalRights(models.Model):
    """Holds the app's custom permissions (see accounts/roles.py); has no table. It stays in the
    patients app so that every permission keeps its name ``patients.<codename>`` (docs/adr/0011-layout.md)."""

    class Meta:
        managed = False
        verbose_name = _("clinical rights")
        verbose_name_plural = _("clinical rights")
        default_permissions = ()
        permissions = CUSTOM_PERMISSIONS

    def __str__(self):
        return "clinical rights"


# --- Limits of free text ----------------------------------------------------
#
# Every text field a user types into has a limit that the form (``maxlength`` and a message
# on the field) and the model (``full_clean``, so every action) enforce alike; SQLite enforces
# none. tests/patients/test_input_limits.py finds any text field without one.

NAME_MAX_LENGTH = 200
WARD_MAX_LENGTH = 100
REGIMEN_MAX_LENGTH = 100  # a treatment line's regimen, as typed
REASON_MAX_LENGTH = 500  # the reason for a correction, a revision or a cancellation
NOTE_MAX_LENGTH = 2000


def bounded_text(verbose_name, max_length, **kwargs):
    """A TextField with a limit the model enforces too: Django gives a TextField's
    ``max_length`` to its form field only."""
    return models.TextField(verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)],
                            **kwargs)


def signed_by(verbose_name):
    """Who signed, decided or recorded a row: a user, who cannot be deleted while a row names them."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=verbose_name)


def signed_at(verbose_name):
    """When a row was signed, decided or recorded: set when it is made, never edited."""
    return models.DateTimeField(verbose_name, default=timezone.now, editable=False)


def change_log(**kwargs):
    """The change log of a model. The reason column is text: an action writes up to
    REASON_MAX_LENGTH characters behind a short prefix ("Cancelled: …"), more than
    django-simple-history's default 100-character column holds (PostgreSQL refuses the
    write; SQLite would keep it only because it ignores the limit)."""
    return HistoricalRecords(history_change_reason_field=models.TextField(null=True), **kwargs)


def not_in_future(value):
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


def guideline_choices(name, codes, labels, *, module):
    """Django choices (``TextChoices`` named ``name``, defined in ``module``) of the codes of a
    guideline enum (guidelines/facts.py, the one list of the codes the engine reads), in its order:
    each labelled by ``labels`` (code → label), a code without one by itself (IgG, VGPR)."""
    return models.TextChoices(name, [(code.name, (code.value, labels.get(code, code.value))) for code in codes],
                              module=module)
