"""The registration progress of an area: the one definition behind every figure of it — the board header,
the compiled list (PDF, Excel), the progress page and its Excel, the commune's checklist item "100% of the
units it manages registered, 70% recognised", the dashboard and the year-end report.

Counted: the units strictly under the area (the area itself is never counted in its own area: a commune's
own registration goes to the province), of the categories a commune manages (khu dân cư, cơ quan, doanh
nghiệp, cơ sở giáo dục), that take part (in scope of Thông tư 124, of a kind that takes part, not archived).
Registered: submitted or accepted — handed in, whether or not received yet; a draft or a registration
returned for correction is not registered. Recognised: the unit's dossier of the year is recognised.

Every figure is one GROUP BY over the unit tree: units are grouped by the fixed-length path prefix of the
ancestor wanted (PATH_SEGMENT_WIDTH per level), never a subquery per row, so the cost of an area depends on
the units inside it, not on the size of the country.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, Q
from django.db.models.functions import Substr

from ansinh import access
from dossiers.models import DossierStatus
from registrations.models import Registration, Year
from units.models import MANAGED_CATEGORIES, PATH_SEGMENT_WIDTH, Category, Unit

REGISTERED_STATES = (Registration.Status.SUBMITTED, Registration.Status.ACCEPTED)

# What every page showing these figures says they count.
COUNTED_NOTE = (
    "Đã đăng ký = đã nộp hoặc đã tiếp nhận; tính khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc địa bàn "
    "(không tính chính xã, phường); không tính đơn vị ngoài phạm vi hoặc đã ngừng theo dõi."
)

_REGISTERED = Q(reg__status__in=REGISTERED_STATES)
AGGREGATES = {
    "total": Count("pk"),
    "registered": Count("pk", filter=_REGISTERED),
    "accepted": Count("pk", filter=Q(reg__status=Registration.Status.ACCEPTED)),
    "returned": Count("pk", filter=Q(reg__status=Registration.Status.RETURNED)),
    "late": Count("pk", filter=_REGISTERED & Q(reg__is_late=True)),
    **{f"dossier_{s}": Count("pk", filter=Q(dos__status=s)) for s in DossierStatus.values},
}
FIELDS = tuple(AGGREGATES)


@dataclass
class Counts:
    """Figures of a set of counted units; `dossier_<state>` per dossier state."""

    values: dict = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def add(self, row):
        values = self.values
        for key in FIELDS:
            values[key] += row[key]

    @property
    def unregistered(self):
        return self.total - self.registered

    @property
    def recognised(self):
        return self.values[f"dossier_{DossierStatus.RECOGNISED}"]

    @property
    def dossiers(self):
        return sum(self.values[f"dossier_{s}"] for s in DossierStatus.values)

    @property
    def dossier_states(self):
        return [(s, label, self.values[f"dossier_{s}"]) for s, label in DossierStatus.choices]

    @property
    def all_registered(self):
        return self.total > 0 and self.registered == self.total


@dataclass
class Progress:
    """The figures of one area: `total` over all counted units and `by_category` in Category order."""

    total: Counts = field(default_factory=Counts)
    categories: dict = field(default_factory=dict)

    def add(self, category, row):
        self.total.add(row)
        counts = self.categories.get(category)
        if counts is None:
            counts = self.categories[category] = Counts()
        counts.add(row)

    def merge(self, other):
        for category, counts in other.categories.items():
            self.add(category, counts.values)

    @property
    def by_category(self):
        """[(category value, label, Counts)] for every counted category, empty ones included."""
        return [(c, Category(c).label, self.categories.get(c, Counts())) for c in MANAGED_CATEGORIES]


def counted_units(area=None):
    """The units counted in `area` (None: the whole country)."""
    units = Unit.objects.participating().filter(kind__category__in=MANAGED_CATEGORIES)
    if area is not None:
        units = units.filter(access.under(area)).exclude(pk=area.pk)
    return units


def governing_years(number, area=None):
    """Ids of the province years numbered `number` that govern `area` (one per province). `number` may be
    the Year itself when the caller has it (an area inside one province): no query then."""
    if isinstance(number, Year):
        return [number.pk]
    years = Year.objects.filter(number=number)
    if area is not None:
        years = years.filter(province__path=area.path[:PATH_SEGMENT_WIDTH])
    return list(years.values_list("pk", flat=True))


def _in_years(relation, years):
    """The join condition of `relation` (registrations, dossiers) to the years. With no year opened yet it
    joins nothing; an empty IN would empty the whole query, units included."""
    if not years:
        return Q(**{f"{relation}__year__isnull": True})
    return Q(**{f"{relation}__year__in": years})


def _rows(units, years, group):
    """One GROUP BY: `group` (an expression or None) and the category, with every aggregate."""
    units = units.annotate(
        reg=FilteredRelation("registrations", condition=_in_years("registrations", years)),
        dos=FilteredRelation("dossiers", condition=_in_years("dossiers", years)),
    )
    keys = {"category": "kind__category"}
    if group is not None:
        units = units.annotate(group=group)
        keys = {"group": "group", "category": "kind__category"}
    return units.order_by().values(*keys.values()).annotate(**AGGREGATES)


def ancestor_prefix(depth):
    """The path of each unit's ancestor at `depth` (0 = province): a fixed-length prefix."""
    return Substr("path", 1, (depth + 1) * PATH_SEGMENT_WIDTH)


def area_progress(area, year_number) -> Progress:
    """The progress of one area (None: the whole country) in two queries (the year, the figures); one when
    given the area's Year instead of its number."""
    result = Progress()
    for row in _rows(counted_units(area), governing_years(year_number, area), None):
        result.add(row["kind__category"], row)
    return result


def areas_progress(areas, year_number) -> dict:
    """The progress of several areas, keyed by unit pk: one query per distinct depth among them, plus the years."""
    result = {a.pk: Progress() for a in areas}
    by_depth = {}
    for a in areas:
        by_depth.setdefault(a.depth, {})[a.path] = a.pk
    for depth, paths in by_depth.items():
        under = Q()
        for path in paths:
            under |= access.under(path)
        units = counted_units().filter(under).exclude(pk__in=paths.values())
        for row in _rows(units, governing_years(year_number), ancestor_prefix(depth)):
            result[paths[row["group"]]].add(row["kind__category"], row)
    return result


def grouped(area, year_number):
    """The aggregate behind an area's pages: one row per (child of `area`, category) — the child being the
    ancestor at the next depth of each counted unit (each province for the whole country)."""
    depth = 0 if area is None else area.depth + 1
    return _rows(counted_units(area), governing_years(year_number, area), ancestor_prefix(depth))


def children_progress(area, year_number) -> list:
    """[(child unit, Progress)] for each child of `area` (None: each province) that has counted units under
    it, or is itself a counted unit, in name order: three queries."""
    groups = {}
    for row in grouped(area, year_number):
        groups.setdefault(row["group"], Progress()).add(row["kind__category"], row)
    children = (
        Unit.objects.filter(path__in=list(groups))
        .select_related("kind")
        .only("public_id", "name", "path", "depth", "kind__category", "kind__name")
        .order_by("name")
    )
    return [(child, groups[child.path]) for child in children]


def area_and_children(area, year_number):
    """(the area's Progress, children_progress) from the same single aggregate: the area is the sum of its
    children."""
    children = children_progress(area, year_number)
    total = Progress()
    for _, child in children:
        total.merge(child)
    return total, children


def laggards(area, year_number):
    """Counted units of `area` not registered (none, draft, returned) or registered late, in tree order."""
    units = counted_units(area).annotate(
        reg=FilteredRelation("registrations", condition=_in_years("registrations", governing_years(year_number, area)))
    )
    return (
        units.filter(~_REGISTERED | Q(reg__is_late=True))
        .annotate(
            reg_public_id=F("reg__public_id"),
            reg_status=F("reg__status"),
            reg_late=F("reg__is_late"),
            reg_registered_on=F("reg__registered_on"),
        )
        .select_related("kind", "parent")
        .order_by("path")
    )
