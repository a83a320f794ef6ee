import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dossiers.models import Dossier, DossierStatus
from registrations.models import Registration
from registrations.services import open_year
from scoring.models import ScoreSheet, ScoreTemplate
from tests.factories import UnitFactory, kind
from units.authority import levels_for

pytestmark = pytest.mark.django_db


def scored(unit, year, status, review=None, self=None):
    """A dossier of `unit` in `status` with sheet totals (no entries: the lists read totals only)."""
    registration = Registration.objects.create(
        unit=unit,
        year=year,
        status=Registration.Status.ACCEPTED,
        registered_on=datetime.date(year.number, 2, 1),
        base_count=10,
        committed_count=10,
    )
    # A dossier past submission carries the levels the submit transition stamps on it.
    levels = levels_for(unit)
    dossier = Dossier.objects.create(
        unit=unit,
        year=year,
        registration=registration,
        status=status,
        reviewing_unit=levels.reviewing,
        recognising_unit=levels.recognising,
    )
    template = ScoreTemplate.objects.get(category=unit.kind.category, version=1)
    for sheet_kind, total in (("self", self), ("review", review)):
        if total is not None:
            ScoreSheet.objects.create(dossier=dossier, kind=sheet_kind, template=template, total=Decimal(total))
    return dossier


def _villages(commune, n, prefix="Thôn"):
    return [UnitFactory(name=f"{prefix} {i}", kind=kind("thon"), parent=commune) for i in range(n)]


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


PAGES = [
    "/cham-diem/?year=2026",
    "/cham-diem/ung-vien/khen-thuong/?year=2026",
    "/cham-diem/ung-vien/dien-hinh/?year=2026",
]


def test_the_lists_read_in_the_same_queries_for_10_and_200_units(
    client, steering_office, kon_gang, year, django_assert_max_num_queries
):
    client.force_login(steering_office)
    bands = ["95", "75", "55", "35", None]
    units = _villages(kon_gang, 200)
    for n, unit in enumerate(units[:10]):
        scored(unit, year, DossierStatus.RECOGNISED, review=bands[n % 5], self="80")
    small = [_queries(client, url) for url in PAGES]
    for n, unit in enumerate(units[10:]):
        scored(unit, year, DossierStatus.RECOGNISED, review=bands[n % 5], self="80")
    with django_assert_max_num_queries(3 * 12):
        large = [_queries(client, url) for url in PAGES]
    assert small == large


def test_the_list_counts_each_band_and_filters_by_it(client, chairman, kon_gang, year):
    units = _villages(kon_gang, 5)
    for unit, total in zip(units, ["90", "89.5", "70", "49.5", None], strict=True):
        scored(unit, year, DossierStatus.IN_REVIEW, review=total)
    client.force_login(chairman)
    response = client.get("/cham-diem/?year=2026&band=good")
    rows = [(r.unit.name, r.band.label) for r in response.context["rows"]]
    assert rows == [("Thôn 1", "Khá"), ("Thôn 2", "Khá")]
    assert [(b.label, n) for b, n in response.context["counts"]] == [
        ("Xuất sắc", 1),
        ("Khá", 2),
        ("Trung bình", 0),
        ("Yếu", 1),
    ]
    assert response.context["unscored"] == 1


def test_award_candidates_show_how_many_years_in_a_row_each_unit_was_recognised(
    client, steering_office, province, kon_gang, year
):
    steady, newcomer, not_yet = _villages(kon_gang, 3)
    for number, total in ((2024, "95"), (2025, "91"), (2026, "93")):
        scored(steady, open_year(province, number), DossierStatus.RECOGNISED, review=total)
    scored(newcomer, open_year(province, 2024), DossierStatus.RECOGNISED, review="80")
    scored(newcomer, open_year(province, 2025), DossierStatus.REFUSED, review="60")
    scored(newcomer, year, DossierStatus.RECOGNISED, review="72")
    scored(not_yet, year, DossierStatus.RECOMMENDED, review="85")
    client.force_login(steering_office)

    response = client.get("/cham-diem/ung-vien/khen-thuong/?year=2026")

    rows = [
        (r.unit.name, r.band.label, r.streak, [(y, b.label) for y, b in r.history]) for r in response.context["rows"]
    ]
    assert rows == [
        ("Thôn 0", "Xuất sắc", 3, [(2026, "Xuất sắc"), (2025, "Xuất sắc"), (2024, "Xuất sắc")]),
        ("Thôn 2", "Khá", 0, []),
        ("Thôn 1", "Khá", 1, [(2026, "Khá")]),
    ]


def test_model_unit_candidates_are_recognised_and_good_or_better(client, clerk, kon_gang, year):
    good, average, waiting = _villages(kon_gang, 3)
    scored(good, year, DossierStatus.RECOGNISED, review="70")
    scored(average, year, DossierStatus.RECOGNISED, review="69.5")
    scored(waiting, year, DossierStatus.RECOMMENDED, review="98")
    client.force_login(clerk)
    response = client.get("/cham-diem/ung-vien/dien-hinh/?year=2026")
    assert [(r.unit.name, r.band.label) for r in response.context["rows"]] == [("Thôn 0", "Khá")]


def test_the_excel_export_writes_a_unit_name_as_text_never_a_formula(client, clerk, kon_gang, year):
    formula = UnitFactory(name='=HYPERLINK("http://x.invalid","Bấm")', kind=kind("thon"), parent=kon_gang)
    scored(formula, year, DossierStatus.RECOGNISED, review="91", self="95")
    client.force_login(clerk)
    exports = [("/cham-diem/?year=2026&xuat=excel", 8), ("/cham-diem/ung-vien/khen-thuong/?year=2026&xuat=excel", 6)]
    for url, class_column in exports:
        sheet = load_workbook(io.BytesIO(client.get(url).content)).active
        cell = sheet.cell(row=5, column=2)
        assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x.invalid","Bấm")', "s")
        assert sheet.cell(row=5, column=class_column).value == "Xuất sắc"


def test_the_lists_show_nothing_outside_the_jurisdiction(client, outsider_clerk, kon_gang, village, year):
    scored(village, year, DossierStatus.RECOGNISED, review="95")
    client.force_login(outsider_clerk)
    for url in ("/cham-diem/?year=2026", "/cham-diem/ung-vien/khen-thuong/?year=2026"):
        assert client.get(url).context["rows"] == []


@pytest.mark.parametrize("role", ["clerk", "village_head", "steering_office", "chairman"])
def test_every_role_that_scores_reaches_the_lists_from_the_home_page(client, role, request, year):
    client.force_login(request.getfixturevalue(role))
    home = client.get("/").content.decode()
    assert 'href="/cham-diem/"' in home
    assert client.get("/cham-diem/").status_code == 200


def test_the_home_page_lists_what_waits_for_the_reviewers_score(client, steering_office, village, year):
    scored(village, year, DossierStatus.IN_REVIEW, self="80")
    client.force_login(steering_office)
    home = client.get("/").content.decode()
    assert "hồ sơ đang thẩm định chờ chấm điểm thẩm định" in home
    assert f"/cham-diem/ho-so/{Dossier.objects.get().public_id}/tham-dinh/" in home


def test_the_standing_office_scores_from_the_list(client, steering_office, village, other_village, year):
    waiting = scored(village, year, DossierStatus.IN_REVIEW, self="80")
    scored(other_village, year, DossierStatus.RECOGNISED, review="91")
    client.force_login(steering_office)
    page = client.get("/cham-diem/?year=2026").content.decode()
    assert page.count("Chấm thẩm định</a>") == 1
    assert f"/cham-diem/ho-so/{waiting.public_id}/tham-dinh/" in page
