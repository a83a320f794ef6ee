import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ansinh.models import AuditEvent, Job
from units import importing
from units.models import OutOfScope, Unit


def _workbook_bytes(client, commune, rows):
    """The real template downloaded from the portal, filled in like a clerk would."""
    template = client.get(reverse("units:import_template", args=[commune.public_id]))
    wb = load_workbook(io.BytesIO(template.content))
    ws = wb.worksheets[0]
    ws.delete_rows(importing.HEADER_ROW + 1)
    for offset, row in enumerate(rows, start=1):
        for col, value in enumerate(row, start=1):
            ws.cell(row=importing.HEADER_ROW + offset, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("don-vi.xlsx", out.getvalue())


GOOD_ROWS = [
    ["Làng Đê Kôn", "Làng", 118, "có", "", "Đinh Thị Blanh", "0912000111", ""],
    ["Trạm Y tế xã Kon Gang", "Cơ quan", 9, "có", "", "", "", ""],
    ["Công ty TNHH Minh Phát", "Doanh nghiệp", 6, "không", OutOfScope.SMALL_ENTERPRISE.label, "", "", ""],
]


@pytest.fixture
def logged_clerk(client, clerk):
    client.force_login(clerk)
    return client


def test_template_downloads_as_xlsx_with_the_commune_name(logged_clerk, kon_gang):
    response = logged_clerk.get(reverse("units:import_template", args=[kon_gang.public_id]))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws["A1"].value == "DANH SÁCH ĐƠN VỊ THUỘC XÃ KON GANG"


def test_good_file_previews_then_saves_on_confirm(logged_clerk, kon_gang, clerk):
    upload = _workbook_bytes(logged_clerk, kon_gang, GOOD_ROWS)
    preview = logged_clerk.post(reverse("units:import", args=[kon_gang.public_id]), {"file": upload})
    assert "Tệp hợp lệ: 3 đơn vị." in preview.content.decode()
    assert Unit.objects.filter(parent=kon_gang).count() == 0
    logged_clerk.post(reverse("units:import_confirm", args=[kon_gang.public_id]))
    saved = {u.name: u for u in Unit.objects.filter(parent=kon_gang)}
    assert sorted(saved) == sorted(r[0] for r in GOOD_ROWS)
    assert saved["Làng Đê Kôn"].households == 118
    assert saved["Trạm Y tế xã Kon Gang"].staff == 9
    assert saved["Công ty TNHH Minh Phát"].out_of_scope == OutOfScope.SMALL_ENTERPRISE
    assert AuditEvent.objects.filter(action="import", actor=clerk).count() == 1


def test_a_long_file_is_imported_by_a_job_with_the_same_result(logged_clerk, kon_gang, clerk, settings):
    settings.UNIT_IMPORT_INLINE_ROWS = 2
    upload = _workbook_bytes(logged_clerk, kon_gang, GOOD_ROWS)
    logged_clerk.post(reverse("units:import", args=[kon_gang.public_id]), {"file": upload})
    response = logged_clerk.post(reverse("units:import_confirm", args=[kon_gang.public_id]))
    job = Job.objects.get()
    assert response["Location"] == reverse("job", args=[job.public_id])
    page = logged_clerk.get(response["Location"]).content.decode()
    assert 'Xong</span>: <span data-role="done">3</span>/3 đơn vị.' in page
    assert "Đã nhập 3 đơn vị mới, cập nhật 0 đơn vị của Xã Kon Gang." in page
    assert f'href="{reverse("units:detail", args=[kon_gang.public_id])}"' in page
    saved = {u.name: u for u in Unit.objects.filter(parent=kon_gang)}
    assert sorted(saved) == sorted(r[0] for r in GOOD_ROWS)
    assert saved["Làng Đê Kôn"].households == 118
    assert saved["Công ty TNHH Minh Phát"].out_of_scope == OutOfScope.SMALL_ENTERPRISE
    assert AuditEvent.objects.filter(action="import", actor=clerk).count() == 1


def test_one_bad_row_rejects_the_file_and_saves_nothing(logged_clerk, kon_gang):
    rows = GOOD_ROWS + [["Thôn Lỗi", "Khu công nghiệp", 50, "có", "", "", "", ""]]
    upload = _workbook_bytes(logged_clerk, kon_gang, rows)
    response = logged_clerk.post(reverse("units:import", args=[kon_gang.public_id]), {"file": upload})
    page = response.content.decode()
    assert "Tệp có 1 lỗi — chưa có gì được lưu." in page
    assert "Dòng 7: loại đơn vị «Khu công nghiệp» không có trong danh mục" in page
    assert logged_clerk.post(reverse("units:import_confirm", args=[kon_gang.public_id])).status_code == 302
    assert Unit.objects.filter(parent=kon_gang).count() == 0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["", "Làng", 10, "có"], "Dòng 4: thiếu tên đơn vị."),
        (["Làng A", "Làng", -5, "có"], "Dòng 4: số hộ / số cán bộ không được âm."),
        (["Làng A", "Làng", "nhiều", "có"], "Dòng 4: số hộ / số cán bộ «nhiều» không phải số nguyên."),
        (
            ["Làng A", "Làng", 10, "chắc có"],
            "Dòng 4: cột tổ chức Đảng phải là «có» hoặc «không», không phải «chắc có».",
        ),
    ],
)
def test_each_bad_row_is_reported_with_its_row_number(logged_clerk, kon_gang, row, message):
    upload = _workbook_bytes(logged_clerk, kon_gang, [row])
    page = logged_clerk.post(reverse("units:import", args=[kon_gang.public_id]), {"file": upload}).content.decode()
    assert message in page
    assert Unit.objects.filter(parent=kon_gang).count() == 0


def test_duplicate_names_in_the_file_are_reported(logged_clerk, kon_gang):
    rows = [["Làng A", "Làng", 10, "có"], ["làng a", "Làng", 12, "có"]]
    upload = _workbook_bytes(logged_clerk, kon_gang, rows)
    page = logged_clerk.post(reverse("units:import", args=[kon_gang.public_id]), {"file": upload}).content.decode()
    assert "Dòng 5: tên «làng a» trùng với dòng 4." in page


def test_a_file_that_is_not_excel_is_refused(logged_clerk, kon_gang):
    upload = SimpleUploadedFile("virus.xlsx", b"MZ\x90\x00 not a workbook")
    page = logged_clerk.post(reverse("units:import", args=[kon_gang.public_id]), {"file": upload}).content.decode()
    assert "Không đọc được tệp. Vui lòng dùng tệp Excel (.xlsx) theo mẫu." in page


def test_existing_units_are_updated_not_duplicated(logged_clerk, kon_gang, village):
    upload = _workbook_bytes(logged_clerk, kon_gang, [[village.name, "Làng", 150, "có"]])
    logged_clerk.post(reverse("units:import", args=[kon_gang.public_id]), {"file": upload})
    logged_clerk.post(reverse("units:import_confirm", args=[kon_gang.public_id]))
    village.refresh_from_db()
    assert (Unit.objects.filter(parent=kon_gang).count(), village.households) == (1, 150)


def test_clerk_of_other_commune_cannot_import_into_kon_gang(client, outsider_clerk, kon_gang):
    client.force_login(outsider_clerk)
    assert client.get(reverse("units:import_template", args=[kon_gang.public_id])).status_code == 404
    assert client.post(reverse("units:import_confirm", args=[kon_gang.public_id])).status_code == 404


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["L" * 201, "Làng", 10, "có"], "Dòng 4: tên đơn vị dài quá 200 ký tự."),
        (
            ["Làng A", "Làng", 3_000_000_000, "có"],
            "Dòng 4: số hộ gia đình không được vượt quá 20.000 (một khu dân cư không lớn đến vậy).",
        ),
    ],
)
def test_values_the_database_cannot_hold_are_row_errors(logged_clerk, kon_gang, row, message):
    upload = _workbook_bytes(logged_clerk, kon_gang, [row])
    page = logged_clerk.post(reverse("units:import", args=[kon_gang.public_id]), {"file": upload}).content.decode()
    assert message in page
    assert Unit.objects.filter(parent=kon_gang).count() == 0
