"""Signing in and browsing the commune's units in a real browser (issue 2)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, login
from tests.factories import UnitFactory, kind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _unit_names(page):
    return page.locator("table.table-units tbody tr td:first-child a")


def test_wrong_password_is_refused_in_vietnamese_and_the_right_one_opens_the_home_page(page, clerk):
    clerk.first_name = "Nguyễn Thị Hoa"
    clerk.save(update_fields=["first_name"])

    page.goto("/dang-nhap/")
    page.locator("input[name=username]").fill("congan.konggang")
    page.locator("input[name=password]").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.")).to_be_visible()
    assert page.url.endswith("/dang-nhap/")

    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hoa")).to_be_visible()
    expect(page.get_by_role("navigation").get_by_text("Nguyễn Thị Hoa")).to_be_visible()
    assert page.url.endswith("/")
    assert "/dang-nhap/" not in page.url


def test_clerk_opens_units_from_the_navbar_and_search_and_filters_narrow_the_list(
    page, clerk, kon_gang, village, other_village, dak_doa_village
):
    UnitFactory(name="Trường THCS Kon Gang", kind=kind("co-so-giao-duc"), parent=kon_gang, staff=38, households=None)
    login(page, "congan.konggang")

    page.get_by_role("navigation").get_by_role("link", name="Đơn vị").click()

    expect(page.get_by_role("heading", name="Xã Kon Gang", exact=True)).to_be_visible()
    expect(_unit_names(page)).to_have_text(["Thôn Hà Lòng", "Làng Kon Gang Tơ Pơng", "Trường THCS Kon Gang"])

    page.get_by_label("Tìm theo tên, mã").fill("Hà Lòng")
    page.get_by_role("button", name="Lọc").click()
    expect(_unit_names(page)).to_have_text(["Thôn Hà Lòng"])

    page.get_by_role("link", name="Bỏ lọc").click()
    expect(_unit_names(page)).to_have_count(3)

    page.get_by_label("Nhóm").select_option(label="Cơ sở giáo dục")
    page.get_by_role("button", name="Lọc").click()
    expect(_unit_names(page)).to_have_text(["Trường THCS Kon Gang"])

    page.get_by_label("Tìm theo tên, mã").fill("Không có thôn này")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text("Không có đơn vị phù hợp.")).to_be_visible()
    expect(_unit_names(page)).to_have_count(0)


def test_clerk_of_kon_gang_opening_a_dak_doa_unit_gets_the_404_page(page, clerk, dak_doa_village):
    login(page, "congan.konggang")

    response = page.goto(f"/don-vi/{dak_doa_village.public_id}/")

    assert response.status == 404
    expect(page.get_by_text("Thôn 1 Đak Đoa")).to_have_count(0)
    expect(page.get_by_text("Xã Đak Đoa")).to_have_count(0)
