"""Who may do what with dossiers, incidents and decisions.

A unit prepares its own dossier (its head, or the commune police over it). The standing office of the
reviewing unit reviews it and the chairman of the recognising unit decides: both are stored on the dossier
when it is submitted and read from the authority rows (`units.authority`) before that. By default both
are the managing unit, so a commune is reviewed by the level above it, never by its own standing office.
"""

import rules

from ansinh import access
from ansinh.access import has_role_at, has_role_over
from ansinh.rules import holds_role
from dossiers.models import Dossier, DossierStatus
from units.authority import levels_for
from units.models import Role


def _unit(obj):
    """The unit an object belongs to: a Unit, or anything with `.unit`."""
    return getattr(obj, "unit", obj)


@rules.predicate
def head_of_unit(user, obj):
    return obj is not None and has_role_at(user, _unit(obj), Role.UNIT_HEAD)


@rules.predicate
def police_over_unit(user, obj):
    return obj is not None and has_role_over(user, _unit(obj), Role.POLICE_CLERK)


def _level_ids(obj):
    """(reviewing, recognising) unit ids of a dossier, or of a unit's dossier if it were submitted now."""
    if isinstance(obj, Dossier):
        return obj.level_ids
    levels = levels_for(_unit(obj))
    return tuple(u.pk if u else None for u in (levels.reviewing, levels.recognising))


def _holds_at(user, unit_id, role):
    return unit_id is not None and access.holds_at(user, unit_id, role)


@rules.predicate
def steering_office_of_reviewing_unit(user, obj):
    return obj is not None and _holds_at(user, _level_ids(obj)[0], Role.STEERING_OFFICE)


@rules.predicate
def chairman_of_reviewing_unit(user, obj):
    return obj is not None and _holds_at(user, _level_ids(obj)[0], Role.CHAIRMAN)


@rules.predicate
def chairman_of_managing_unit(user, obj):
    """The chairman who decides recognition (the recognising unit; by default the managing unit)."""
    return obj is not None and _holds_at(user, _level_ids(obj)[1], Role.CHAIRMAN)


@rules.predicate
def dossier_editable(user, dossier):
    return dossier.status in (DossierStatus.DRAFT, DossierStatus.RETURNED)


@rules.predicate
def dossier_in_review(user, dossier):
    return dossier.status == DossierStatus.IN_REVIEW


@rules.predicate
def chairman_at(user, unit):
    return has_role_at(user, unit, Role.CHAIRMAN)


@rules.predicate
def records_clerk_of_issuer(user, decision):
    return has_role_at(user, decision.issuer, Role.RECORDS_CLERK)


@rules.predicate
def issuer_chairman(user, decision):
    return has_role_at(user, decision.issuer, Role.CHAIRMAN)


@rules.predicate
def decision_reader(user, decision):
    return has_role_at(user, decision.issuer, Role.CHAIRMAN, Role.RECORDS_CLERK, Role.STEERING_OFFICE) or has_role_over(
        user, decision.issuer, Role.ADMIN
    )


@rules.predicate
def archive_reader(user, obj):
    """Hồ sơ lưu trữ: the commune's clerks, standing office and chairman, and every level above it (the
    province's roles are the inspectors); not the unit's own head."""
    return obj is not None and has_role_over(
        user, _unit(obj), Role.POLICE_CLERK, Role.RECORDS_CLERK, Role.STEERING_OFFICE, Role.CHAIRMAN, Role.ADMIN
    )


preparer = head_of_unit | police_over_unit
reviewer = steering_office_of_reviewing_unit | chairman_of_reviewing_unit | chairman_of_managing_unit

# Object: the Unit the dossier will be for.
rules.add_perm("dossiers.create_dossier", preparer)
# Object: a Dossier.
rules.add_perm("dossiers.prepare", preparer)
rules.add_perm("dossiers.upload", preparer & dossier_editable)
rules.add_perm("dossiers.review", reviewer)
rules.add_perm("dossiers.confirm_criteria", reviewer & dossier_in_review)
rules.add_perm("dossiers.decide", chairman_of_managing_unit)
rules.add_perm("dossiers.comment", preparer | reviewer)
# Object: the Unit an incident is recorded against (or the Incident).
rules.add_perm("dossiers.record_incident", police_over_unit)
# Object: the issuing unit.
rules.add_perm("dossiers.issue_decision", chairman_at)
# Object: a Decision.
rules.add_perm("dossiers.print_decision", decision_reader)
rules.add_perm("dossiers.mark_printed", records_clerk_of_issuer)
rules.add_perm("dossiers.sign_decision", records_clerk_of_issuer | issuer_chairman)
# Object: the Unit whose year (a dossier's unit, or a commune with everything under it) is downloaded.
rules.add_perm("dossiers.download_bundle", archive_reader)

# Without an object: the menu entries and home page cards of a person who has that work somewhere.
rules.add_perm("dossiers.view_dossiers", holds_role())
rules.add_perm("dossiers.prepare_dossiers", holds_role(Role.POLICE_CLERK, Role.UNIT_HEAD))
rules.add_perm("dossiers.review_dossiers", holds_role(Role.STEERING_OFFICE, Role.CHAIRMAN))
rules.add_perm("dossiers.issue_decisions", holds_role(Role.CHAIRMAN))
rules.add_perm(
    "dossiers.view_decisions", holds_role(Role.CHAIRMAN, Role.RECORDS_CLERK, Role.STEERING_OFFICE, Role.ADMIN)
)
rules.add_perm("dossiers.view_incidents", holds_role(Role.POLICE_CLERK, Role.STEERING_OFFICE, Role.ADMIN))
rules.add_perm("dossiers.record_incidents", holds_role(Role.POLICE_CLERK))
