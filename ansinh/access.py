"""The one access layer: which units a person may see, and the role facts permissions are built from.

Every list or detail view fetches through `visible_units` / `scope` / `get_visible_or_404`, so an object
outside a person's jurisdiction is a 404 that does not confirm it exists. Named permissions
(`rules.py` in each app) are composed from the predicates here and checked with `user.has_perm`.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import Http404

from units.models import Role, RoleAssignment, Unit


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    path: str


def grants(user) -> list[Grant]:
    """The person's active roles, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_ansinh_grants", None)
    if cached is None:
        cached = [
            Grant(role, unit_id, path)
            for role, unit_id, path in RoleAssignment.objects.filter(user=user, is_active=True).values_list(
                "role", "unit_id", "unit__path"
            )
        ]
        user._ansinh_grants = cached
    return cached


def forget(user):
    """Drop the cached grants after roles change within one request (tests, admin)."""
    user.__dict__.pop("_ansinh_grants", None)


def jurisdiction_q(user, prefix="") -> Q:
    """A filter on a unit path field (`prefix` + "path") matching everything the person may see."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    paths = sorted({g.path for g in grants(user)})
    # A grant inside another grant adds nothing to the filter.
    roots = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    if not roots:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in roots))


def visible_units(user):
    return Unit.objects.filter(jurisdiction_q(user))


def scope(queryset, user, unit_field="unit"):
    """Restrict any queryset of objects that belong to a unit to the person's jurisdiction.

    `unit_field=""` scopes a queryset of units themselves."""
    q = jurisdiction_q(user, prefix=f"{unit_field}__" if unit_field else "")
    return queryset.filter(q) if q else queryset


def scope_any(queryset, user, *unit_fields):
    """Objects any of whose `unit_fields` lies in the person's jurisdiction (a dossier is seen where its
    unit is and where it was submitted for review and recognition, even after the unit moved)."""
    qs = [jurisdiction_q(user, prefix=f"{field}__") for field in unit_fields]
    if any(not q for q in qs):
        return queryset
    return queryset.filter(reduce(or_, qs))


def get_visible_or_404(queryset, user, unit_field="unit", **lookup):
    try:
        return scope(queryset, user, unit_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def sees(user, unit) -> bool:
    """The unit lies inside the person's jurisdiction (no query once grants are read)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(unit.path.startswith(g.path) for g in grants(user))


def has_role_over(user, unit, *roles) -> bool:
    """The person holds one of `roles` at `unit` or at a unit above it."""
    if unit is None:
        return False
    return any(g.role in roles and unit.path.startswith(g.path) for g in grants(user))


def has_role_at(user, unit, *roles) -> bool:
    """The person holds one of `roles` exactly at `unit` (the level that reviews or decides)."""
    if unit is None:
        return False
    return any(g.role in roles and g.unit_id == unit.pk for g in grants(user))


def home_units(user, *roles):
    """Units where the person holds any of `roles` (all roles when none given), shallowest first."""
    ids = [g.unit_id for g in grants(user) if not roles or g.role in roles]
    return Unit.objects.filter(pk__in=ids).select_related("kind").order_by("depth", "name")


def roles_of(user) -> set[str]:
    return {g.role for g in grants(user)}


def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or Role.ADMIN in roles_of(user)
