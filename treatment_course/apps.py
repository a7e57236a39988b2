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


class _ProposeFor:
    """The progression check of one patient, run once the transaction that saved a lab value commits."""

    def __init__(self, patient_id):
        self.patient_id = patient_id
        self.done = False

    def __call__(self):
        from treatment_course import progression

        self.done = True
        try:
            progression.propose_for_patient(self.patient_id)
        except Exception:  # the lab result is saved; the response tracker proposes again when opened
            logging.getLogger(__name__).exception("No progression proposal for patient %s", self.patient_id)


def _propose_after_commit(sender, instance, **kwargs):
    """A new or changed lab value may show a progression: proposed once the record is committed, once per
    patient and transaction (a lab panel of ten results reads the patient's series once, not ten times).
    A check already queued in this transaction is found among the connection's commit callbacks, which
    Django itself drops with a rolled-back savepoint, so nothing stale is kept."""
    from django.db import transaction

    connection = transaction.get_connection()
    if any(isinstance(callback, _ProposeFor) and callback.patient_id == instance.patient_id and not callback.done
           for _, callback, *_ in connection.run_on_commit):
        return
    transaction.on_commit(_ProposeFor(instance.patient_id))
