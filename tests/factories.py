"""Factories for the unit tree, people and roles. Apps add theirs below."""

import factory
from django.contrib.auth import get_user_model

from ansinh import access
from units.models import Role, RoleAssignment, Unit, UnitKind


def kind(code):
    return UnitKind.objects.get(code=code)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = factory.LazyFunction(lambda: kind("thon"))
    parent = None
    households = 120


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Người dùng"
    password = factory.django.Password("ansinh-test")


def person(role, unit, username=None, title=""):
    """A user holding `role` at `unit`."""
    user = UserFactory(username=username or f"{role}.{unit.pk}")
    RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit, defaults={"title": title})
    access.forget(user)
    return user


__all__ = ["Role", "UnitFactory", "UserFactory", "kind", "person"]
