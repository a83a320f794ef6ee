from django.apps import AppConfig


class AnsinhConfig(AppConfig):
    name = "ansinh"
    verbose_name = "Dùng chung"

    def ready(self):
        from ansinh import checks, login  # noqa: F401  (register the deploy checks, connect the lockout alert)
