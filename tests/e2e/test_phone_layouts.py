"""The review desk and the dossier page on a 390 px phone: nothing is cut off, the page never scrolls
sideways (issue 13, point 7)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dossiers.models import DossierStatus, MeetingMinutes
from registrations.services import open_year
from tests.dossiers.conftest import make_dossier, register
from tests.e2e.conftest import PHONE, login
from tests.factories import UnitFactory, kind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

S = DossierStatus
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def desk(province, kon_gang, village, steering_office):
    """The commune's desk with long unit names, a shortfall, missing documents and an overdue review."""
    year = open_year(province, timezone.localdate().year)
    long_name = UnitFactory(
        name="Trường Trung học cơ sở Nguyễn Bỉnh Khiêm xã Kon Gang (điểm trường Làng Đê Kôn)",
        kind=kind("co-so-giao-duc"),
        parent=kon_gang,
        households=None,
        staff=48,
    )
    register(village, year, committed=120)
    reviewed = make_dossier(village, year, S.IN_REVIEW, confirmed_by=steering_office)
    make_dossier(long_name, year, S.SUBMITTED, documents=False)
    make_dossier(UnitFactory(name="Thôn Hà Lòng", kind=kind("thon"), parent=kon_gang), year, S.RECOMMENDED)
    minutes = MeetingMinutes.objects.create(
        dossier=reviewed,
        met_on=datetime.date(year.number, 1, 5),
        chaired_by="A Blơi",
        conclusion="Hội nghị thống nhất đề nghị công nhận đạt tiêu chuẩn «An toàn về an ninh, trật tự».",
        members_present=9,
        members_agreeing=8,
    )
    minutes.attendees.create(name="Đinh Văn Kơi", capacity="party_secretary")
    return reviewed


def _fits(page):
    return page.evaluate(NO_SIDEWAYS_SCROLL)


def test_review_desk_and_dossier_page_fit_a_390px_phone(new_page, desk):
    phone = new_page(PHONE)
    login(phone, "bcd.konggang")

    phone.goto("/ho-so/tham-dinh/")
    expect(phone.get_by_role("heading", name="Bàn thẩm định")).to_be_visible()
    expect(phone.get_by_text("Trường Trung học cơ sở Nguyễn Bỉnh Khiêm")).to_be_visible()
    assert phone.evaluate("window.innerWidth") == 390
    assert _fits(phone), phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    # Every column's content is on screen, not hidden in a table that scrolls on its own.
    for text in ("Đang thẩm định", "Thiếu", "Chưa đạt"):
        box = phone.get_by_text(text).first.bounding_box()
        assert box["x"] >= 0, (text, box)
        assert box["x"] + box["width"] <= 390, (text, box)

    phone.get_by_role("link", name="Làng Kon Gang Tơ Pơng").click()
    expect(phone.get_by_role("button", name="Đề nghị công nhận")).to_be_disabled()
    assert _fits(phone), phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    expect(phone.get_by_text("8/9 thành viên nhất trí")).to_be_visible()


def test_dossier_page_of_a_village_head_fits_a_390px_phone(new_page, desk, village_head):
    phone = new_page(PHONE)
    login(phone, "truongthon.konggang")

    phone.goto(f"/ho-so/{desk.public_id}/")

    expect(phone.get_by_role("heading", level=1)).to_contain_text("Làng Kon Gang Tơ Pơng")
    assert _fits(phone), phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
