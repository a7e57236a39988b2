from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentCourseConfig(AppConfig):
    name = "treatment_course"
    verbose_name = _("Course of treatment")

    def ready(self):
        from patients import queries
        from treatment_course.models import Administration, AdministrationConfirmation, CycleRelease

        for model in (CycleRelease, Administration, AdministrationConfirmation):
            if model not in queries.CHANGE_LOG_MODELS:  # the patient's change log shows every record
                queries.CHANGE_LOG_MODELS.append(model)
