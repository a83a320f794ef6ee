"""Every form of the project refuses what the database would refuse: each Form, ModelForm, formset form
and filter form defined in our apps mixes in ansinh.forms.SafeInput."""

import importlib
import inspect
import pkgutil

import django_filters
from django import forms
from django.conf import settings
from django.forms.formsets import BaseFormSet

from ansinh.forms import SafeInput

OUR_APPS = [app for app in settings.INSTALLED_APPS if "." not in app and (settings.BASE_DIR / app).is_dir()]


def our_modules():
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or info.name.endswith((".settings", ".wsgi", ".demo")):
                continue
            yield importlib.import_module(info.name)


def form_classes():
    """(name, form class) of every form, formset form and filter form our modules define."""
    for module in our_modules():
        for name, value in vars(module).items():
            if not inspect.isclass(value):
                continue
            label = f"{module.__name__}.{name}"
            # Formset factories build their classes in Django's modules; they count where they are assigned.
            if issubclass(value, BaseFormSet):
                # A base formset class defined here gets its form from the factory call that uses it.
                if hasattr(value, "form"):
                    yield f"{label} (formset form)", value.form
            elif value.__module__ != module.__name__:
                continue
            elif issubclass(value, forms.BaseForm):
                yield label, value
            elif issubclass(value, django_filters.FilterSet):
                yield f"{label} (filter form)", value._meta.form


def test_every_form_of_the_project_mixes_in_safe_input():
    found = dict(form_classes())
    assert len(found) > 15, sorted(found)
    assert sorted(name for name, form in found.items() if not issubclass(form, SafeInput)) == []


def admin_forms():
    """(name, form class) of every form the Django admin builds: each registered ModelAdmin's form, its
    add form (the user admin's) and its inlines' forms, whichever app registered them."""
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        label = f"admin {model._meta.label} ({type(model_admin).__name__})"
        yield label, model_admin.form
        if getattr(model_admin, "add_form", None) is not None:
            yield f"{label} add form", model_admin.add_form
        for inline in model_admin.inlines:
            yield f"{label} inline {inline.__name__}", inline.form


def test_every_admin_form_mixes_in_safe_input():
    found = dict(admin_forms())
    apps = {name.split()[1].split(".")[0] for name in found}
    assert {"ansinh", "units", "registrations", "dossiers", "scoring", "certificates", "auth"} <= apps
    assert sorted(name for name, form in found.items() if not issubclass(form, SafeInput)) == []
