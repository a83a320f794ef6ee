"""Permissions that concern the portal as a whole, and the predicate for "holds a role somewhere" that the
apps' menu permissions are built from (a menu entry asks whether the person has that kind of work at all;
the page it opens then asks about each unit)."""

import rules

from ansinh.access import holds
from units.models import Role


def holds_role(*roles):
    """A predicate true when the person holds one of `roles` at some unit (any role when none given)."""
    name = "holds_" + "_or_".join(roles) if roles else "holds_any_role"
    return rules.predicate(lambda user: holds(user, *roles), name=name)


rules.add_perm("ansinh.administer", holds_role(Role.ADMIN))
rules.add_perm("ansinh.view_audit", holds_role(Role.ADMIN))
# Two-factor login is offered to those whose account signs decisions or changes the rules held as data.
rules.add_perm("ansinh.use_two_factor", holds_role(Role.CHAIRMAN, Role.ADMIN) | rules.is_staff | rules.is_superuser)
