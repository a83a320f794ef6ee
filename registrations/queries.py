"""The SQL behind the clerk's board and the progress pages: one query for all units of a commune, with each
unit's registration facts annotated, so a page costs the same for 10 units as for 40."""

from functools import reduce
from operator import or_

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Cast, NullIf

from ansinh import access
from registrations.models import DocumentType, MovementModel, Registration, RegistrationDocument
from registrations.requirements import INTERNAL_RULES, REQUIREMENTS
from units.models import Category, Unit

# Counted as registered for the 100% target: handed in, whether or not received yet.
REGISTERED_STATES = (Registration.Status.SUBMITTED, Registration.Status.ACCEPTED)


def _flag(condition):
    return Case(When(condition, then=True), default=False, output_field=BooleanField())


def _document_on_file(doc_type):
    return Exists(
        RegistrationDocument.objects.filter(registration=OuterRef("reg_id"), doc_type=doc_type, deleted_at__isnull=True)
    )


def with_registration(units, year):
    """Annotate units with the year's registration (`reg_*`), one boolean per requirement (named as the
    requirement's flag) and `missing`: not registered, or registered with something lacking."""
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
        **{f"reg_{field}": F(f"reg__{field}") for field, _ in INTERNAL_RULES},
    )
    units = units.annotate(
        party_resolution=_flag(
            Q(_document_on_file(DocumentType.PARTY_RESOLUTION)) | Q(reg__paper_party_resolution=True)
        ),
        security_plan=_flag(Q(_document_on_file(DocumentType.SECURITY_PLAN)) | Q(reg__paper_security_plan=True)),
        registration_form=_flag(Q(_document_on_file(DocumentType.REGISTRATION_FORM)) | Q(reg__on_paper=True)),
        movement_model=Exists(MovementModel.objects.filter(registration=OuterRef("reg_id"))),
        internal_rules=_flag(Q(**{f"reg__{field}": True for field, _ in INTERNAL_RULES})),
    )
    lacking = [Q(reg_id__isnull=True), Q(reg__base_count=0), Q(reg__committed_count__lt=F("reg__base_count"))]
    lacking += [req.applies_q & Q(**{req.flag: False}) for req in REQUIREMENTS]
    return units.annotate(missing=_flag(reduce(or_, lacking)))


def facts_of_row(unit) -> dict:
    """The facts registrations.requirements.missing_items reads, from a unit annotated above."""
    return {
        "registered": unit.reg_id is not None,
        "base_count": unit.reg_base,
        "committed_count": unit.reg_committed,
        **{req.flag: getattr(unit, req.flag) for req in REQUIREMENTS},
        "missing_rules": [name for field, name in INTERNAL_RULES if not getattr(unit, f"reg_{field}")],
    }


def board_units(commune, year):
    """Every participating unit of the commune (the commune itself first), annotated for the board."""
    units = Unit.objects.under(commune).participating().select_related("kind", "parent")
    return with_registration(units, year).order_by("depth", "kind__sort_order", "name")


def progress_by_category(units, year):
    """Per kind category: units in scope, registered (submitted or accepted), accepted, late — one query."""
    rows = (
        units.participating()
        .annotate(reg=FilteredRelation("registrations", condition=Q(registrations__year=year)))
        .values("kind__category")
        .annotate(
            total=Count("pk"),
            registered=Count("pk", filter=Q(reg__status__in=REGISTERED_STATES)),
            accepted=Count("pk", filter=Q(reg__status=Registration.Status.ACCEPTED)),
            late=Count("pk", filter=Q(reg__is_late=True, reg__status__in=REGISTERED_STATES)),
        )
        .order_by("kind__category")
    )
    order = {value: i for i, value in enumerate(Category.values)}
    labels = dict(Category.choices)
    result = [{**r, "category": labels[r["kind__category"]]} for r in rows]
    return sorted(result, key=lambda r: order[r["kind__category"]])


def totals(rows) -> dict:
    keys = ("total", "registered", "accepted", "late")
    return {k: sum(r[k] for r in rows) for k in keys}


def _count_under(year, condition=None):
    """A correlated count of participating units strictly under the outer unit's path."""
    units = (
        Unit.objects.participating()
        .filter(access.under(OuterRef("path")))
        .exclude(pk=OuterRef("pk"))
        .annotate(reg=FilteredRelation("registrations", condition=Q(registrations__year=year)))
        .filter(condition or Q())
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Subquery(units, output_field=IntegerField())


def communes_progress(province, year):
    """Each commune of the province with its managed units in scope, registered and late — one query."""
    return (
        Unit.objects.under(province, include_self=False)
        .filter(kind__category=Category.COMMUNE)
        .annotate(
            total=_count_under(year),
            registered=_count_under(year, Q(reg__status__in=REGISTERED_STATES)),
            late=_count_under(year, Q(reg__is_late=True, reg__status__in=REGISTERED_STATES)),
        )
        .order_by("name")
    )


def progress(unit, year):
    """The progress of everything under `unit`: figures per kind category, per commune (None for a
    commune itself) and the units that lag (not registered, late, or not handed in), in tree order."""
    units = Unit.objects.under(unit, include_self=False)
    categories = progress_by_category(units, year)
    communes = list(communes_progress(unit, year)) if unit.kind.category != Category.COMMUNE else None
    laggards = (
        with_registration(units.participating().select_related("kind", "parent"), year)
        .filter(Q(reg_id__isnull=True) | Q(reg_late=True) | ~Q(reg_status__in=REGISTERED_STATES))
        .order_by("path")
    )
    return categories, communes, laggards


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
