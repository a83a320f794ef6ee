"""Who may change the unit tree."""

import rules

from ansinh.access import has_role_over
from units.models import Role


@rules.predicate
def admin_over(user, unit):
    return user.is_superuser or has_role_over(user, unit, Role.ADMIN)


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
@rules.predicate
def holds_units(user, unit):
    """Only a province, district or commune has units under it; a village holds no communes."""
    return unit is not None and unit.kind.is_administrative


rules.add_perm("units.add_child", holds_units & (admin_over | clerk_over))

# Object: the unit that moves, and (checked separately) the unit that receives it.
rules.add_perm("units.move_unit", admin_over)
# Object: the unit where the role is granted or revoked.
rules.add_perm("units.grant_role", admin_over)
# Recording that a unit merged into, or was split from, another: whoever keeps the unit's record.
rules.add_perm("units.record_lineage", admin_over | clerk_over_child)
