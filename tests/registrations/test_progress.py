import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from ansinh.audit import history
from ansinh.models import AuditEvent
from registrations.models import Deadline, Registration, Year
from tests.factories import UnitFactory, kind

S = Registration.Status
TODAY = "2026-02-20 09:00"


def by_category(response):
    return {
        label: (c.total, c.registered, c.accepted, c.late)
        for _, label, c in response.context["figures"].by_category
        if c.total
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
    t = response.context["figures"].total
    assert (t.total, t.registered, t.accepted, t.late) == (3, 2, 1, 1)
    assert [u.name for u in response.context["page"]] == ["Thôn Hà Lòng", "Trạm Y tế xã Kon Gang"]
    assert "67%" in response.content.decode()


@freeze_time(TODAY)
def test_province_progress_rolls_up_each_commune(
    client, kon_gang, dak_doa, village, dak_doa_village, province_steering_office, make_registration
):
    make_registration(village, S.SUBMITTED)
    client.force_login(province_steering_office)
    response = client.get(reverse("registrations:progress_home"), follow=True)
    assert response.status_code == 200
    communes = {c.name: (p.total.total, p.total.registered) for c, p in response.context["page"]}
    assert communes == {"Xã Kon Gang": (1, 1), "Xã Đak Đoa": (1, 0)}
    assert by_category(response) == {"Khu dân cư": (2, 1, 0, 0)}


@freeze_time(TODAY)
@pytest.mark.parametrize("n", [3, 30])
def test_province_progress_query_count_does_not_grow(
    n,
    client,
    kon_gang,
    dak_doa,
    clerk,
    outsider_clerk,
    province_steering_office,
    make_registration,
    django_assert_max_num_queries,
):
    # Units in both communes, in every state a registration can be in (and without one), so each loop of
    # the page (categories, communes, units that lag) has rows to show.
    states = [None, S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.RETURNED]
    registered = {"Xã Kon Gang": 0, "Xã Đak Đoa": 0}
    for i in range(n):
        commune = kon_gang if i % 2 else dak_doa
        unit = UnitFactory(name=f"Thôn {i}", kind=kind("thon"), parent=commune)
        state = states[i % len(states)]
        if state is not None:
            make_registration(unit, state, user=clerk if commune == kon_gang else outsider_clerk)
        registered[commune.name] += state in (S.SUBMITTED, S.ACCEPTED)
    client.force_login(province_steering_office)
    url = reverse("registrations:progress", args=[kon_gang.parent.public_id])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


@freeze_time(TODAY)
def test_progress_excel_opens_with_a_sheet_per_view(client, kon_gang, village, province_chairman, year):
    client.force_login(province_chairman)
    response = client.get(reverse("registrations:progress_xlsx", args=[kon_gang.parent.public_id]))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Theo nhóm đơn vị", "Theo đơn vị trực thuộc"]
    assert wb["Theo nhóm đơn vị"]["A1"].value == "TỈNH GIA LAI"
    rows = list(wb["Theo đơn vị trực thuộc"].iter_rows(min_row=7, values_only=True))
    assert rows == [("Xã Kon Gang", 1, 0, 0, 0, 0, 1)]
    response = client.get(reverse("registrations:progress_xlsx", args=[kon_gang.public_id]))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Theo nhóm đơn vị", "Chưa đăng ký, nộp muộn"]
    rows = list(wb["Chưa đăng ký, nộp muộn"].iter_rows(min_row=7, values_only=True))
    assert [r[1] for r in rows] == ["Làng Kon Gang Tơ Pơng"]


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
    event = AuditEvent.objects.get(action="edit_deadlines")
    assert (event.actor, event.label) == (province_admin, "Sửa mốc thời gian năm 2026: 1 nhóm đơn vị")
    assert event.changes == {"Khu dân cư: hạn đăng ký": ["13/02/2026", "15/03/2026"]}

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
    for name in (
        "registration_due",
        "registration_compiled_due",
        "dossier_due",
        "results_compiled_due",
        "review_due",
        "recognition_due",
        "classification_due",
    ):
        data[f"form-{extra}-{name}"] = "2026-03-01"
    data[f"form-{extra}-period_start"], data[f"form-{extra}-period_end"] = "2025-10-01", "2026-09-30"
    response = client.post(url, data)
    # The extra form is ignored (the formset edits only), so the save goes through with the rows there were.
    assert response.status_code == 302
    assert Deadline.objects.filter(year=year).count() == extra


ORDER = "Ngày bắt đầu kỳ đánh giá phải trước ngày kết thúc."
REQUIRED = "Trường này là bắt buộc."


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        ("2026-09-30", "2026-09-30", ORDER),
        ("2026-12-01", "2026-09-30", ORDER),
        ("2026-12-01", "", REQUIRED),
        ("", "2026-09-30", REQUIRED),
    ],
)
def test_evaluation_period_out_of_order_is_a_form_error(client, province, year, province_admin, start, end, error):
    client.force_login(province_admin)
    url = reverse("registrations:deadlines", args=[province.public_id]) + "?nam=2026"
    formset = client.get(url).context["formset"]
    first = formset.forms[0].instance
    data = deadline_post(formset)
    data["form-0-period_start"], data["form-0-period_end"] = start, end
    response = client.post(url, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    saved = Deadline.objects.get(pk=first.pk)
    assert (saved.period_start, saved.period_end) == (first.period_start, first.period_end)
    assert not AuditEvent.objects.filter(action="edit_deadlines").exists()


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


@freeze_time(TODAY)
def test_province_progress_lists_communes_only_fifty_a_page_with_drill_down(
    client, province, year, province_steering_office
):
    for i in range(55):
        commune = UnitFactory(name=f"Xã {i:02d}", kind=kind("xa"), parent=province)
        UnitFactory(name=f"Thôn của xã {i:02d}", kind=kind("thon"), parent=commune)
    client.force_login(province_steering_office)
    url = reverse("registrations:progress", args=[province.public_id])
    first = client.get(url)
    assert [c.name for c, _ in first.context["page"]][:2] == ["Xã 00", "Xã 01"]
    assert len(first.context["page"]) == 50
    second = client.get(url + "?page=2")
    assert [c.name for c, _ in second.context["page"]] == ["Xã 50", "Xã 51", "Xã 52", "Xã 53", "Xã 54"]
    commune = second.context["page"][0][0]
    assert reverse("registrations:progress", args=[commune.public_id]) in second.content.decode()
    assert "Thôn của xã" not in first.content.decode()
