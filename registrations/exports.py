"""What goes on paper and into Excel: the pre-filled registration form, the commune's compiled list
(danh sách đăng ký) and the progress tables. PDFs go through ansinh.pdf on the ND30 base layout."""

from collections import defaultdict

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ansinh import access, nd30, phrases, receipts, xlsx
from registrations import progress, queries
from registrations.models import InternalRule, MovementModel, Registration
from units.models import Category

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLANK_DATE = "ngày ..... tháng ..... năm"


def issuer_lines(unit):
    """Top-left block: a commune issues as its UBND; a village or agency under its commune's name."""
    if unit.kind.category == Category.COMMUNE or unit.parent is None:
        return nd30.issuing_body_lines(unit)
    return [unit.parent.name.upper(), unit.name.upper()]


def signer_title(unit) -> list[str]:
    category = unit.kind.category
    if category == Category.COMMUNE:
        return ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    if category == Category.RESIDENTIAL_AREA:
        return [f"TRƯỞNG {unit.kind.name.upper()}"]
    if category == Category.SCHOOL:
        return ["HIỆU TRƯỞNG"]
    if category == Category.ENTERPRISE:
        return ["NGƯỜI ĐỨNG ĐẦU DOANH NGHIỆP"]
    return ["THỦ TRƯỞNG CƠ QUAN"]


def commune_of(unit):
    return unit if unit.kind.category == Category.COMMUNE or unit.parent is None else unit.parent


def form_context(unit, year, registration: Registration | None) -> dict:
    """The Bản đăng ký of one unit, filled with what the portal knows; blanks left for the rest."""
    place = nd30.place_name(commune_of(unit).name)
    receiver = unit.parent
    day = registration.registered_on if registration else None
    models = list(registration.movement_models.all()) if registration else []
    if not unit.kind.requires_internal_rules:
        rules = []
    elif registration:
        rules = [(rule.name, held) for rule, held in registration.rule_status()]
    else:
        rules = [(rule.name, None) for rule in InternalRule.objects.for_kind(unit.kind_id)]
    paper_code = receipts.paper_code(unit, year.number, registration)
    return {
        "unit": unit,
        "year": year.number,
        "registration": registration,
        "paper_code": paper_code,
        "paper_qr": receipts.qr_svg_data_uri(paper_code),
        "issuer_lines": issuer_lines(unit),
        "date_line": nd30.date_line(place, day) if day else f"{place}, {BLANK_DATE} {year.number}",
        "receiver": f"Ủy ban nhân dân {nd30.lower_first(receiver.name)}" if receiver else "",
        "circular": phrases.CIRCULAR,
        "standard": phrases.STANDARD_QUOTED,
        "title": phrases.REGISTRATION_FORM_TITLE,
        "movement_models": models,
        "rules": rules,
        "signer_title": signer_title(unit),
        "recipients": [
            f"UBND {nd30.lower_first(receiver.name)}" if receiver else "",
            f"Công an {nd30.lower_first(commune_of(unit).name)}",
            "Lưu: đơn vị",
        ],
    }


def row_status_label(unit) -> str:
    return Registration.Status(unit.reg_status).label if unit.reg_status else "Chưa đăng ký"


def list_rows(commune, year):
    """Every participating unit of the commune with its registration facts, in board order: two queries
    whatever the number of units."""
    units = list(queries.board_units(commune, year))
    names = defaultdict(list)
    models = MovementModel.objects.filter(access.under(commune, "registration__unit"), registration__year=year)
    for model in models.values("registration__unit_id", "name"):
        names[model["registration__unit_id"]].append(model["name"])
    for unit in queries.fill_missing_lists(units):
        unit.model_names = names.get(unit.pk, [])
        unit.status_label = row_status_label(unit)
    return units


def list_context(commune, year):
    rows = list_rows(commune, year)
    groups = defaultdict(list)
    for unit in rows:
        groups[unit.kind.category].append(unit)
    order = {value: i for i, value in enumerate(Category.values)}
    figures = progress.area_progress(commune, year).total
    return {
        "commune": commune,
        "year": year.number,
        "rows": rows,
        "groups": [(Category(cat).label, units) for cat, units in sorted(groups.items(), key=lambda g: order[g[0]])],
        "registered": figures.registered,
        "total": figures.total,
        "counted_note": progress.COUNTED_NOTE,
        "issuer_lines": nd30.issuing_body_lines(commune),
        # The list is numbered when the records clerk registers it; until then no number line at all.
        "doc_number": "",
        "date_line": nd30.date_line(nd30.place_name(commune.name), timezone.localdate()),
        "standard": phrases.STANDARD_QUOTED,
        "police_name": f"Công an {nd30.lower_first(commune.name)}",
    }


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _sheet_title(ws, lines, width):
    """Title rows merged across the table, bold and centred."""
    for i, (text, size) in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=text).font = Font(bold=True, size=size)
        ws.cell(row=i, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    return len(lines) + 2


def _table(ws, first_row, headers, rows, widths):
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=first_row, column=col, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, values in enumerate(rows, start=first_row + 1):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, str):
                # User text is never a formula, whatever it starts with.
                cell.data_type = "s"
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if hasattr(value, "year"):
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = ws.cell(row=first_row + 1, column=1)


def _bytes(wb) -> bytes:
    return xlsx.to_bytes(wb)


def list_workbook(commune, year) -> bytes:
    ctx = list_context(commune, year)
    wb = Workbook()
    ws = wb.active
    ws.title = f"Đăng ký {year.number}"
    headers = [
        "STT",
        "Tên đơn vị",
        "Loại",
        "Ngày đăng ký",
        "Tổng số hộ / cán bộ",
        "Đã đăng ký / cam kết",
        "Tỷ lệ (%)",
        "Mô hình tự phòng, tự quản",
        "Tình trạng",
        "Nộp muộn",
        "Còn thiếu",
    ]
    rows = []
    for n, u in enumerate(ctx["rows"], start=1):
        ratio = round(100 * u.commitment_ratio) if u.commitment_ratio is not None else None
        rows.append(
            [
                n,
                u.name,
                u.kind.name,
                u.reg_registered_on,
                u.reg_base,
                u.reg_committed,
                ratio,
                "; ".join(u.model_names),
                u.status_label,
                "Muộn" if u.reg_late else "",
                "; ".join(u.missing_list),
            ]
        )
    start = _sheet_title(
        ws,
        [
            (f"ỦY BAN NHÂN DÂN {commune.name.upper()}", 12),
            (
                f"DANH SÁCH ĐƠN VỊ ĐĂNG KÝ PHẤN ĐẤU ĐẠT TIÊU CHUẨN {phrases.STANDARD_QUOTED.upper()} NĂM {year.number}",
                13,
            ),
            (
                f"(Tính đến ngày {timezone.localdate():%d/%m/%Y}: "
                f"{ctx['registered']}/{ctx['total']} đơn vị đã đăng ký)",
                11,
            ),
            (progress.COUNTED_NOTE, 10),
        ],
        len(headers),
    )
    _table(ws, start, headers, rows, [6, 36, 16, 13, 12, 12, 9, 30, 14, 10, 40])
    return _bytes(wb)


def _figure_cells(counts):
    return [
        counts.total,
        counts.registered,
        _pct(counts.registered, counts.total),
        counts.accepted,
        counts.late,
        counts.unregistered,
    ]


def progress_workbook(unit, year, figures, children, laggards) -> bytes:
    """The progress page as a workbook: per category, per child unit (above a commune) and the units not
    registered or late (a commune)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Theo nhóm đơn vị"
    title = [
        (unit.name.upper(), 12),
        (f"TIẾN ĐỘ ĐĂNG KÝ PHẤN ĐẤU ĐẠT TIÊU CHUẨN {phrases.STANDARD_QUOTED.upper()} NĂM {year.number}", 13),
        (f"(Tính đến ngày {timezone.localdate():%d/%m/%Y}; chỉ tiêu 100% đơn vị thuộc diện đăng ký)", 11),
        (progress.COUNTED_NOTE, 10),
    ]
    figures_headers = ["Thuộc diện", "Đã đăng ký", "Tỷ lệ (%)", "Đã tiếp nhận", "Nộp muộn", "Chưa đăng ký"]
    rows = [[label, *_figure_cells(counts)] for _, label, counts in figures.by_category]
    rows.append(["Tổng cộng", *_figure_cells(figures.total)])
    headers = ["Nhóm đơn vị", *figures_headers]
    _table(ws, _sheet_title(ws, title, len(headers)), headers, rows, [34, 12, 12, 10, 12, 10, 12])
    if children is not None:
        ws = wb.create_sheet("Theo đơn vị trực thuộc")
        headers = ["Đơn vị", *figures_headers]
        rows = [[child.name, *_figure_cells(p.total)] for child, p in children]
        _table(ws, _sheet_title(ws, title, len(headers)), headers, rows, [34, 12, 12, 10, 12, 10, 12])
    if laggards is not None:
        ws = wb.create_sheet("Chưa đăng ký, nộp muộn")
        headers = ["STT", "Tên đơn vị", "Loại", "Đơn vị quản lý", "Tình trạng", "Ngày đăng ký"]
        rows = [
            [
                n,
                u.name,
                u.kind.name,
                u.parent.name if u.parent else "",
                "Nộp muộn" if u.reg_late else row_status_label(u),
                u.reg_registered_on,
            ]
            for n, u in enumerate(laggards, start=1)
        ]
        _table(ws, _sheet_title(ws, title, len(headers)), headers, rows, [6, 36, 16, 24, 16, 13])
    return _bytes(wb)


def _pct(part, whole):
    return round(100 * part / whole) if whole else None
