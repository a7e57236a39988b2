from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.language import restore_on_login
        from accounts.roles import sync_role_groups

        # Groups and their permissions follow accounts/roles.py on every migrate,
        # so a fresh database (and the test database) always has the four roles.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
        user_logged_in.connect(restore_on_login, dispatch_uid="accounts.restore_language")
