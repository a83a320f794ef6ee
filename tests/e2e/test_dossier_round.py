"""The whole recognition round for one village, each person in their own browser (issue 4):
minutes uploaded → submitted → returned for supplement → resubmitted → recommended → decision → recognised."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dossiers.models import Dossier, DossierStatus
from registrations.models import Registration
from registrations.services import open_year
from tests.e2e.conftest import PHONE, login, tiny_png

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VILLAGE = "Làng Kon Gang Tơ Pơng"
SUPPLEMENT = "Biên bản thiếu chữ ký của Bí thư chi bộ, đề nghị bổ sung bản có đủ chữ ký."


@pytest.fixture
def files(tmp_path):
    pdf = tmp_path / "to-trinh.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    first, second = tmp_path / "bien-ban.png", tmp_path / "bien-ban-du-chu-ky.png"
    first.write_bytes(tiny_png())
    second.write_bytes(tiny_png())
    return {"pdf": pdf, "minutes": first, "signed_minutes": second}


@pytest.fixture
def accepted_registration(province, village, clerk):
    """The village registered on paper, with its cell's resolution, before this year's deadline and the clerk
    received it."""
    year = open_year(province, timezone.localdate().year)
    due = year.deadline_for(village).registration_due
    return Registration.objects.create(
        unit=village,
        year=year,
        status=Registration.Status.ACCEPTED,
        registered_on=due - datetime.timedelta(days=10),
        base_count=142,
        committed_count=142,
        on_paper=True,
        paper_party_resolution=True,
        created_by=clerk,
    )


def _status(page):
    return page.get_by_role("heading", level=1).locator(".badge")


def _upload(page, doc_type, path):
    page.get_by_label("Loại tài liệu").select_option(label=doc_type)
    page.get_by_label("Tệp (PDF, ảnh, Word, Excel)").set_input_files(path)
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_text(f"Đã tải lên «{path.name}».")).to_be_visible()


def _act(page, button, reason=None):
    if reason is not None:
        form = page.locator("form", has=page.get_by_role("button", name=button, exact=True))
        form.get_by_role("textbox").fill(reason)
    page.get_by_role("button", name=button, exact=True).click()


def test_a_village_goes_through_the_whole_recognition_round(
    new_page, files, accepted_registration, village, village_head, steering_office, chairman, outsider_clerk
):
    # The village head opens the dossier on a phone, uploads the papers and the meeting minutes, submits.
    head = new_page(PHONE)
    login(head, "truongthon.konggang")
    head.get_by_role("link", name="Hồ sơ của đơn vị").click()
    create = head.locator("form", has=head.get_by_role("button", name="Lập hồ sơ"))
    create.get_by_role("combobox").select_option(label=VILLAGE)
    create.get_by_role("button", name="Lập hồ sơ").click()
    expect(head.get_by_text(f"Đã lập hồ sơ đề nghị công nhận của {VILLAGE}.")).to_be_visible()
    expect(_status(head)).to_have_text("Nháp")
    _upload(head, "Tờ trình đề nghị công nhận", files["pdf"])
    _upload(head, "Báo cáo kết quả thực hiện", files["pdf"])
    expect(head.get_by_text("Còn thiếu: Biên bản cuộc họp")).to_be_visible()

    head.get_by_role("link", name="Nhập biên bản").click()
    head.get_by_label("Ngày họp").fill(timezone.localdate().strftime("%d/%m/%Y"))
    head.get_by_label("Người chủ trì").fill("A Thuyên")
    head.get_by_label("Kết luận cuộc họp").fill("Làng đủ điều kiện, đề nghị công nhận đạt tiêu chuẩn.")
    head.get_by_label("Số thành viên dự họp").fill("9")
    head.get_by_label("Số thành viên nhất trí").fill("9")
    head.get_by_label("Bản scan / ảnh chụp biên bản").set_input_files(files["minutes"])
    head.get_by_label("Họ và tên").nth(0).fill("Y Blơng")
    head.get_by_label("Tư cách").nth(0).select_option(label="Bí thư chi bộ")
    head.get_by_label("Họ và tên").nth(1).fill("Đinh Văn Hùng")
    head.get_by_label("Tư cách").nth(1).select_option(label="Công an xã")
    head.get_by_role("button", name="Lưu biên bản").click()
    expect(head.get_by_text("Đã lưu biên bản cuộc họp.")).to_be_visible()
    expect(head.get_by_text("Y Blơng (Bí thư chi bộ); Đinh Văn Hùng (Công an xã)")).to_be_visible()
    expect(head.get_by_text("9/9 thành viên nhất trí")).to_be_visible()
    expect(head.get_by_text("Đủ tờ trình, báo cáo kết quả, biên bản cuộc họp.")).to_be_visible()
    _act(head, "Nộp hồ sơ")
    expect(_status(head)).to_have_text("Đã nộp")
    dossier_url = head.url

    # The commune's steering office finds it on the review desk and asks for a supplement.
    office = new_page()
    login(office, "bcd.konggang")
    office.get_by_role("link", name="Bàn thẩm định").click()
    office.get_by_role("link", name=VILLAGE).click()
    _act(office, "Yêu cầu bổ sung", reason=SUPPLEMENT)
    expect(_status(office)).to_have_text("Yêu cầu bổ sung")

    # The village head reads why, replaces the minutes' scan and resubmits.
    head.reload()
    expect(_status(head)).to_have_text("Yêu cầu bổ sung")
    expect(head.locator(".alert-warning")).to_have_text(f"Nội dung cần bổ sung: {SUPPLEMENT}")
    head.get_by_role("link", name="Sửa biên bản").click()
    head.get_by_label("Bản scan / ảnh chụp biên bản").set_input_files(files["signed_minutes"])
    head.get_by_role("button", name="Lưu biên bản").click()
    expect(head.get_by_text("Đã lưu biên bản cuộc họp.")).to_be_visible()
    expect(head.get_by_role("link", name="bien-ban-du-chu-ky.png")).to_be_visible()
    _act(head, "Nộp lại hồ sơ")
    expect(_status(head)).to_have_text("Đã nộp")

    # The steering office reviews: the portal's own items pass, it confirms the others, and recommends.
    office.reload()
    _act(office, "Bắt đầu thẩm định")
    expect(_status(office)).to_have_text("Đang thẩm định")
    # Điều 4: khoản 2, khoản 3 điểm a–g and khoản 5 are confirmed by the reviewer.
    passes = office.get_by_role("radio", name="Đạt", exact=True)
    expect(passes).to_have_count(9)
    for i in range(9):
        passes.nth(i).check()
    office.get_by_role("button", name="Lưu kết quả thẩm định").click()
    expect(office.get_by_text("Đã lưu kết quả thẩm định các tiêu chí.")).to_be_visible()
    expect(office.get_by_text("12/12 tiêu chí đạt")).to_be_visible()
    _act(office, "Đề nghị công nhận")
    expect(_status(office)).to_have_text("Đề nghị công nhận")

    # The chairman issues the decision that recognises the village.
    chair = new_page()
    login(chair, "chutich.konggang")
    chair.get_by_role("link", name="Quyết định công nhận").click()
    chair.get_by_role("link", name="Ban hành quyết định").click()
    expect(chair.get_by_role("checkbox", name=VILLAGE)).to_be_checked()
    chair.get_by_role("button", name="Xem trước quyết định").click()
    expect(chair.get_by_text("Quyết định chưa được ban hành")).to_be_visible()
    chair.get_by_role("button", name="Xác nhận ban hành").click()
    expect(chair.get_by_text("Đã ban hành Quyết định số 01/QĐ-UBND.")).to_be_visible()
    decision_url = chair.url
    chair.get_by_role("link", name=VILLAGE).click()
    expect(_status(chair)).to_have_text("Đã công nhận")

    # Everyone sees the outcome; the village head's page names the decision.
    head.goto(dossier_url)
    expect(_status(head)).to_have_text("Đã công nhận")
    expect(head.get_by_text("Được công nhận tại Quyết định số 01/QĐ-UBND")).to_be_visible()
    assert Dossier.objects.get(unit=village).status == DossierStatus.RECOGNISED

    # The clerk of another commune cannot open the dossier or the decision.
    outsider = new_page()
    login(outsider, "congan.dakdoa")
    assert [outsider.goto(url).status for url in (dossier_url, decision_url)] == [404, 404]
