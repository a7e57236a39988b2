"""Writes of the accounts app (keyword-only arguments, one transaction each)."""

from django.db import transaction

from accounts.models import Preferences


@transaction.atomic
def set_language(*, user, language):
    """Store ``language`` (a code of settings.LANGUAGES) as ``user``'s choice for every session."""
    Preferences.objects.update_or_create(user=user, defaults={"language": language})
