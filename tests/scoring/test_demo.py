import pytest
from django.utils import timezone

from dossiers import demo as dossiers_demo
from dossiers.models import Dossier, DossierStatus
from registrations import demo as registrations_demo
from scoring import demo, services
from scoring.models import ScoreSheet
from tests.factories import UserFactory
from units import demo as units_demo
from units.models import Unit


@pytest.mark.django_db
def test_demo_scores_both_years_across_all_four_classes_and_runs_again_without_duplicates():
    units_demo.seed()
    registrations_demo.seed()
    dossiers_demo.seed()

    # This year: 16 sheets; a self and a reviewer's sheet for each of the completed previous year's 15
    # dossiers and for the two merged hamlets' dossiers of the two years before.
    assert demo.seed() == "54 bảng điểm mới"
    counting = sorted(
        {s.band.label for s in ScoreSheet.objects.filter(kind="review")},
        key=["Xuất sắc", "Khá", "Trung bình", "Yếu"].index,
    )
    assert counting == ["Xuất sắc", "Khá", "Trung bình", "Yếu"]
    in_review = Dossier.objects.get(status=DossierStatus.IN_REVIEW)
    assert list(in_review.score_sheets.values_list("kind", flat=True)) == ["self"]
    this_year = timezone.localdate().year
    assert ScoreSheet.objects.filter(dossier__year__number=this_year - 1, kind="review").count() == 15

    assert demo.seed() == "0 bảng điểm mới"
    kon_gang = Unit.objects.get(name="Xã Kon Gang")
    root = UserFactory(username="root", is_superuser=True)
    streaks = [
        (row.streak, [band.label for _, band in row.history])
        for row in services.with_streaks(services.award_candidates(root, this_year, commune=kon_gang), this_year)
    ]
    assert streaks == [(2, ["Xuất sắc", "Khá"]), (2, ["Xuất sắc", "Xuất sắc"]), (2, ["Khá", "Khá"]), (0, [])]
