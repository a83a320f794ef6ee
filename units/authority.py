"""Who reviews and who recognises a unit: the `Authority` rows applied to the unit's place in the tree.

A dossier stores both units when it is submitted (dossiers.workflow), so a later move of the unit or a
later change of these rows leaves past years as they were decided."""

from dataclasses import dataclass

from django.db.models import Q

from units.models import PATH_SEGMENT_WIDTH, Authority, AuthorityLevel, Unit


@dataclass(frozen=True)
class Levels:
    reviewing: Unit | None
    recognising: Unit | None


def rule_for(unit) -> Authority | None:
    """The most specific Authority row for `unit` under its current managing unit, or None."""
    managing = unit.parent
    if managing is None:
        return None
    rows = Authority.objects.filter(
        Q(province__isnull=True) | Q(province__path=unit.path[:PATH_SEGMENT_WIDTH]),
        Q(managing_unit__isnull=True) | Q(managing_unit=managing),
        Q(managing_category="") | Q(managing_category=managing.kind.category),
        category=unit.kind.category,
    )
    return max(rows, key=lambda r: r.specificity, default=None)


def _resolve(level, managing):
    if level == AuthorityLevel.ABOVE_MANAGING and managing.parent_id:
        return managing.parent
    if level == AuthorityLevel.PROVINCE:
        return Unit.objects.get(path=managing.path[:PATH_SEGMENT_WIDTH])
    return managing


def levels_for(unit) -> Levels:
    """The units whose standing office reviews and whose chairman recognises `unit` today."""
    managing = unit.parent
    if managing is None:
        return Levels(None, None)
    rule = rule_for(unit)
    if rule is None:
        return Levels(managing, managing)
    reviewing = _resolve(rule.reviewer, managing)
    recognising = reviewing if rule.recogniser == rule.reviewer else _resolve(rule.recogniser, managing)
    return Levels(reviewing, recognising)
