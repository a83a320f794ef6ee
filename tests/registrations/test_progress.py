import datetime
import io

import pytest
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from ansinh.audit import history
from registrations.models import Deadline, Registration, Year
from tests.factories import UnitFactory, kind

S = Registration.Status
TODAY = "2026-02-20 09:00"


def by_category(response):
    return {
        r["category"]: (r["total"], r["registered"], r["accepted"], r["late"]) for r in response.context["categories"]
    }


@freeze_time(TODAY)
def test_commune_progress_counts_registered_units_per_kind_against_all_in_scope(
    client, kon_gang, village, other_village, agency, clerk, make_registration
):
    make_registration(village, S.ACCEPTED)
    late = make_registration(other_village, S.SUBMITTED)
    Registration.objects.filter(pk=late.pk).update(is_late=True)
    make_registration(agency, S.DRAFT)
    client.force_login(clerk)
    response = client.get(reverse("registrations:progress", args=[kon_gang.public_id]) + "?nam=2026")
    assert by_category(response) == {"Khu dân cư": (2, 2, 1, 1), "Cơ quan": (1, 0, 0, 0)}
    assert response.context["totals"] == {"total": 3, "registered": 2, "accepted": 1, "late": 1}
    assert [u.name for u in response.context["laggards"]] == ["Thôn Hà Lòng", "Trạm Y tế xã Kon Gang"]
    assert "67%" in response.content.decode()


@freeze_time(TODAY)
def test_province_progress_rolls_up_each_commune(
    client, kon_gang, dak_doa, village, dak_doa_village, province_steering_office, make_registration
):
    make_registration(village, S.SUBMITTED)
    client.force_login(province_steering_office)
    response = client.get(reverse("registrations:progress_home"), follow=True)
    assert response.status_code == 200
    communes = {c.name: (c.total, c.registered) for c in response.context["communes"]}
    assert communes == {"Xã Kon Gang": (1, 1), "Xã Đak Đoa": (1, 0)}
    assert by_category(response) == {"Xã / phường / thị trấn / đặc khu": (2, 0, 0, 0), "Khu dân cư": (2, 1, 0, 0)}


@freeze_time(TODAY)
@pytest.mark.parametrize("n", [3, 30])
def test_province_progress_query_count_does_not_grow(
    n, client, kon_gang, province_steering_office, django_assert_max_num_queries
):
    for i in range(n):
        UnitFactory(name=f"Thôn {i}", kind=kind("thon"), parent=kon_gang)
    client.force_login(province_steering_office)
    url = reverse("registrations:progress", args=[kon_gang.parent.public_id])
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


@freeze_time(TODAY)
def test_progress_excel_opens_with_a_sheet_per_view(client, kon_gang, village, province_chairman, year):
    client.force_login(province_chairman)
    response = client.get(reverse("registrations:progress_xlsx", args=[kon_gang.parent.public_id]))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Theo nhóm đơn vị", "Theo xã", "Chưa đăng ký, nộp muộn"]
    assert wb["Theo nhóm đơn vị"]["A1"].value == "TỈNH GIA LAI"
    rows = list(wb["Chưa đăng ký, nộp muộn"].iter_rows(min_row=6, values_only=True))
    assert [r[1] for r in rows] == ["Xã Kon Gang", "Làng Kon Gang Tơ Pơng"]


@freeze_time(TODAY)
def test_clerk_of_another_commune_gets_404_on_progress(client, kon_gang, outsider_clerk):
    client.force_login(outsider_clerk)
    assert client.get(reverse("registrations:progress", args=[kon_gang.public_id])).status_code == 404


@freeze_time(TODAY)
def test_province_admin_changes_the_registration_deadline(client, province, year, province_admin):
    client.force_login(province_admin)
    url = reverse("registrations:deadlines", args=[province.public_id]) + "?nam=2026"
    page = client.get(url)
    formset = page.context["formset"]
    data = {"form-TOTAL_FORMS": len(formset.forms), "form-INITIAL_FORMS": len(formset.forms)}
    for i, form in enumerate(formset.forms):
        data[f"form-{i}-id"] = form.instance.pk
        for name in form.fields:
            if name != "id":
                data[f"form-{i}-{name}"] = getattr(form.instance, name).isoformat()
    residential = next(i for i, f in enumerate(formset.forms) if f.instance.category == "residential_area")
    data[f"form-{residential}-registration_due"] = "2026-03-15"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Deadline.objects.get(year=year, category="residential_area").registration_due == datetime.date(2026, 3, 15)
    assert Deadline.objects.get(year=year, category="commune").registration_due == datetime.date(2026, 2, 13)

    data[f"form-{residential}-period_start"] = "2026-12-01"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Ngày bắt đầu kỳ đánh giá phải trước ngày kết thúc." in response.content.decode()


def deadline_post(formset):
    data = {"form-TOTAL_FORMS": len(formset.forms), "form-INITIAL_FORMS": len(formset.forms)}
    for i, form in enumerate(formset.forms):
        data[f"form-{i}-id"] = form.instance.pk
        for name in form.fields:
            if name != "id":
                data[f"form-{i}-{name}"] = getattr(form.instance, name).isoformat()
    return data


@freeze_time(TODAY)
def test_a_tampered_deadline_form_count_adds_no_rows(client, province, year, province_admin):
    client.force_login(province_admin)
    url = reverse("registrations:deadlines", args=[province.public_id]) + "?nam=2026"
    data = deadline_post(client.get(url).context["formset"])
    extra = data["form-TOTAL_FORMS"]
    data["form-TOTAL_FORMS"] = extra + 1
    for name in ("registration_due", "registration_compiled_due", "dossier_due", "review_due", "recognition_due"):
        data[f"form-{extra}-{name}"] = "2026-03-01"
    data[f"form-{extra}-period_start"], data[f"form-{extra}-period_end"] = "2025-10-01", "2026-09-30"
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    assert Deadline.objects.filter(year=year).count() == extra


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("start", "end"),
    [("2026-09-30", "2026-09-30"), ("2026-12-01", "2026-09-30"), ("2026-12-01", ""), ("", "2026-09-30")],
)
def test_evaluation_period_out_of_order_is_a_form_error(client, province, year, province_admin, start, end):
    client.force_login(province_admin)
    url = reverse("registrations:deadlines", args=[province.public_id]) + "?nam=2026"
    data = deadline_post(client.get(url).context["formset"])
    data["form-0-period_start"], data["form-0-period_end"] = start, end
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày bắt đầu kỳ đánh giá phải trước ngày kết thúc." in html or "Trường này là bắt buộc." in html
    assert not Deadline.objects.filter(year=year, period_end__lte=models.F("period_start")).exists()


@freeze_time(TODAY)
def test_clerk_cannot_change_deadlines(client, province, kon_gang, year, clerk, province_steering_office):
    client.force_login(clerk)
    assert client.get(reverse("registrations:deadlines", args=[province.public_id])).status_code == 404
    client.force_login(province_steering_office)
    assert client.get(reverse("registrations:deadlines", args=[province.public_id])).status_code == 403


@freeze_time(TODAY)
def test_a_year_that_was_never_opened_is_not_found(client, kon_gang, clerk, year):
    client.force_login(clerk)
    assert client.get(reverse("registrations:board", args=[kon_gang.public_id]) + "?nam=2019").status_code == 404
    assert client.get(reverse("registrations:board", args=[kon_gang.public_id]) + "?nam=abc").status_code == 404
    assert not Year.objects.filter(number=2019).exists()


@freeze_time(TODAY)
def test_province_admin_opens_next_year_with_the_button_and_it_is_audited(client, province, year, province_admin):
    client.force_login(province_admin)
    page = client.get(reverse("registrations:deadlines", args=[province.public_id]) + "?nam=2026")
    html = page.content.decode()
    assert reverse("registrations:open_year", args=[province.public_id]) in html
    assert "Mở năm 2027" in html
    response = client.post(reverse("registrations:open_year", args=[province.public_id]), {"nam": "2027"})
    assert response["Location"] == reverse("registrations:deadlines", args=[province.public_id]) + "?nam=2027"
    opened = Year.objects.get(province=province, number=2027)
    assert Deadline.objects.get(year=opened, category="residential_area").registration_due == datetime.date(2027, 2, 13)
    assert [(e.action, e.label, e.actor, e.unit) for e in history(opened)] == [
        ("open_year", "Mở năm đánh giá", province_admin, province)
    ]
    client.post(reverse("registrations:open_year", args=[province.public_id]), {"nam": "2027"})
    assert history(opened).count() == 1


@freeze_time(TODAY)
def test_following_a_link_to_an_unopened_year_opens_nothing(client, province, year, province_admin):
    client.force_login(province_admin)
    response = client.get(reverse("registrations:deadlines", args=[province.public_id]) + "?nam=2027")
    assert response.status_code == 404
    assert client.get(reverse("registrations:open_year", args=[province.public_id]) + "?nam=2027").status_code == 405
    assert not Year.objects.filter(number=2027).exists()


@freeze_time(TODAY)
def test_only_the_province_administrator_opens_a_year(client, province, year, clerk, province_steering_office):
    url = reverse("registrations:open_year", args=[province.public_id])
    client.force_login(clerk)
    assert client.post(url, {"nam": "2027"}).status_code == 404
    client.force_login(province_steering_office)
    assert client.post(url, {"nam": "2027"}).status_code == 403
    assert not Year.objects.filter(number=2027).exists()


@freeze_time(TODAY)
def test_a_year_far_ahead_or_garbled_is_not_opened(client, province, year, province_admin):
    client.force_login(province_admin)
    url = reverse("registrations:open_year", args=[province.public_id])
    for value in ("2030", "abc", ""):
        response = client.post(url, {"nam": value}, follow=True)
        assert "Chỉ mở được năm đánh giá từ 2000 đến 2027." in response.content.decode()
    assert list(Year.objects.values_list("number", flat=True)) == [2026]


def test_open_year_command_opens_the_province_year(province):
    out = io.StringIO()
    call_command("open_year", "2027", "--province", "52", stdout=out)
    assert out.getvalue() == "Tỉnh Gia Lai: năm 2027, 6 nhóm mốc thời gian.\n"
