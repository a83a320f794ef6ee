"""The figures of an area for a year — the dashboard and the year-end report (báo cáo kết quả) read the same
function, which reads registrations.progress: one GROUP BY over the area's units by child and category.

On top of the counts: what is overdue against the year's deadlines (per province year and unit category,
computed in Python from the per-category counts, a handful of rows), and for each commune listed whether
100% of the units it manages registered and at least 70% were recognised (dossiers.criteria).
"""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from dossiers.criteria import meets_managed_share
from dossiers.models import DossierStatus, RecognitionShare
from registrations import progress
from registrations.models import Deadline
from scoring.services import area_classification
from units.models import PATH_SEGMENT_WIDTH, Category

D = DossierStatus
HANDED_IN_FIELDS = [f"dossier_{s}" for s in DossierStatus.values if s not in (D.DRAFT, D.RETURNED)]


@dataclass
class Overdue:
    """Counts past the year's deadlines: not registered after registration_due; accepted but no dossier handed
    in after dossier_due; waiting for review after review_due; waiting for the decision after recognition_due."""

    unregistered: int = 0
    no_dossier: int = 0
    review: int = 0
    decision: int = 0

    @property
    def total(self):
        return self.unregistered + self.no_dossier + self.review + self.decision

    def add(self, other):
        self.unregistered += other.unregistered
        self.no_dossier += other.no_dossier
        self.review += other.review
        self.decision += other.decision


def overdue_of(counts, deadline, today) -> Overdue:
    if deadline is None:
        return Overdue()
    v = counts.values
    handed_in = sum(v[key] for key in HANDED_IN_FIELDS)
    return Overdue(
        unregistered=counts.unregistered if today > deadline.registration_due else 0,
        no_dossier=max(0, counts.accepted - handed_in) if today > deadline.dossier_due else 0,
        review=v[f"dossier_{D.SUBMITTED}"] + v[f"dossier_{D.IN_REVIEW}"] if today > deadline.review_due else 0,
        decision=(
            v[f"dossier_{D.RECOMMENDED}"] + v[f"dossier_{D.NOT_RECOMMENDED}"] if today > deadline.recognition_due else 0
        ),
    )


def _pct(part, whole):
    return round(100 * part / whole) if whole else 0


@dataclass
class Line:
    """One child of the area (a province, a commune, or a unit of a commune) with its figures."""

    unit: object
    progress: progress.Progress
    overdue: Overdue
    # None when the child is not a commune; else: 100% registered and ≥70% recognised.
    meets_target: bool | None = None

    @property
    def counts(self):
        return self.progress.total

    @property
    def registered_pct(self):
        return _pct(self.counts.registered, self.counts.total)

    @property
    def recognised_pct(self):
        return _pct(self.counts.recognised, self.counts.total)


@dataclass
class Figures:
    area: object
    year_number: int
    total: progress.Progress
    lines: list
    overdue: Overdue = field(default_factory=Overdue)

    @property
    def counts(self):
        return self.total.total

    @property
    def registered_pct(self):
        return _pct(self.counts.registered, self.counts.total)

    @property
    def recognised_pct(self):
        return _pct(self.counts.recognised, self.counts.total)

    @property
    def communes(self):
        return [line for line in self.lines if line.meets_target is not None]

    @property
    def communes_meeting(self):
        return sum(1 for line in self.communes if line.meets_target)

    @property
    def dossier_states(self):
        """[(state, label, count, percent of all dossiers)]"""
        whole = self.counts.dossiers
        return [(s, label, n, _pct(n, whole)) for s, label, n in self.counts.dossier_states]


def _deadlines(area, year_number):
    """{(province path, category): Deadline} of the province years that govern the area, in one query."""
    rows = Deadline.objects.filter(year__number=year_number).select_related("year__province")
    if area is not None:
        rows = rows.filter(year__province__path=area.path[:PATH_SEGMENT_WIDTH])
    return {(d.year.province.path, d.category): d for d in rows}


def _deadline(deadlines, province_path, category):
    return deadlines.get((province_path, category)) or deadlines.get((province_path, Category.OTHER))


def figures(area, year_number, today: datetime.date) -> Figures:
    """The figures of `area` (None: the whole country) for `year_number`: four queries whatever its size."""
    total, children = progress.area_and_children(area, year_number)
    deadlines = _deadlines(area, year_number)
    percents = RecognitionShare.percents({child.path[:PATH_SEGMENT_WIDTH] for child, _ in children})
    result = Figures(area, year_number, total, [])
    for child, child_progress in children:
        province = child.path[:PATH_SEGMENT_WIDTH]
        overdue = Overdue()
        for category, counts in child_progress.categories.items():
            overdue.add(overdue_of(counts, _deadline(deadlines, province, category), today))
        is_commune = child.kind.category == Category.COMMUNE
        meets = meets_managed_share(child_progress.total, percents[province]) if is_commune else None
        result.lines.append(Line(child, child_progress, overdue, meets))
        result.overdue.add(overdue)
    return result


# The whole country is one pass over every unit (~100 ms at 100,000 units on an idle server): computed at
# most this often and shared by every superuser; the page says when it was computed.
NATIONAL_CACHE_SECONDS = 120


def national_figures(year_number, today: datetime.date):
    """(the whole country's Figures, its classification counts, when they were computed)."""
    key = f"reports:national:{year_number}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = (figures(None, year_number, today), area_classification(None, year_number), timezone.now())
        cache.set(key, found, NATIONAL_CACHE_SECONDS)
    return found
