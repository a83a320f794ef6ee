import pytest
from django.urls import reverse
from freezegun import freeze_time

from registrations.models import MovementModel, Registration
from tests.factories import UnitFactory, kind

S = Registration.Status
TODAY = "2026-02-20 09:00"


def board_url(commune, **params):
    query = "&".join(f"{k}={v}" for k, v in {"nam": 2026, **params}.items())
    return f"{reverse('registrations:board', args=[commune.public_id])}?{query}"


def row_names(response):
    return [u.name for u in response.context["rows"]]


def fill_commune(kon_gang, make_registration, n, start=0):
    """n units of every kind, registered in every state, with models so each column has work to do."""
    codes = ["thon", "lang", "co-quan", "doanh-nghiep", "co-so-giao-duc"]
    states = [S.ACCEPTED, S.SUBMITTED, S.RETURNED, S.DRAFT, None]
    for i in range(start, n):
        code = codes[i % len(codes)]
        unit = UnitFactory(
            name=f"Đơn vị {i:02d}",
            kind=kind(code),
            parent=kon_gang,
            has_party_org=i % 2 == 0,
            households=100 if code in ("thon", "lang") else None,
            staff=None if code in ("thon", "lang") else 30,
        )
        state = states[i % len(states)]
        if state is not None:
            reg = make_registration(unit, state, base=100, committed=90 + i % 11)
            MovementModel.objects.create(registration=reg, name="Tổ tự quản")


@freeze_time(TODAY)
@pytest.mark.parametrize("n", [3, 40])
def test_board_query_count_does_not_grow_with_the_number_of_units(
    n, client, kon_gang, clerk, make_registration, django_assert_max_num_queries
):
    fill_commune(kon_gang, make_registration, n)
    client.force_login(clerk)
    # 13: one more names the internal rules a unit lacks (rules held as data).
    with django_assert_max_num_queries(13):
        response = client.get(board_url(kon_gang))
    assert response.status_code == 200
    assert len(response.context["rows"]) == n + 1  # the commune itself and its units


@freeze_time(TODAY)
def test_board_costs_the_same_queries_for_3_and_40_units(client, kon_gang, clerk, make_registration):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(clerk)
    fill_commune(kon_gang, make_registration, 3)
    client.get(board_url(kon_gang))  # warm the session and the content-type cache
    with CaptureQueriesContext(connection) as small:
        client.get(board_url(kon_gang))
    fill_commune(kon_gang, make_registration, 40, start=3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(board_url(kon_gang))
    assert len(response.context["rows"]) == 41
    assert len(small) > 0
    assert len(large) == len(small)


@freeze_time(TODAY)
def test_board_shows_every_participating_unit_with_status_ratio_and_what_is_missing(
    client, kon_gang, village, other_village, agency, clerk, make_registration
):
    make_registration(village, S.SUBMITTED, base=142, committed=130)
    client.force_login(clerk)
    response = client.get(board_url(kon_gang))
    html = response.content.decode()
    # The commune first, then by kind (thôn before làng, as the kinds are ordered) and name.
    assert row_names(response) == ["Xã Kon Gang", "Thôn Hà Lòng", "Làng Kon Gang Tơ Pơng", "Trạm Y tế xã Kon Gang"]
    assert "Mới 130/142 hộ đăng ký (92%)" in html
    assert "Thiếu nghị quyết của chi bộ" in html
    assert "Nhập bản giấy" in html
    assert 'name="registration"' in html  # the submitted row can be picked for «Tiếp nhận»


@freeze_time(TODAY)
def test_board_filters_by_status_missing_kind_and_late(
    client, kon_gang, village, other_village, agency, clerk, make_registration
):
    make_registration(village, S.SUBMITTED)
    reg = make_registration(other_village, S.ACCEPTED, base=96, committed=96)
    Registration.objects.filter(pk=reg.pk).update(on_paper=True, is_late=True)
    client.force_login(clerk)
    assert row_names(client.get(board_url(kon_gang, status="none"))) == ["Xã Kon Gang", "Trạm Y tế xã Kon Gang"]
    assert row_names(client.get(board_url(kon_gang, status="submitted"))) == ["Làng Kon Gang Tơ Pơng"]
    assert row_names(client.get(board_url(kon_gang, missing="false"))) == ["Thôn Hà Lòng"]
    assert row_names(client.get(board_url(kon_gang, late="true"))) == ["Thôn Hà Lòng"]
    assert row_names(client.get(board_url(kon_gang, category="agency"))) == ["Trạm Y tế xã Kon Gang"]
    assert row_names(client.get(board_url(kon_gang, sort="-name")))[:2] == ["Xã Kon Gang", "Trạm Y tế xã Kon Gang"]


@freeze_time(TODAY)
def test_bulk_accept_receives_the_chosen_and_reports_refusals(
    client, kon_gang, village, other_village, clerk, make_registration
):
    first = make_registration(village, S.SUBMITTED)
    second = make_registration(other_village, S.ACCEPTED)
    client.force_login(clerk)
    response = client.post(
        reverse("registrations:board_accept", args=[kon_gang.public_id]),
        {"registration": [str(first.public_id), str(second.public_id)], "back": "nam=2026"},
        follow=True,
    )
    html = response.content.decode()
    assert "Đã tiếp nhận 1 bản đăng ký." in html
    assert "Không tiếp nhận được 1 bản: Thôn Hà Lòng" in html
    first.refresh_from_db()
    assert first.status == S.ACCEPTED


@freeze_time(TODAY)
def test_bulk_accept_ignores_registrations_of_another_commune(
    client, kon_gang, dak_doa_village, outsider_clerk, clerk, make_registration, year
):
    from registrations import services, workflow

    reg = services.start_registration(
        unit=dak_doa_village,
        year=year,
        user=outsider_clerk,
        registered_on=year.deadlines.first().registration_due,
        base_count=210,
        committed_count=210,
    )
    workflow.perform(reg, "submit", outsider_clerk)
    client.force_login(clerk)
    client.post(
        reverse("registrations:board_accept", args=[kon_gang.public_id]), {"registration": [str(reg.public_id)]}
    )
    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


@freeze_time(TODAY)
def test_clerk_of_another_commune_gets_404_on_the_board(client, kon_gang, outsider_clerk, year):
    client.force_login(outsider_clerk)
    for name in ("registrations:board", "registrations:board_pdf", "registrations:board_xlsx"):
        assert client.get(reverse(name, args=[kon_gang.public_id])).status_code == 404
    assert client.post(reverse("registrations:board_accept", args=[kon_gang.public_id])).status_code == 404


@freeze_time(TODAY)
def test_village_head_may_not_open_the_commune_board(client, kon_gang, village_head, year):
    client.force_login(village_head)
    assert client.get(board_url(kon_gang)).status_code == 404


@freeze_time(TODAY)
def test_clerk_menu_leads_to_the_board(client, kon_gang, clerk):
    client.force_login(clerk)
    response = client.get(reverse("registrations:index"))
    assert response["Location"] == reverse("registrations:board", args=[kon_gang.public_id])
    home = client.get(reverse("home")).content.decode()
    assert "Mở bảng đăng ký" in home


@freeze_time(TODAY)
def test_bulk_accept_with_a_garbled_choice_is_not_an_error(client, kon_gang, clerk, year):
    client.force_login(clerk)
    response = client.post(
        reverse("registrations:board_accept", args=[kon_gang.public_id]), {"registration": ["1 OR 1=1"]}, follow=True
    )
    assert response.status_code == 200
    assert "Chưa chọn bản đăng ký nào." in response.content.decode()


@freeze_time(TODAY)
def test_board_with_nonsense_filters_shows_an_error_not_a_crash(client, kon_gang, village, clerk, year):
    client.force_login(clerk)
    response = client.get(board_url(kon_gang, status="xyz", sort="password", late="maybe"))
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()


@freeze_time(TODAY)
def test_board_exists_for_communes_only(client, village, clerk, year):
    client.force_login(clerk)
    assert client.get(board_url(village)).status_code == 404


@freeze_time(TODAY)
def test_home_card_tells_the_clerk_how_many_wait(client, kon_gang, village, other_village, clerk, make_registration):
    make_registration(village, S.SUBMITTED)
    make_registration(other_village, S.ACCEPTED)
    client.force_login(clerk)
    html = client.get(reverse("home")).content.decode()
    assert '<span class="badge text-bg-primary">1</span> bản đăng ký đang chờ tiếp nhận' in html
