from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegimensConfig(AppConfig):
    name = "regimens"
    verbose_name = _("Regimens")

    def ready(self):
        from regimens.loader import load_after_migrate

        # Every database holds the library once migrated: a fresh SQLite file, a new
        # PostgreSQL database and the test database alike (shared/contract/api-v1.md).
        post_migrate.connect(load_after_migrate, dispatch_uid="regimens.load_protocols")
