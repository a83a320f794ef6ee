"""A village head registers from a phone with a photo of the signed page; the clerk receives it (issue 3)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from registrations.models import Registration, RegistrationDocument
from registrations.services import open_year
from tests.e2e.conftest import login, tiny_png

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "trang-da-ky.png"
    path.write_bytes(tiny_png())
    return path


@pytest.fixture
def year(province):
    """The province has opened this year (a page never opens it)."""
    return open_year(province, timezone.localdate().year)


def _document_field(page, label):
    """The block of one document type: its file picker and its camera button."""
    return page.locator("div.mb-3").filter(has=page.get_by_label(label, exact=True))


def test_village_head_registers_from_a_phone_with_a_photo_and_the_clerk_receives_it(
    phone_page, page, new_page, photo, year, village_head, clerk, outsider_clerk, village, other_village
):
    phone = phone_page
    login(phone, "truongthon.konggang")
    phone.get_by_role("button", name="Mở menu").click()
    phone.get_by_role("link", name="Đăng ký của đơn vị").click()
    expect(phone.get_by_text("Làng Kon Gang Tơ Pơng chưa đăng ký phấn đấu năm")).to_be_visible()
    phone.get_by_role("link", name="Đăng ký phấn đấu năm").click()

    expect(phone.get_by_label("Số hộ gia đình cư trú")).to_have_value("142")
    phone.get_by_label("Số hộ đã đăng ký tham gia").fill("142")
    for document in ("Nghị quyết của chi bộ", "Bản đăng ký phấn đấu"):
        _document_field(phone, document).get_by_label("Chụp ảnh trang đã ký").set_input_files(photo)
    phone.get_by_role("button", name="Nộp đăng ký").click()

    expect(phone.get_by_text("Đã nộp bản đăng ký.")).to_be_visible()
    expect(phone.get_by_text("Đã nộp", exact=True)).to_be_visible()
    expect(phone.get_by_text("Bản đăng ký đã đủ nội dung theo yêu cầu.")).to_be_visible()
    expect(phone.get_by_role("link", name="trang-da-ky.png")).to_have_count(2)
    registration = Registration.objects.get(unit=village)
    assert registration.status == Registration.Status.SUBMITTED
    documents = RegistrationDocument.objects.filter(registration=registration)
    assert sorted(documents.values_list("doc_type", flat=True)) == ["party_resolution", "registration_form"]

    login(page, "congan.konggang")
    page.get_by_role("navigation").get_by_role("link", name="Đăng ký").click()
    row = page.locator("#board tbody tr", has_text="Làng Kon Gang Tơ Pơng")
    expect(row.locator(".badge").first).to_have_text("Đã nộp")
    expect(page.locator("#board tbody tr", has_text="Thôn Hà Lòng").locator(".badge").first).to_have_text(
        "Chưa đăng ký"
    )
    page.get_by_label("Chọn Làng Kon Gang Tơ Pơng").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tiếp nhận").click()

    expect(page.get_by_text("Đã tiếp nhận 1 bản đăng ký.")).to_be_visible()
    expect(row.locator(".badge").first).to_have_text("Đã tiếp nhận")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACCEPTED

    outsider = new_page()
    login(outsider, "congan.dakdoa")
    assert outsider.goto(reverse("registrations:detail", args=[registration.public_id])).status == 404
