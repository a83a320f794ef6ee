from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AnsinhConfig(AppConfig):
    name = "ansinh"
    verbose_name = "Dùng chung"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from ansinh import checks, login  # noqa: F401  (register the deploy checks, connect the lockout alert)

        # Each app's jobs.py registers its background job kinds (ansinh/jobs.py).
        autodiscover_modules("jobs")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on our site class (settings' INSTALLED_APPS names it instead of django.contrib.admin)."""

    default = False
    default_site = "ansinh.adminsite.AdminSite"
