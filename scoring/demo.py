"""Demo score sheets: the current year's dossiers of the demo province scored by the unit and by the standing
office across all four classes, and the previous years' dossiers (when the demo has them) so the award list
shows streaks. Safe to run again: a sheet that exists is left alone."""

from decimal import ROUND_FLOOR, Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from dossiers.models import Dossier, DossierStatus
from scoring import services
from scoring.classification import SCORE_STEP
from scoring.models import ScoreSheet, SheetKind
from scoring.rules import ENTERS_NOW, WHO_ENTERS

S = DossierStatus
# (self-assessment, reviewer's score) per dossier state, used in turn; None: that sheet is not entered yet, so
# the dossier in review waits on the standing office's home page and the draft on the clerk's.
CURRENT = {
    S.RECOGNISED: [("97", "95"), ("93", "91.5"), ("82", "78")],
    S.RECOMMENDED: [("80", "72.5")],
    S.NOT_RECOMMENDED: [("70", "45.5")],
    S.IN_REVIEW: [("75", None)],
    S.REFUSED: [("68", "55")],
    S.SUBMITTED: [("92", None), ("88", None)],
    S.RETURNED: [("85", None)],
    S.DRAFT: [(None, None)],
}
# Previous years: recognised units were Xuất sắc or Khá in turn, the others Trung bình.
PAST_RECOGNISED = [("95", "93"), ("86", "81")]
PAST_OTHER = ("66", "60")


def spread(items, target):
    """Points per item adding up to `target`: proportional to each maximum, rounded down to 0.5, the rest
    given 0.5 at a time to items with room."""
    target = Decimal(target)
    points = {
        item.pk: (item.max_points * target / 100 / SCORE_STEP).to_integral_value(ROUND_FLOOR) * SCORE_STEP
        for item in items
    }
    rest = target - sum(points.values())
    while rest > 0:
        for item in items:
            if rest > 0 and points[item.pk] + SCORE_STEP <= item.max_points:
                points[item.pk] += SCORE_STEP
                rest -= SCORE_STEP
    return {pk: str(value) for pk, value in points.items()}


def _score(dossier, kind, total, people):
    if total is None or ScoreSheet.objects.filter(dossier=dossier, kind=kind).exists():
        return 0
    user = next((u for u in people if u.has_perm(WHO_ENTERS[kind], dossier)), people[0])
    points = spread(services.items_of(services.template_for(dossier)), total)
    if user.has_perm(ENTERS_NOW[kind], dossier):
        services.enter_scores(dossier=dossier, kind=kind, user=user, points=points)
    else:
        services.import_sheet(dossier=dossier, kind=kind, user=user, points=points)
    return 1


def seed(stdout=None):
    users = get_user_model().objects.filter(
        username__in=["congan.konggang", "truongthon.konggang", "bcd.konggang", "bcd.gialai"]
    )
    people = sorted(users, key=lambda u: u.username)
    this_year = timezone.localdate().year
    dossiers = Dossier.objects.filter(year__province__code="52", year__number__lte=this_year).select_related(
        "unit__kind", "unit__parent", "year"
    )
    turns = {status: list(pairs) for status, pairs in CURRENT.items()}
    past_turn = 0
    created = 0
    for dossier in dossiers.order_by("-year__number", "unit__path"):
        if dossier.year.number == this_year:
            pairs = turns.get(dossier.status) or [(None, None)]
            self_total, review_total = pairs.pop(0) if len(pairs) > 1 else pairs[0]
        elif dossier.status == S.RECOGNISED:
            self_total, review_total = PAST_RECOGNISED[past_turn % len(PAST_RECOGNISED)]
            past_turn += 1
        else:
            self_total, review_total = PAST_OTHER
        created += _score(dossier, SheetKind.SELF, self_total, people)
        created += _score(dossier, SheetKind.REVIEW, review_total, people)
    return f"{created} bảng điểm mới"
