import io
import unicodedata

from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from ansinh.models import Job
from registrations.models import MovementModel, Registration
from tests.pdfs import registration_list_pdf

S = Registration.Status
TODAY = "2026-02-20 09:00"


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return text_of(response.content)


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


@freeze_time(TODAY)
def test_blank_registration_form_names_the_unit_and_the_year(client, year, village, clerk):
    client.force_login(clerk)
    text = pdf_text(client.get(reverse("registrations:form_pdf", args=[village.public_id])))
    assert "Làng Kon Gang Tơ Pơng" in text
    assert "năm 2026" in text
    assert "BẢN ĐĂNG KÝ" in text
    assert "Kính gửi: Ủy ban nhân dân xã Kon Gang" in text
    assert "142" in text  # households prefilled from the unit


@freeze_time(TODAY)
def test_filled_registration_form_carries_its_facts(client, make_registration, agency, clerk):
    reg = make_registration(agency, S.SUBMITTED, base=9, committed=8)
    MovementModel.objects.create(registration=reg, name="Tổ bảo vệ tự quản cơ quan")
    client.force_login(clerk)
    text = pdf_text(client.get(reverse("registrations:form_pdf", args=[agency.public_id]) + "?nam=2026"))
    assert "Trạm Y tế xã Kon Gang" in text
    assert "Tổ bảo vệ tự quản cơ quan" in text
    assert "Kon Gang, ngày 10 tháng 02 năm 2026" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text


@freeze_time(TODAY)
def test_compiled_list_pdf_lists_the_commune_units_with_their_state(
    client, make_registration, kon_gang, village, other_village, clerk
):
    make_registration(village, S.ACCEPTED, base=142, committed=142)
    client.force_login(clerk)
    text = text_of(registration_list_pdf(client, kon_gang, 2026))
    assert "DANH SÁCH" in text
    assert "năm 2026" in text
    assert "Làng Kon Gang Tơ Pơng" in text
    assert "Thôn Hà Lòng" in text
    assert "Đã tiếp nhận" in text
    assert "Chưa đăng ký" in text
    assert "ỦY BAN NHÂN DÂN" in text
    assert "XÃ KON GANG" in text


@freeze_time(TODAY)
def test_compiled_list_excel_has_a_title_header_and_one_row_per_unit(
    client, make_registration, kon_gang, village, other_village, clerk
):
    make_registration(village, S.SUBMITTED, base=142, committed=130)
    client.force_login(clerk)
    response = client.get(reverse("registrations:board_xlsx", args=[kon_gang.public_id]) + "?nam=2026")
    assert response["Content-Disposition"] == 'attachment; filename="danh-sach-dang-ky-2026.xlsx"'
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "ỦY BAN NHÂN DÂN XÃ KON GANG"
    assert "NĂM 2026" in ws["A2"].value
    assert [c.value for c in ws[6]][:3] == ["STT", "Tên đơn vị", "Loại"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=7, values_only=True)}
    assert sorted(rows) == ["Làng Kon Gang Tơ Pơng", "Thôn Hà Lòng", "Xã Kon Gang"]
    village_row = rows["Làng Kon Gang Tơ Pơng"]
    assert (village_row[4], village_row[5], village_row[6], village_row[8]) == (142, 130, 92, "Đã nộp")
    assert "Mới 130/142 hộ đăng ký (92%)" in village_row[10]


@freeze_time(TODAY)
def test_the_boards_excel_button_gives_a_small_commune_its_file_and_a_big_one_a_job(
    client, make_registration, kon_gang, village, other_village, clerk, settings
):
    make_registration(village, S.SUBMITTED, base=142, committed=130)
    client.force_login(clerk)
    url = reverse("registrations:board_xlsx", args=[kon_gang.public_id])
    assert f'action="{url}"' in client.get(reverse("registrations:board", args=[kon_gang.public_id])).content.decode()
    at_once = client.post(url, {"nam": "2026"})
    assert at_once["Content-Disposition"] == 'attachment; filename="danh-sach-dang-ky-2026.xlsx"'
    assert Job.objects.count() == 0

    settings.PRINT_LIST_INLINE_LIMIT = 2
    response = client.post(url, {"nam": "2026"})
    job = Job.objects.get()
    assert response["Location"] == reverse("job", args=[job.public_id])
    assert (job.status, job.title) == (Job.Status.DONE, "Danh sách đăng ký năm 2026 – Xã Kon Gang (Excel, 3 đơn vị)")
    download = client.get(reverse("job_download", args=[job.public_id]))
    assert download["Content-Disposition"] == 'attachment; filename="danh-sach-dang-ky-2026.xlsx"'
    from_job = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    inline = load_workbook(io.BytesIO(at_once.content)).active
    assert list(from_job.iter_rows(values_only=True)) == list(inline.iter_rows(values_only=True))
    village_row = next(r for r in from_job.iter_rows(min_row=7, values_only=True) if r[1] == "Làng Kon Gang Tơ Pơng")
    assert (village_row[4], village_row[5], village_row[6]) == (142, 130, 92)
