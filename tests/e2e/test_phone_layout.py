"""The board and the progress page on a 390 px phone: no column cut off, no sideways scrolling (issue 16)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from registrations.models import Registration
from registrations.services import open_year
from tests.e2e.conftest import login
from tests.factories import UnitFactory, kind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def no_sideways_scroll(tab):
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def widest_cell_edge(tab, selector):
    """The right edge of the furthest table cell: a cut-off column would end beyond the screen."""
    cells = f"Array.from(document.querySelectorAll('{selector} td'))"
    return tab.evaluate(f"Math.max(...{cells}.map(td => td.getBoundingClientRect().right))")


def test_board_and_progress_fit_a_390_px_phone(phone_page, clerk, kon_gang, village, other_village):
    open_year(kon_gang.parent, timezone.localdate().year)
    # A long name and a registration with missing items: the widest rows the board has.
    UnitFactory(
        name="Công ty trách nhiệm hữu hạn một thành viên cà phê và nông sản Tây Nguyên chi nhánh Kon Gang",
        kind=kind("doanh-nghiep"),
        parent=kon_gang,
        staff=120,
        households=None,
    )
    login(phone_page, "congan.konggang")
    phone_page.goto(reverse("registrations:board", args=[kon_gang.public_id]))
    expect(phone_page.locator("#board")).to_contain_text("Thôn Hà Lòng")
    assert no_sideways_scroll(phone_page)
    expect(phone_page.locator("#board tr", has_text="Thôn Hà Lòng").locator(".badge")).to_have_text("Chưa đăng ký")
    assert widest_cell_edge(phone_page, "#board") <= 390
    phone_page.goto(reverse("registrations:progress", args=[kon_gang.public_id]))
    expect(phone_page.get_by_role("heading", name="Tiến độ đăng ký năm")).to_be_visible()
    assert no_sideways_scroll(phone_page)
    assert widest_cell_edge(phone_page, "table") <= 390
    assert Registration.objects.count() == 0


def test_dashboard_fits_a_390_px_phone_and_drills_down(phone_page, province_steering_office, kon_gang, village):
    login(phone_page, "bcd.gialai")
    phone_page.goto(reverse("reports:index"))
    expect(phone_page.get_by_role("heading", name="Thống kê năm")).to_contain_text("Tỉnh Gia Lai")
    assert no_sideways_scroll(phone_page)
    assert widest_cell_edge(phone_page, "table") <= 390
    phone_page.get_by_role("link", name="Xã Kon Gang").first.click()
    expect(phone_page.get_by_role("heading", name="Thống kê năm")).to_contain_text("Xã Kon Gang")
    assert no_sideways_scroll(phone_page)
