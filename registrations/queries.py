"""The SQL behind the clerk's board and the progress pages: one query for all units of a commune, with each
unit's registration facts annotated, so a page costs the same for 10 units as for 40."""

from functools import reduce
from operator import or_

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Cast, NullIf

from registrations.models import DocumentType, InternalRule, MovementModel, Registration, RegistrationDocument
from registrations.requirements import REQUIREMENTS, missing_items, missing_rules
from units.models import Category, Unit


def _flag(condition):
    return Case(When(condition, then=True), default=False, output_field=BooleanField())


def _first(queryset):
    """The first row's id or NULL. A scalar subquery with LIMIT 1 stays one index probe per row; an EXISTS may
    be planned as a hash of the whole national table (seen at 400 rows: 170,000 movement models, twice)."""
    return Subquery(queryset.order_by().values("pk")[:1])


def _document(doc_type):
    return _first(
        RegistrationDocument.objects.filter(registration=OuterRef("reg_id"), doc_type=doc_type, deleted_at__isnull=True)
    )


def with_registration(units, year):
    """Annotate units with the year's registration (`reg_*`) and one boolean per requirement (named as the
    requirement's flag); alias `missing` for filters and sorting: not registered, or registered with
    something lacking."""
    # One registration per unit and year (a constraint), so this join never multiplies rows.
    units = units.annotate(reg=FilteredRelation("registrations", condition=Q(registrations__year=year))).annotate(
        reg_id=F("reg__id"),
        reg_public_id=F("reg__public_id"),
        reg_status=F("reg__status"),
        reg_registered_on=F("reg__registered_on"),
        reg_base=F("reg__base_count"),
        reg_committed=F("reg__committed_count"),
        reg_late=F("reg__is_late"),
        reg_on_paper=F("reg__on_paper"),
        reg_return_reason=F("reg__return_reason"),
        commitment_ratio=ExpressionWrapper(
            Cast(F("reg__committed_count"), FloatField()) / NullIf(F("reg__base_count"), 0), output_field=FloatField()
        ),
    )
    units = units.alias(
        doc_party=_document(DocumentType.PARTY_RESOLUTION),
        doc_plan=_document(DocumentType.SECURITY_PLAN),
        doc_form=_document(DocumentType.REGISTRATION_FORM),
        first_model=_first(MovementModel.objects.filter(registration=OuterRef("reg_id"))),
    ).annotate(
        party_resolution=_flag(Q(doc_party__isnull=False) | Q(reg__paper_party_resolution=True)),
        security_plan=_flag(Q(doc_plan__isnull=False) | Q(reg__paper_security_plan=True)),
        registration_form=_flag(Q(doc_form__isnull=False) | Q(reg__on_paper=True)),
        movement_model=_flag(Q(first_model__isnull=False)),
        internal_rules=~Exists(_rules_not_held()),
    )
    lacking = [Q(reg_id__isnull=True), Q(reg__base_count=0), Q(reg__committed_count__lt=F("reg__base_count"))]
    lacking += [req.applies_q & Q(**{req.flag: False}) for req in REQUIREMENTS]
    # An alias: compiled into the SQL only when the board filters or sorts on it (it repeats every flag's
    # subqueries); the rows show `missing_list` (fill_missing_lists) instead.
    return units.alias(missing=_flag(reduce(or_, lacking)))


def _rules_not_held():
    """Active rules of the outer unit's kind that its registration (`reg_id`) does not hold."""
    held = Registration.internal_rules.through.objects.filter(
        registration=OuterRef(OuterRef("reg_id")), internalrule=OuterRef("pk")
    )
    return InternalRule.objects.filter(is_active=True, kinds=OuterRef("kind")).exclude(Exists(held))


def facts_of_row(unit, missing_rules=()) -> dict:
    """The facts registrations.requirements.missing_items reads, from a unit annotated above."""
    return {
        "registered": unit.reg_id is not None,
        "base_count": unit.reg_base,
        "committed_count": unit.reg_committed,
        **{req.flag: getattr(unit, req.flag) for req in REQUIREMENTS},
        "missing_rules": list(missing_rules),
    }


def fill_missing_lists(units):
    """Set `missing_list` on units annotated by `with_registration`, naming the missing internal rules;
    two more queries whatever the number of units."""
    units = list(units)
    lacking = [(u.reg_id, u.kind_id) for u in units if u.reg_id is not None and not u.internal_rules]
    names = missing_rules(lacking) if lacking else {}
    for unit in units:
        unit.missing_list = missing_items(unit, facts_of_row(unit, names.get(unit.reg_id, ())))
    return units


def board_units(commune, year):
    """Every participating unit of the commune (the commune itself first), annotated for the board."""
    units = Unit.objects.under(commune).participating().select_related("kind", "parent")
    return with_registration(units, year).order_by("depth", "kind__sort_order", "name")


def out_of_scope_units(commune):
    """The commune's active units that do not register (excluded by the circular or of a kind that does
    not take part), for the note under the board."""
    return (
        Unit.objects.under(commune)
        .active()
        .exclude(
            Q(out_of_scope="", kind__takes_part=True) | Q(kind__category__in=[Category.PROVINCE, Category.DISTRICT])
        )
        .select_related("kind")
    )


def next_unregistered(commune, year):
    """The next unit of the commune, in board order, with no registration for the year (paper entry)."""
    units = Unit.objects.under(commune).participating().exclude(registrations__year=year)
    return units.order_by("depth", "kind__sort_order", "name").first()
