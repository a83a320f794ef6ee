"""The dashboard and the year-end report: numbers counted by hand for a small province, the 70% flag of each
commune, flat query counts, jurisdiction, and the exports."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from ansinh.models import Job
from dossiers.models import DossierStatus
from registrations.models import Registration
from registrations.services import open_year
from scoring.models import ScoreSheet, ScoreTemplate
from tests.dossiers.conftest import make_dossier, register
from tests.factories import Role, UnitFactory, kind, person

S = Registration.Status
D = DossierStatus
TODAY = "2026-12-28 09:00"  # after every 2026 deadline of the defaults: everything unfinished is overdue
KINDS = ["thon", "lang", "co-quan", "co-so-giao-duc", "doanh-nghiep"]


def units_of(commune, n, prefix="Đơn vị"):
    return [
        UnitFactory(name=f"{prefix} {i}", kind=kind(KINDS[i % len(KINDS)]), parent=commune, staff=20) for i in range(n)
    ]


def report_through_a_job(client, name, area, filename):
    """A province's report is a background job: the person lands on its page (the immediate backend ran
    it), sees it finished, and downloads the file from there."""
    response = client.post(reverse(name, args=[area.public_id]), {"nam": "2026"})
    job = Job.objects.get(requested_by=response.wsgi_request.user)
    assert (response.status_code, response["Location"]) == (302, reverse("job", args=[job.public_id]))
    page = client.get(response["Location"]).content.decode()
    assert 'Xong</span>: <span data-role="done">3</span>/3 bước.' in page
    download = client.get(reverse("job_download", args=[job.public_id]))
    assert download["Content-Disposition"].endswith(f'filename="{filename}"')
    return b"".join(download.streaming_content)


@pytest.fixture
def year(province):
    open_year(province, 2025)
    return open_year(province, 2026)


@pytest.fixture
def gia_lai(kon_gang, dak_doa, year):
    """Kon Gang: 10 units, all registered (8 accepted, 2 submitted), 7 recognised -> meets the target.
    Đak Đoa: 4 units, 3 accepted and recognised, 1 returned -> 3/4 registered, does not meet it.
    Plus units that never count: an out-of-scope school and an archived village, both registered."""
    kg = units_of(kon_gang, 10)
    for i, unit in enumerate(kg):
        register(unit, year, status=S.ACCEPTED if i < 8 else S.SUBMITTED)
        if i < 7:
            make_dossier(unit, year, D.RECOGNISED, documents=False)
    dd = units_of(dak_doa, 4, "Thôn")
    for unit in dd[:3]:
        register(unit, year)
        make_dossier(unit, year, D.RECOGNISED, documents=False)
    register(dd[3], year, status=S.RETURNED)
    # Kon Gang has one more accepted unit whose dossier waits for review, beyond its deadline.
    waiting = UnitFactory(name="Trường THCS", kind=kind("co-so-giao-duc"), parent=kon_gang, staff=30)
    register(waiting, year)
    make_dossier(waiting, year, D.SUBMITTED, documents=False)
    school = UnitFactory(name="Mầm non", kind=kind("co-so-giao-duc"), parent=kon_gang, out_of_scope="kindergarten")
    register(school, year)
    old = UnitFactory(name="Thôn cũ", kind=kind("thon"), parent=dak_doa, archived_at=timezone.now())
    register(old, year)
    return year


def dashboard(client, unit, year=2026):
    return client.get(reverse("reports:dashboard", args=[unit.public_id]) + f"?nam={year}")


@freeze_time(TODAY)
def test_province_dashboard_shows_the_numbers_counted_by_hand(client, province, gia_lai, province_steering_office):
    client.force_login(province_steering_office)
    response = dashboard(client, province)
    assert response.status_code == 200
    data = response.context["data"]
    c = data.counts
    assert (c.total, c.registered, c.accepted, c.returned, c.dossiers, c.recognised) == (15, 14, 12, 1, 11, 10)
    assert (data.registered_pct, data.recognised_pct) == (93, 67)
    lines = {line.unit.name: (line.counts.total, line.counts.registered, line.counts.recognised) for line in data.lines}
    assert lines == {"Xã Kon Gang": (11, 11, 7), "Xã Đak Đoa": (4, 3, 3)}
    # Overdue on 28/12: Đak Đoa's returned unit is unregistered, one accepted Kon Gang unit has no dossier,
    # the school's dossier is past its review date.
    o = data.overdue
    assert (o.unregistered, o.no_dossier, o.review, o.decision) == (1, 1, 1, 0)
    html = response.content.decode()
    assert 'id="stat-registered"' in html
    assert "Đã đăng ký = đã nộp hoặc đã tiếp nhận" in html


@freeze_time(TODAY)
def test_each_commune_is_flagged_on_all_registered_and_seventy_percent_recognised(
    client, province, gia_lai, province_steering_office
):
    client.force_login(province_steering_office)
    data = dashboard(client, province).context["data"]
    assert {line.unit.name: line.meets_target for line in data.lines} == {"Xã Kon Gang": False, "Xã Đak Đoa": False}
    assert data.communes_meeting == 0


@freeze_time(TODAY)
def test_a_commune_meets_the_target_with_all_registered_and_seven_of_ten_recognised(
    client, province, kon_gang, year, province_steering_office
):
    for i, unit in enumerate(units_of(kon_gang, 10)):
        register(unit, year, status=S.ACCEPTED if i < 9 else S.SUBMITTED)
        if i < 7:
            make_dossier(unit, year, D.RECOGNISED, documents=False)
    client.force_login(province_steering_office)
    data = dashboard(client, province).context["data"]
    assert [(line.unit.name, line.meets_target) for line in data.lines] == [("Xã Kon Gang", True)]
    assert "1/1" in dashboard(client, province).content.decode()


@freeze_time(TODAY)
def test_commune_dashboard_lists_each_unit_with_a_link_to_it(client, kon_gang, gia_lai, clerk):
    client.force_login(clerk)
    response = dashboard(client, kon_gang)
    data = response.context["data"]
    assert (data.counts.total, data.counts.registered, data.counts.recognised) == (11, 11, 7)
    assert len(data.lines) == 11
    assert data.lines[0].url.startswith(reverse("registrations:unit", args=[data.lines[0].unit.public_id]))


@freeze_time(TODAY)
@pytest.mark.parametrize("page", ["dashboard", "progress"])
def test_query_count_is_the_same_for_a_commune_of_10_and_of_200_units(page, client, province, kon_gang, dak_doa, year):
    office = person(Role.STEERING_OFFICE, province, "bcd.tinh")
    client.force_login(office)
    small, big = UnitFactory(name="Xã Nhỏ", kind=kind("xa"), parent=province), kon_gang
    counts = {}
    for commune, n in ((small, 10), (big, 200)):
        for unit in units_of(commune, n):
            register(unit, year, documents=False, model=False)
        url_name = "reports:dashboard" if page == "dashboard" else "registrations:progress"
        url = reverse(url_name, args=[commune.public_id]) + "?nam=2026"
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[n] = len(captured)
    assert counts[10] == counts[200]


@freeze_time(TODAY)
def test_a_person_sees_only_the_numbers_of_their_jurisdiction(client, province, kon_gang, gia_lai, outsider_clerk):
    other = UnitFactory(name="Tỉnh Kon Tum", kind=kind("tinh"), code="62", households=None)
    commune = UnitFactory(name="Xã Khác", kind=kind("xa"), parent=other)
    office = person(Role.STEERING_OFFICE, other, "bcd.kontum")
    year = open_year(other, 2026)
    for unit in units_of(commune, 3):
        register(unit, year)
    client.force_login(outsider_clerk)
    assert dashboard(client, kon_gang).status_code == 404
    assert dashboard(client, province).status_code == 404
    assert client.get(reverse("reports:national")).status_code == 404
    data = dashboard(client, outsider_clerk.role_assignments.get().unit).context["data"]
    assert (data.counts.total, data.counts.registered) == (4, 3)
    client.force_login(office)
    data = dashboard(client, other).context["data"]
    assert (data.counts.total, data.counts.registered) == (3, 3)


@freeze_time(TODAY)
def test_village_head_cannot_open_a_dashboard(client, kon_gang, village, village_head):
    client.force_login(village_head)
    assert dashboard(client, village).status_code == 404
    assert dashboard(client, kon_gang).status_code == 404


@freeze_time(TODAY)
def test_dashboard_is_reachable_from_the_home_page(client, province_chairman):
    client.force_login(province_chairman)
    assert reverse("reports:index") in client.get(reverse("home")).content.decode()
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302


@freeze_time(TODAY)
def test_report_excel_opens_and_its_totals_match_the_dashboard(client, province, gia_lai, province_steering_office):
    formula = UnitFactory(name='=HYPERLINK("http://x")', kind=kind("xa"), parent=province)
    UnitFactory(name="Thôn mới", kind=kind("thon"), parent=formula)
    client.force_login(province_steering_office)
    content = report_through_a_job(client, "reports:report_xlsx", province, "bao-cao-ket-qua-2026.xlsx")
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Theo loại đơn vị", "Theo đơn vị trực thuộc"]
    rows = list(wb["Theo loại đơn vị"].iter_rows(min_row=7, values_only=True))
    assert rows[-1][:7] == ("Tổng cộng", 16, 14, 87.5, 11, 10, 62.5)
    children = {r[0]: r[1:3] for r in wb["Theo đơn vị trực thuộc"].iter_rows(min_row=7, values_only=True)}
    assert children["Xã Kon Gang"] == (11, 11)
    assert children["Tổng cộng"] == (16, 14)
    names = [row[0] for row in wb["Theo đơn vị trực thuộc"].iter_rows(min_row=7, max_col=1)]
    assert [(c.value, c.data_type) for c in names if c.value.startswith("=")] == [('=HYPERLINK("http://x")', "s")]


@freeze_time(TODAY)
def test_report_pdf_is_a_nd30_document_with_the_same_totals(client, province, gia_lai, province_chairman):
    client.force_login(province_chairman)
    content = report_through_a_job(client, "reports:report_pdf", province, "bao-cao-ket-qua-2026.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO" in text
    # Counted by hand for gia_lai: 11 + 4 units in scope, 14 registered (Đak Đoa's returned one is not),
    # 7 + 3 recognised.
    totals = " ".join(text[text.index("Tổng cộng") :].split())
    assert totals.startswith("Tổng cộng 15 14 93,3% 10 66,7%")


@freeze_time(TODAY)
def test_superuser_sees_the_whole_country_province_by_province(client, province, gia_lai, django_user_model):
    other = UnitFactory(name="Tỉnh Kon Tum", kind=kind("tinh"), code="62", households=None)
    commune = UnitFactory(name="Xã Khác", kind=kind("xa"), parent=other)
    year = open_year(other, 2026)
    for unit in units_of(commune, 3):
        register(unit, year)
    admin = django_user_model.objects.create_superuser("quantri.tw", password="x")
    client.force_login(admin)
    assert client.get(reverse("reports:index")).url == reverse("reports:national")
    response = client.get(reverse("reports:national") + "?nam=2026")
    data = response.context["data"]
    assert {line.unit.name: line.counts.total for line in data.lines} == {"Tỉnh Gia Lai": 15, "Tỉnh Kon Tum": 3}
    assert (data.counts.total, data.counts.registered) == (18, 17)
    assert "Số liệu toàn quốc tổng hợp lúc" in response.content.decode()


@freeze_time(TODAY)
def test_each_number_leads_to_the_list_behind_it(client, province, gia_lai, province_steering_office):
    client.force_login(province_steering_office)
    response = dashboard(client, province)
    recognised = client.get(response.context["recognised_url"])
    assert recognised.context["page"].paginator.count == 10
    waiting = client.get(response.context["review_url"])
    assert [d.unit.name for d in waiting.context["page"]] == ["Trường THCS"]
    kon_gang = next(line for line in response.context["data"].lines if line.unit.name == "Xã Kon Gang")
    assert client.get(kon_gang.dossiers_url).context["page"].paginator.count == 8
    assert client.get(kon_gang.url).context["data"].counts.total == 11


@freeze_time(TODAY)
def test_a_year_not_opened_yet_shows_every_unit_as_not_registered(client, kon_gang, village, clerk):
    client.force_login(clerk)
    response = client.get(reverse("reports:dashboard", args=[kon_gang.public_id]) + "?nam=2027")
    counts = response.context["data"].counts
    assert (counts.total, counts.registered, counts.dossiers) == (1, 0, 0)


@freeze_time(TODAY)
def test_dashboard_counts_each_class_of_the_reviewers_score(client, province, kon_gang, year, province_chairman):
    template = ScoreTemplate.objects.get(category="residential_area", version=1)
    for name, total in [("A", "95"), ("B", "90"), ("C", "89.5"), ("D", "50"), ("E", "49.5"), ("F", None)]:
        dossier = make_dossier(UnitFactory(name=f"Thôn {name}", kind=kind("thon"), parent=kon_gang), year, D.IN_REVIEW)
        if total is not None:
            ScoreSheet.objects.create(dossier=dossier, kind="review", template=template, total=Decimal(total))
        # A unit's own proposal does not count: only the reviewer's score classifies.
        ScoreSheet.objects.create(dossier=dossier, kind="self", template=template, total=Decimal("100"))
    client.force_login(province_chairman)

    bands, unscored = dashboard(client, province).context["classification"]

    assert [(band.label, n) for band, n in bands] == [("Xuất sắc", 2), ("Khá", 1), ("Trung bình", 1), ("Yếu", 1)]
    assert unscored == 1


@freeze_time(TODAY)
def test_a_communes_report_comes_back_at_once_and_a_get_starts_nothing(client, kon_gang, year, clerk):
    client.force_login(clerk)
    url = reverse("reports:report_pdf", args=[kon_gang.public_id])
    assert client.get(url + "?nam=2026").status_code == 405
    response = client.post(url, {"nam": "2026"})
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert "BÁO CÁO" in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert Job.objects.count() == 0
