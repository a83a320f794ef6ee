from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AnsinhConfig(AppConfig):
    name = "ansinh"
    verbose_name = "Dùng chung"

    def ready(self):
        from ansinh import login  # noqa: F401  (connects the lockout alert)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on our site class (settings' INSTALLED_APPS names it instead of django.contrib.admin)."""

    default = False
    default_site = "ansinh.adminsite.AdminSite"
