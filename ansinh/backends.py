"""Django's model permissions, for the admin site, without a query for the portal's own verbs."""

from functools import cache

import rules
from django.apps import apps
from django.contrib.auth.backends import ModelBackend


@cache
def _model_permissions() -> frozenset[str]:
    """Every permission Django creates for the installed models ("units.change_unit", ...), from the code."""
    names = set()
    for model in apps.get_models():
        opts = model._meta
        names.update(f"{opts.app_label}.{action}_{opts.model_name}" for action in opts.default_permissions)
        names.update(f"{opts.app_label}.{codename}" for codename, _ in opts.permissions)
    return frozenset(names)


class AdminModelBackend(ModelBackend):
    """Answers only Django's model permissions. A portal verb (`dossiers.review_dossiers`) is a rules
    permission and nothing else; asking it here would read the person's user and group permissions
    (two queries on every page whose menu asks one)."""

    def has_perm(self, user_obj, perm, obj=None):
        if rules.perm_exists(perm) and perm not in _model_permissions():
            return False
        return super().has_perm(user_obj, perm, obj)
