"""Verbs of the cross-cutting pages."""

import rules

from ansinh import access


@rules.predicate
def is_admin(user):
    return access.is_admin(user)


rules.add_perm("ansinh.view_audit", is_admin)
