"""Who may score a dossier, and when.

Who: the dossiers app decides (`dossiers.prepare` for the unit's self-assessment, `dossiers.review` for the
reviewer's score); this app only adds when. Once the decision is issued nothing changes."""

import rules

from ansinh.rules import holds_role
from dossiers.models import DossierStatus
from scoring.models import SheetKind
from units.models import Role

S = DossierStatus
# Who enters which sheet: the dossiers app's verbs. When: this app's verbs below (who and the dossier's state).
WHO_ENTERS = {SheetKind.SELF: "dossiers.prepare", SheetKind.REVIEW: "dossiers.review"}
ENTERS_NOW = {SheetKind.SELF: "scoring.enter_self_score", SheetKind.REVIEW: "scoring.enter_review_score"}
# The unit scores itself with its dossier, until the standing office starts the review.
SELF_SCORE_STATES = (S.DRAFT, S.RETURNED, S.SUBMITTED)
# The standing office scores during the review, and may correct it until the chairman decides.
REVIEW_SCORE_STATES = (S.IN_REVIEW, S.RECOMMENDED, S.NOT_RECOMMENDED)


def is_decided(dossier) -> bool:
    """The decision is issued: the dossier is recognised or refused, or a decision lists it."""
    return dossier.status in (S.RECOGNISED, S.REFUSED) or dossier.decision_id is not None


@rules.predicate
def prepares(user, dossier):
    return dossier is not None and user.has_perm("dossiers.prepare", dossier)


@rules.predicate
def reviews(user, dossier):
    return dossier is not None and user.has_perm("dossiers.review", dossier)


@rules.predicate
def self_score_open(user, dossier):
    return not is_decided(dossier) and dossier.status in SELF_SCORE_STATES


@rules.predicate
def review_score_open(user, dossier):
    return not is_decided(dossier) and dossier.status in REVIEW_SCORE_STATES


# Object: a Dossier.
# The state comes first: it needs no query, and outside its states the reviewing level is not looked up.
rules.add_perm("scoring.enter_self_score", self_score_open & prepares)
# Without an object: the menu entry and the home card of a person who scores or follows the classification.
rules.add_perm(
    "scoring.view_classification",
    holds_role(Role.POLICE_CLERK, Role.UNIT_HEAD, Role.STEERING_OFFICE, Role.CHAIRMAN),
)
rules.add_perm("scoring.enter_review_score", review_score_open & reviews)
