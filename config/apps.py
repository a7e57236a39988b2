from django.contrib.admin.apps import AdminConfig


class SecondFactorAdminConfig(AdminConfig):
    """django.contrib.admin with ``admin.site`` = config.admin_site.SecondFactorAdminSite."""

    default_site = "config.admin_site.SecondFactorAdminSite"
