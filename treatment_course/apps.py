import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentCourseConfig(AppConfig):
    name = "treatment_course"
    verbose_name = _("Course of treatment")

    def ready(self):
        from patients import queries, responses
        from treatment_course.models import Administration, AdministrationConfirmation, CycleRelease
        from treatment_course.progression import line_response_context

        for model in (CycleRelease, Administration, AdministrationConfirmation):
            if model not in queries.CHANGE_LOG_MODELS:  # the patient's change log shows every record
                queries.CHANGE_LOG_MODELS.append(model)

        if line_response_context not in responses.LINE_CONTEXT_PROVIDERS:
            responses.LINE_CONTEXT_PROVIDERS.append(line_response_context)

        from django.db.models.signals import post_save

        from patients.models import LabResult, MarrowFinding

        for model in (LabResult, MarrowFinding):
            post_save.connect(_propose_after_commit, sender=model, dispatch_uid=f"propose-progression-{model.__name__}")


def _propose_after_commit(sender, instance, **kwargs):
    """A new or changed lab value may show a progression: proposed once the record is committed."""
    from django.db import transaction

    from treatment_course import progression

    patient_id = instance.patient_id
    def propose():
        try:
            progression.propose_for_patient(patient_id)
        except Exception:  # the lab result is saved; the response tracker proposes again when opened
            logging.getLogger(__name__).exception("No progression proposal for patient %s", patient_id)

    transaction.on_commit(propose)
