"""Excel exports of the classification lists, and what the printed score sheet shows. Excel leaves through
ansinh.xlsx, so text a person typed (unit names) is written as text, never as a formula, whatever it starts with."""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ansinh import nd30, phrases, xlsx
from registrations.exports import issuer_lines
from units.models import Category

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _put(ws, row, column, value):
    return ws.cell(row=row, column=column, value=value)


def workbook(title, subtitle, headers, rows, widths) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    for r, text in enumerate((title, subtitle), start=1):
        _put(ws, r, 1, text).font = Font(bold=True, size=13 if r == 1 else 11)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(headers))
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    first = 4
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(ws, first, col, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        ws.column_dimensions[get_column_letter(col)].width = width
    # Body cells carry no per-cell style: styling 18,000 cells took 3 s of a 2,000-unit export.
    for r, values in enumerate(rows, start=first + 1):
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value)
    ws.freeze_panes = ws.cell(row=first + 1, column=1)
    return xlsx.to_bytes(wb)


def _points(value):
    return float(value) if value is not None else None


def _label(band):
    return band.label if band else "Chưa có điểm"


def classification_workbook(rows, number, scope_name) -> bytes:
    headers = [
        "STT",
        "Đơn vị",
        "Loại",
        "Đơn vị quản lý",
        "Trạng thái hồ sơ",
        "Tự chấm",
        "Thẩm định",
        "Xếp loại",
        "Khen thưởng có thể đề nghị",
    ]
    data = [
        [
            n,
            row.unit.name,
            row.unit.kind.name,
            row.unit.parent.name if row.unit.parent else "",
            row.dossier.get_status_display(),
            _points(row.self_total),
            _points(row.review_total),
            _label(row.band),
            row.band.award if row.band else "",
        ]
        for n, row in enumerate(rows, start=1)
    ]
    return workbook(
        f"KẾT QUẢ CHẤM ĐIỂM, XẾP LOẠI PHONG TRÀO NĂM {number}",
        f"{phrases.MOVEMENT} – {scope_name}",
        headers,
        data,
        [6, 36, 14, 24, 18, 10, 10, 12, 40],
    )


def candidates_workbook(rows, number, scope_name, title) -> bytes:
    headers = [
        "STT",
        "Đơn vị",
        "Loại",
        "Đơn vị quản lý",
        "Điểm thẩm định",
        "Xếp loại",
        "Khen thưởng có thể đề nghị",
        "Số năm liên tục được công nhận",
        "Xếp loại các năm",
    ]
    data = [
        [
            n,
            row.unit.name,
            row.unit.kind.name,
            row.unit.parent.name if row.unit.parent else "",
            _points(row.review_total),
            _label(row.band),
            row.band.award if row.band else "",
            row.streak,
            "; ".join(f"{y}: {_label(b)}" for y, b in row.history),
        ]
        for n, row in enumerate(rows, start=1)
    ]
    return workbook(
        f"{title.upper()} NĂM {number}",
        f"{phrases.MOVEMENT} – {scope_name}",
        headers,
        data,
        [6, 36, 14, 24, 10, 12, 40, 14, 40],
    )


def sheet_pdf_context(dossier, table):
    unit = dossier.unit
    commune = unit if unit.kind.category == Category.COMMUNE or unit.parent is None else unit.parent
    return {
        "dossier": dossier,
        "unit": unit,
        "table": table,
        "issuer_lines": issuer_lines(unit),
        "date_line": nd30.date_line(nd30.place_name(commune.name), timezone.localdate()),
        "movement": phrases.MOVEMENT,
        "standard": phrases.STANDARD_QUOTED,
        # The standing office of the level the dossier was submitted to (units.Authority), not the parent.
        "reviewer_name": dossier.levels.reviewing.name if dossier.levels.reviewing else "",
    }
