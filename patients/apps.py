from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = _("Patients")

    def ready(self):
        from patients import freshness, loaders  # noqa: F401 - loaders registers the check patients.E001
        from patients.roles import sync_role_groups

        freshness.connect()  # the overview's cached summary follows every change (HAZ-018)

        # Groups and their permissions follow patients/roles.py on every migrate,
        # so a fresh database (and the test database) always has the four roles.
        post_migrate.connect(sync_role_groups, dispatch_uid="patients.sync_role_groups")
