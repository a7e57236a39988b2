"""Patient.data_token: a new random value whenever the patient or anything recorded for the
patient changes. It keys the cached clinical summary of the patient overview
(patients/views/records.py, docs/adr/0005-overview-summary-cache.md; hazard HAZ-018).

- ``Patient.save`` draws a new token itself.
- For every other model with a foreign key to Patient, found when the app starts (so a model
  added later is covered without a list to keep), ``post_save`` and ``post_delete`` handlers
  draw a new one; a row moved to another patient renews both patients.
- ``PatientRecord`` (the base of those models) runs every save and delete in a transaction,
  so the change and its new token commit together or not at all, whoever calls.
- ``RenewingQuerySet`` (their default manager) renews the tokens after the bulk writes that
  send no signals: ``update``, ``bulk_create``, ``bulk_update``.
- ``renew_all`` after a database restore (patients/backup.py): the restored tokens are old ones.
Not covered: raw SQL and data migrations (historical models send no signals to these
handlers) — a data migration on these tables must end with ``renew_all``.
"""

from django.apps import apps
from django.db import models, router, transaction
from django.db.models.signals import post_delete, post_save, pre_save


def _is_historical(model):
    """A django-simple-history model (written with its record, never on its own)."""
    return hasattr(model, "instance_type")


def patient_fk(model):
    """The attname of ``model``'s foreign key to Patient, or None."""
    patient = apps.get_model("patients", "Patient")
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is patient:
            return field.attname
    return None


def patient_models():
    """(model, foreign-key attname) of every non-historical model that refers to Patient."""
    patient = apps.get_model("patients", "Patient")
    found = []
    for model in apps.get_models():
        if model is patient or _is_historical(model):
            continue
        attname = patient_fk(model)
        if attname:
            found.append((model, attname))
    return found


def renew(*patient_ids):
    """Draw a new token for the patients (an UPDATE: no history row, no edit-counter change)."""
    from patients.models import Patient, new_data_token

    ids = {pk for pk in patient_ids if pk is not None}
    for pk in ids:
        Patient.objects.filter(pk=pk).update(data_token=new_data_token())


def renew_all():
    """A new token for every patient (after a restore). Returns how many patients."""
    from patients.models import Patient, new_data_token

    return Patient.objects.update(data_token=new_data_token())  # one value for all is enough: pk is in the key


class RenewingQuerySet(models.QuerySet):
    """The bulk writes renew the tokens of the patients they touch, in the same transaction."""

    def _patient_ids(self):
        return set(self.values_list(patient_fk(self.model), flat=True))

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            before = self._patient_ids()
            count = super().update(**kwargs)
            renew(*before, *self._patient_ids())
            return count

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            renew(*(getattr(obj, patient_fk(self.model)) for obj in created))
            return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            before = self.filter(pk__in=[obj.pk for obj in objs])._patient_ids()
            count = super().bulk_update(objs, fields, *args, **kwargs)
            renew(*before, *(getattr(obj, patient_fk(self.model)) for obj in objs))
            return count


class PatientRecord(models.Model):
    """Base of the models that refer to a patient: saves and deletes in a transaction (so the
    signal handlers' new token commits with the change), bulk writes through RenewingQuerySet."""

    objects = RenewingQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self), instance=self)):
            return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self), instance=self)):
            return super().delete(*args, **kwargs)


PREVIOUS = "_freshness_previous_patient"


def connect():
    for model, attname in patient_models():
        def before(sender, instance, attname=attname, **kwargs):
            """An update that moves the row to another patient changes both patients."""
            if instance._state.adding or instance.pk is None:
                return
            stored = sender._base_manager.filter(pk=instance.pk).values_list(attname, flat=True).first()
            setattr(instance, PREVIOUS + attname, stored)

        def changed(sender, instance, attname=attname, **kwargs):
            current = getattr(instance, attname)
            renew(current, instance.__dict__.pop(PREVIOUS + attname, current))

        uid = f"patients.freshness.{model._meta.label_lower}.{attname}"
        pre_save.connect(before, sender=model, weak=False, dispatch_uid=uid + ".pre_save")
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ".save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ".delete")
