"""The year-end report (báo cáo kết quả) of an area: per unit category and per child unit, rates, and the
previous year beside this one — as a page, an Excel workbook and a PDF on the Nghị định 30 layout. The
numbers are reports.figures, the dashboard's."""

from django.utils import timezone
from openpyxl import Workbook

from ansinh import nd30, phrases
from ansinh.pdf import render_pdf
from registrations import progress
from registrations.exports import XLSX, _bytes, _sheet_title, _table
from reports.figures import figures

__all__ = ["XLSX", "FORMATS", "pdf_context", "report_context", "report_file", "report_workbook"]

# The report's files: format → (file name of year N, what the page calls it).
FORMATS = {"xlsx": ("bao-cao-ket-qua-{}.xlsx", "Excel"), "pdf": ("bao-cao-ket-qua-{}.pdf", "PDF")}


def _pct(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _cells(counts):
    return {
        "total": counts.total,
        "registered": counts.registered,
        "registered_pct": _pct(counts.registered, counts.total),
        "dossiers": counts.dossiers,
        "recognised": counts.recognised,
        "recognised_pct": _pct(counts.recognised, counts.total),
    }


def _row(label, counts, before):
    now, then = _cells(counts), _cells(before)
    change = None
    if now["recognised_pct"] is not None and then["recognised_pct"] is not None:
        change = round(now["recognised_pct"] - then["recognised_pct"], 1)
    return {"label": label, "now": now, "then": then, "change": change}


def report_context(area, current, previous) -> dict:
    """Rows of the report from two years' figures of `area`."""
    empty = progress.Counts()
    before_categories = previous.total.categories
    categories = [
        _row(label, counts, before_categories.get(value, empty)) for value, label, counts in current.total.by_category
    ]
    before_children = {line.unit.pk: line.counts for line in previous.lines}
    children = []
    for line in current.lines:
        row = _row(line.unit.name, line.counts, before_children.get(line.unit.pk, empty))
        row["meets_target"] = line.meets_target
        children.append(row)
    total = _row("Tổng cộng", current.counts, previous.counts)
    return {
        "area": area,
        "year": current.year_number,
        "previous_year": previous.year_number,
        "categories": categories,
        "children": children,
        "total": total,
        "category_rows": [*categories, total],
        "child_rows": [*children, total],
        "communes": len(current.communes),
        "communes_meeting": current.communes_meeting,
        "counted_note": progress.COUNTED_NOTE,
        "standard": phrases.STANDARD_QUOTED,
    }


HEADERS = [
    "Thuộc diện",
    "Đã đăng ký",
    "Tỷ lệ đăng ký (%)",
    "Hồ sơ",
    "Được công nhận",
    "Tỷ lệ công nhận (%)",
]


def _values(row, with_target=False):
    now, then = row["now"], row["then"]
    values = [row["label"], *now.values(), then["total"], then["recognised"], then["recognised_pct"], row["change"]]
    if with_target:
        target = row.get("meets_target")
        values.append("" if target is None else ("Đạt" if target else "Chưa đạt"))
    return values


def report_workbook(context) -> bytes:
    area, year, before = context["area"], context["year"], context["previous_year"]
    headers = [
        *HEADERS,
        f"Thuộc diện năm {before}",
        f"Được công nhận năm {before}",
        f"Tỷ lệ công nhận năm {before} (%)",
        "Tăng/giảm tỷ lệ công nhận (điểm %)",
    ]
    title = [
        (area.name.upper(), 12),
        (f"BÁO CÁO KẾT QUẢ PHONG TRÀO {phrases.STANDARD_QUOTED.upper()} NĂM {year}", 13),
        (f"(Số liệu đến ngày {timezone.localdate():%d/%m/%Y}; so sánh với năm {before})", 11),
        (context["counted_note"], 10),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "Theo loại đơn vị"
    rows = [_values(r) for r in context["categories"]] + [_values(context["total"])]
    widths = [30, 11, 11, 11, 10, 12, 12, 12, 12, 12, 14]
    _table(ws, _sheet_title(ws, title, len(headers) + 1), ["Loại đơn vị", *headers], rows, widths)
    ws = wb.create_sheet("Theo đơn vị trực thuộc")
    rows = [_values(r, with_target=True) for r in context["children"]] + [_values(context["total"], with_target=True)]
    _table(
        ws,
        _sheet_title(ws, title, len(headers) + 2),
        ["Đơn vị", *headers, "Xã đạt 100% đăng ký, ≥ 70% công nhận"],
        rows,
        [*widths, 16],
    )
    return _bytes(wb)


def pdf_context(context) -> dict:
    area = context["area"]
    return {
        **context,
        "issuer_lines": nd30.issuing_body_lines(area),
        "doc_number": "Số:        /BC-UBND",
        "date_line": nd30.date_line(nd30.place_name(area.name), timezone.localdate()),
    }


def report_file(area, number, today, file_format, on_progress=None) -> bytes:
    """The report of `area` for year `number` as of `today`, as Excel or PDF bytes. Three steps (this
    year's figures, last year's, the file) reported to `on_progress`: a province's takes seconds."""
    current = figures(area, number, today)
    if on_progress:
        on_progress(1)
    previous = figures(area, number - 1, today)
    if on_progress:
        on_progress(2)
    context = report_context(area, current, previous)
    if file_format == "xlsx":
        return report_workbook(context)
    return render_pdf("pdf/year_report.html", pdf_context(context))
