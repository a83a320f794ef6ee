"""The one access layer: which units a person may see, and the role facts permissions are built from.

Every list or detail view fetches through `visible_units` / `scope` / `get_visible_or_404`, so an object
outside a person's jurisdiction is a 404 that does not confirm it exists. Named permissions
(`rules.py` in each app) are composed from the predicates here and checked with `user.has_perm` (views:
`require`) and `{% has_perm %}` (templates). No other module filters on the tree path: "under a unit" is
`under` here or `Unit.objects.under` in the tree's own manager.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from ansinh.models import Job
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


def under(unit_or_path, field="") -> Q:
    """A filter on `field`'s unit (the row itself when empty) lying at or under a unit.

    Takes a Unit, a path or an expression (`OuterRef("path")`)."""
    path = unit_or_path.path if isinstance(unit_or_path, Unit) else unit_or_path
    return Q(**{f"{field}__path__startswith" if field else "path__startswith": path})


def _under_any(paths, field) -> Q:
    paths = sorted(set(paths))
    # A grant inside another grant adds nothing to the filter.
    roots = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    if not roots:
        return Q(pk__in=[])
    return reduce(or_, (under(p, field) for p in roots))


def jurisdiction_q(user, field="", roles=()) -> Q:
    """A filter on `field`'s unit matching everything the person may see, or, given `roles`, everything
    under the units where they hold one of them (a superuser holds no role by being one)."""
    if not roles and getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    return _under_any([g.path for g in grants(user) if not roles or g.role in roles], field)


def visible_units(user):
    return Unit.objects.filter(jurisdiction_q(user))


def scope(queryset, user, unit_field="unit", roles=()):
    """Restrict any queryset of objects that belong to a unit to the person's jurisdiction (or to the
    part of it where they hold one of `roles`). `unit_field=""` scopes a queryset of units themselves."""
    q = jurisdiction_q(user, unit_field, roles)
    return queryset.filter(q) if q else queryset


def scope_any(queryset, user, *unit_fields):
    """Objects any of whose `unit_fields` lies in the person's jurisdiction (a dossier is seen where its
    unit is and where it was submitted for review and recognition, even after the unit moved)."""
    qs = [jurisdiction_q(user, field) for field in unit_fields]
    if any(not q for q in qs):
        return queryset
    return queryset.filter(reduce(or_, qs))


def units_where(user, *roles):
    """Units where the person holds one of `roles`, and everything under them."""
    return Unit.objects.filter(jurisdiction_q(user, roles=roles))


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


def holds_at(user, unit_id, *roles) -> bool:
    """The person holds one of `roles` exactly at the unit with id `unit_id` (no query once grants are read)."""
    return any(g.role in roles and g.unit_id == unit_id for g in grants(user))


def unit_ids_at(user, *roles) -> list[int]:
    """Ids of the units where the person holds any of `roles` (all roles when none given), no query: a
    filter `reviewing_unit__in=<ids>` is an index probe, where a subquery of units may scan the whole table."""
    return sorted({g.unit_id for g in grants(user) if not roles or g.role in roles})


def units_at(user, *roles):
    """Units where the person holds any of `roles` (all roles when none given), not those under them."""
    return Unit.objects.filter(pk__in=unit_ids_at(user, *roles))


def home_units(user, *roles):
    """`units_at`, shallowest first, for pages that list them."""
    return units_at(user, *roles).select_related("kind").order_by("depth", "name")


def holds(user, *roles) -> bool:
    """The person holds one of `roles` somewhere (any role when none given)."""
    return any(not roles or g.role in roles for g in grants(user))


def role_names(user) -> list[str]:
    """The names of the person's roles, for the account menu."""
    return sorted({Role(g.role).label for g in grants(user)})


def home_units_where(user, perm):
    """The person's home units on which they hold the named permission `perm`, shallowest first."""
    return [unit for unit in home_units(user) if user.has_perm(perm, unit)]


def require(user, perm, obj=None):
    """Refuse the request (403) unless the person holds `perm` on `obj`; views call it after fetching
    the object through this module, so an outsider has already had a 404."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


def own_jobs(user):
    """Background jobs belong to the person who started them: nobody else sees that one exists."""
    return Job.objects.filter(requested_by=user)
