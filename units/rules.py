"""Who may change the unit tree."""

import rules

from ansinh.access import has_role_over, is_admin
from units.models import Role


@rules.predicate
def admin_over(user, unit):
    return is_admin(user) or has_role_over(user, unit, Role.ADMIN)


@rules.predicate
def clerk_over_child(user, unit):
    """A commune police clerk keeps the commune's villages, agencies, companies and schools,
    not the commune record itself (that belongs to the administrator)."""
    return unit is not None and unit.parent is not None and has_role_over(user, unit.parent, Role.POLICE_CLERK)


@rules.predicate
def clerk_over(user, unit):
    return has_role_over(user, unit, Role.POLICE_CLERK)


rules.add_perm("units.change_unit", admin_over | clerk_over_child)
# Object is the parent that receives the new units.
rules.add_perm("units.add_child", admin_over | clerk_over)
