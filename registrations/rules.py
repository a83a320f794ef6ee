"""Who may do what with registrations. The object is a Unit, a Registration or a RegistrationDocument;
each predicate reads the unit it concerns.

- The unit head (UNIT_HEAD at that very unit) registers their own unit.
- The commune police clerk (POLICE_CLERK over the unit) enters registrations, also from paper.
- The level that manages the unit (POLICE_CLERK or the steering office over `unit.parent`) receives them:
  accepts or returns. A commune's own registration is therefore received by the province.
- The administrator of a province edits that province's deadlines.
Superusers pass every check through Django's model backend.
"""

import rules

from ansinh.access import has_role_at, has_role_over
from ansinh.rules import holds_role
from registrations.models import Registration, RegistrationStatus, Year
from units.models import Role, Unit

OVERSEEING_ROLES = (Role.POLICE_CLERK, Role.STEERING_OFFICE, Role.CHAIRMAN, Role.RECORDS_CLERK, Role.ADMIN)
# Who receives a unit's registration, at the unit that manages it.
RECEIVING_ROLES = (Role.POLICE_CLERK, Role.STEERING_OFFICE)


def unit_of(obj):
    if obj is None or isinstance(obj, Unit):
        return obj
    if isinstance(obj, Year):
        return obj.province
    return obj.unit


@rules.predicate
def is_unit_head(user, obj):
    return has_role_at(user, unit_of(obj), Role.UNIT_HEAD)


@rules.predicate
def is_clerk_over(user, obj):
    return has_role_over(user, unit_of(obj), Role.POLICE_CLERK)


@rules.predicate
def is_receiver(user, obj):
    unit = unit_of(obj)
    return unit is not None and has_role_over(user, unit.parent, *RECEIVING_ROLES)


@rules.predicate
def in_scope(user, obj):
    unit = unit_of(obj)
    return unit is not None and unit.is_in_scope


@rules.predicate
def is_open(user, obj):
    """A draft or a returned registration; a unit with none yet counts as open."""
    return not isinstance(obj, Registration) or obj.is_open_for_edit


@rules.predicate
def is_submitted(user, obj):
    return isinstance(obj, Registration) and obj.status == RegistrationStatus.SUBMITTED


@rules.predicate
def covers(user, obj):
    return has_role_over(user, unit_of(obj), *Role.values)


@rules.predicate
def oversees(user, obj):
    return has_role_over(user, unit_of(obj), *OVERSEEING_ROLES)


@rules.predicate
def admin_over(user, obj):
    return has_role_over(user, unit_of(obj), Role.ADMIN)


registers_unit = is_unit_head | is_clerk_over

rules.add_perm("registrations.register", in_scope & registers_unit)
rules.add_perm("registrations.enter_paper", in_scope & is_clerk_over)
# The clerk may complete a submitted registration (scan the paper) before receiving it.
rules.add_perm("registrations.edit_registration", (registers_unit & is_open) | (is_receiver & is_submitted))
# Scope is checked by the workflow itself, so an out-of-scope unit hears why rather than "no permission".
rules.add_perm("registrations.submit", registers_unit)
rules.add_perm("registrations.accept", is_receiver)
rules.add_perm("registrations.return", is_receiver)
# A signed paper form scanned back is filed by the clerk over the unit or the level that receives it.
rules.add_perm("registrations.attach_paper", is_clerk_over | is_receiver)
rules.add_perm("registrations.view_files", covers)
rules.add_perm("registrations.view_board", oversees)
rules.add_perm("registrations.view_progress", oversees)
rules.add_perm("registrations.edit_deadlines", admin_over)
# Correcting a filed registration's date and counts (with a reason and a proof) is the commune police's.
rules.add_perm("registrations.correct", is_clerk_over)

# Without an object: the menu entries and home page cards of a person who has that work somewhere.
rules.add_perm("registrations.keep_boards", holds_role(Role.POLICE_CLERK))
rules.add_perm("registrations.receive_paper_scans", holds_role(*RECEIVING_ROLES))
rules.add_perm("registrations.register_own_unit", holds_role(Role.UNIT_HEAD))
# The commune police follow their commune on its board rather than on the progress page.
rules.add_perm(
    "registrations.follow_progress", holds_role(Role.STEERING_OFFICE, Role.CHAIRMAN, Role.RECORDS_CLERK, Role.ADMIN)
)
