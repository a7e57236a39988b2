from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentCourseConfig(AppConfig):
    name = "treatment_course"
    verbose_name = _("Course of treatment")

    def ready(self):
        from patients import queries
        from treatment_course.models import CycleRelease

        if CycleRelease not in queries.CHANGE_LOG_MODELS:  # the patient's change log shows every release
            queries.CHANGE_LOG_MODELS.append(CycleRelease)
