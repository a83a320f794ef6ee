from django.apps import AppConfig


class AnsinhConfig(AppConfig):
    name = "ansinh"
    verbose_name = "Dùng chung"
