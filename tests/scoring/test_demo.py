import datetime

import pytest
from django.utils import timezone

from dossiers import demo as dossiers_demo
from dossiers.models import Dossier, DossierStatus
from registrations import demo as registrations_demo
from registrations.models import Registration
from registrations.services import open_year
from scoring import demo, services
from scoring.models import ScoreSheet
from tests.factories import UserFactory
from units import demo as units_demo
from units.models import Unit


@pytest.mark.django_db
def test_demo_scores_across_all_four_classes_then_fills_a_previous_year_and_runs_again_without_duplicates():
    units_demo.seed()
    registrations_demo.seed()
    dossiers_demo.seed()

    assert demo.seed() == "16 bảng điểm mới"
    counting = sorted(
        {s.band.label for s in ScoreSheet.objects.filter(kind="review")},
        key=["Xuất sắc", "Khá", "Trung bình", "Yếu"].index,
    )
    assert counting == ["Xuất sắc", "Khá", "Trung bình", "Yếu"]
    in_review = Dossier.objects.get(status=DossierStatus.IN_REVIEW)
    assert list(in_review.score_sheets.values_list("kind", flat=True)) == ["self"]

    # Another part of the demo may add a completed previous year: its dossiers get sheets on the next run.
    this_year = timezone.localdate().year
    province = Unit.objects.get(code="52")
    previous = open_year(province, this_year - 1)
    recognised = Dossier.objects.filter(status=DossierStatus.RECOGNISED, year__number=this_year).order_by("unit__path")
    for dossier in recognised:
        registration = Registration.objects.create(
            unit=dossier.unit,
            year=previous,
            status=Registration.Status.ACCEPTED,
            registered_on=datetime.date(previous.number, 2, 1),
            base_count=100,
            committed_count=100,
        )
        Dossier.objects.create(
            unit=dossier.unit, year=previous, registration=registration, status=DossierStatus.RECOGNISED
        )

    assert demo.seed() == "6 bảng điểm mới"
    assert demo.seed() == "0 bảng điểm mới"
    kon_gang = Unit.objects.get(name="Xã Kon Gang")
    root = UserFactory(username="root", is_superuser=True)
    streaks = [
        (row.streak, [band.label for _, band in row.history])
        for row in services.with_streaks(services.award_candidates(root, this_year, commune=kon_gang), this_year)
    ]
    assert streaks == [(2, ["Xuất sắc", "Xuất sắc"]), (2, ["Xuất sắc", "Khá"]), (2, ["Khá", "Xuất sắc"]), (0, [])]
