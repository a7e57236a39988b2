"""Optimistic locking: an edit is refused when the record changed since the editor loaded it.

Every editable record (patient, treatment line, treatment plan, regimen protocol) carries
``lock_version``, a counter raised by one on every save. A form carries the counter it was
loaded with; the action compares it with the stored row under a row lock
(``select_for_update``, ``lock_current``) and ``VersionedModel.save`` writes the new counter
with a conditional UPDATE (``... WHERE id = %s AND lock_version = %s``). So whatever path a
save takes (action, admin, shell), of two edits made from the same loaded version exactly
one is stored and the other is refused with ``StaleEdit``, which names who changed the record,
when, and which fields — never a silent overwrite (hazard HAZ-015, lost update).

``lock_version`` is not the clinical "version" of a plan or protocol (their ``version`` field):
it counts saves of one row.
"""

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class StaleEdit(ValidationError):
    """The record changed since the editor loaded it (code ``stale``)."""

    def __init__(self, record, *, loaded_version):
        self.record = record
        self.loaded_version = loaded_version
        change = last_change(record)
        fields = changed_fields(record, loaded_version)
        params = {
            "record": record._meta.verbose_name,
            "who": change["who"],
            "when": change["when"],
            "fields": ", ".join(fields) if fields else "—",
        }
        message = gettext(
            "This %(record)s was changed by %(who)s at %(when)s since you opened it (changed: %(fields)s). "
            "Nothing was saved: reload the page, check the new values and make your change again."
        ) % params
        super().__init__(message, code="stale", params=None)


def _user_name(user):
    if user is None:
        return gettext("the system")
    return user.get_full_name() or user.get_username()


def last_change(record):
    """Who made the stored version of ``record`` and when, from its history."""
    latest = record.history.order_by("-history_date", "-history_id").select_related("history_user").first()
    if latest is None:
        return {"who": gettext("unknown"), "when": "?"}
    return {"who": _user_name(latest.history_user),
            "when": timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M:%S")}


def changed_fields(record, loaded_version):
    """Verbose names of the fields that differ between the version the editor loaded and the stored one."""
    history = record.history.order_by("-history_date", "-history_id")
    latest = history.first()
    loaded = history.filter(lock_version=loaded_version).first()
    if latest is None or loaded is None or latest.pk == loaded.pk:
        return []
    names = []
    for field, _old, _new in diff_versions(loaded, latest, hidden={"lock_version"}):
        names.append(str(field.verbose_name))
    return names


def diff_versions(old, new, *, hidden=()):
    """(field of the model, old value, new value) for every tracked field that differs between two
    historical versions of one row, non-editable fields included (simple_history's ``diff_against``
    leaves those out: a plan's signature fields, a patient's derived birth date). Relations as ids."""
    model = old.instance_type
    out = []
    for tracked in old.tracked_fields:
        if tracked.name in hidden:
            continue
        before, after = getattr(old, tracked.attname), getattr(new, tracked.attname)
        if before != after:
            out.append((model._meta.get_field(tracked.name), before, after))
    return sorted(out, key=lambda change: change[0].name)


def lock_current(model, pk, *, loaded_version, queryset=None):
    """The stored row of ``model`` locked for this transaction (SELECT ... FOR UPDATE); ``StaleEdit``
    if its counter is not ``loaded_version`` (someone saved it since the editor loaded it)."""
    queryset = queryset if queryset is not None else model._base_manager.all()
    current = queryset.select_for_update().get(pk=pk)
    if loaded_version is not None and current.lock_version != int(loaded_version):
        raise StaleEdit(current, loaded_version=int(loaded_version))
    return current


class VersionedModel(models.Model):
    """A row whose every save raises ``lock_version`` by a conditional UPDATE."""

    lock_version = models.PositiveIntegerField(_("edit counter"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        loaded = self.lock_version
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            claimed = type(self)._base_manager.using(using).filter(pk=self.pk, lock_version=loaded).update(
                lock_version=loaded + 1)
            if not claimed:
                current = type(self)._base_manager.using(using).filter(pk=self.pk).first()
                if current is not None:
                    raise StaleEdit(current, loaded_version=loaded)
            self.lock_version = loaded + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "lock_version"}
            try:
                return super().save(*args, **kwargs)
            except BaseException:
                self.lock_version = loaded
                raise
