"""What every act of patients/actions shares: the one save helper, the reason's limit and the
edit counter the editor loaded (core/locking.py)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from patients.models import REASON_MAX_LENGTH


def check_reason(reason, field="reason"):
    """A reason goes into the change log: at most REASON_MAX_LENGTH characters, like the forms'."""
    try:
        MaxLengthValidator(REASON_MAX_LENGTH)(reason)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from exc


def save(instance, *, by, reason, validate=True, check=None):
    """The one way an action stores a row, with who acted (``by``) and why (``reason``) in its
    history. ``validate``: first the whole record (``full_clean``), then ``check(instance)`` (the
    act's own rule, if any), then the reason's length. A plan's status step does not validate
    (``_step``): its prescription was validated when it was drafted and is frozen since (the model
    refuses any other change), and its history reason puts a prefix before the user's reason."""
    if validate:
        instance.full_clean()
        if check is not None:
            check(instance)
        check_reason(reason)
    instance._history_user = by
    instance._change_reason = reason
    instance.save()
    return instance


def loaded_counter(instance, loaded_version):
    """The counter the editor loaded: given by the form, else the one of the instance passed in."""
    return instance.lock_version if loaded_version is None else loaded_version
