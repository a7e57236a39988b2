from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = _("Patients")

    def ready(self):
        from core import formatting
        from patients import freshness, labcatalogue
        from patients.views import loaders  # noqa: F401 - registers the check patients.E001

        formatting.register_kinds(labcatalogue.QUANTITY_KINDS)  # {{ value|quantity:"calcium" }}
        freshness.connect()  # the overview's cached summary follows every change (HAZ-018)
