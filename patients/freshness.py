"""Patient.data_token: a new random value whenever the patient or anything recorded for the
patient changes. It keys the cached clinical summary of the patient overview
(patients/views.py, docs/adr/0005-overview-summary-cache.md; hazard HAZ-018).

``Patient.save`` draws a new token itself. For every other model with a foreign key to
Patient, found when the app starts (so a model added later is covered without a list to keep),
a ``post_save`` and a ``post_delete`` handler draw a new one in the same transaction as the
change: if the change rolls back, so does the token. Historical (django-simple-history) rows
are written with their record and are skipped. Bulk writes (``QuerySet.update``,
``bulk_create``, raw SQL) send no signals: the app makes none on these models, and
tests/patients/test_overview_cache.py fails if the code starts to.
"""

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save


def patient_models():
    """(model, foreign-key field name) of every non-historical model that refers to Patient."""
    patient = apps.get_model("patients", "Patient")
    found = []
    for model in apps.get_models():
        if model is patient or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is patient:
                found.append((model, field.attname))
    return found


def renew(patient_id):
    """Draw a new token for the patient (an UPDATE: no history row, no edit-counter change)."""
    from patients.models import Patient, new_data_token

    if patient_id is not None:
        Patient.objects.filter(pk=patient_id).update(data_token=new_data_token())


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
            previous = instance.__dict__.pop(PREVIOUS + attname, current)
            renew(current)
            if previous != current:
                renew(previous)

        uid = f"patients.freshness.{model._meta.label_lower}.{attname}"
        pre_save.connect(before, sender=model, weak=False, dispatch_uid=uid + ".pre_save")
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ".save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ".delete")
