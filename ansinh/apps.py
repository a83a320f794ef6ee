from django.apps import AppConfig


class AnsinhConfig(AppConfig):
    name = "ansinh"
    verbose_name = "Dùng chung"

    def ready(self):
        from ansinh import login  # noqa: F401  (connects the lockout alert)
