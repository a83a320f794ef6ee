"""Excel import of a commune's khu dân cư, agencies, companies and schools.

All rows are checked before anything is written; one bad row rejects the whole file."""

import time
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ansinh import audit, uploads, xlsx
from ansinh.errors import Refused
from ansinh.forms import describe, forbidden_characters
from ansinh.text import fold
from units.forms import allowed_child_kinds, size_limit, size_limit_message
from units.models import OutOfScope, Unit

COLUMNS = [
    ("name", "Tên đơn vị (*)", 36),
    ("kind", "Loại đơn vị (*)", 18),
    ("size", "Số hộ gia đình / số cán bộ (*)", 16),
    ("party", "Có tổ chức Đảng (có/không)", 14),
    ("out_of_scope", "Không thuộc diện (để trống nếu thuộc diện)", 30),
    ("head_name", "Người đứng đầu", 24),
    ("phone", "Điện thoại", 14),
    ("address", "Địa chỉ", 30),
]
HEADER_ROW = 3
MAX_ROWS = 2000
# The sheet's declared size is never trusted (a forged dimension of 3 million rows kept a worker busy for a
# minute): rows and columns are read up to these caps, within a time budget, from a bounded archive.
READ_SECONDS = 20
MAX_EXPANDED = 30 * 1024 * 1024
NAME_MAX = Unit._meta.get_field("name").max_length
FOLDED_NAME_MAX = Unit._meta.get_field("search_name").max_length
YES = {"có", "co", "x", "1", "yes", "true"}
NO = {"", "không", "khong", "0", "no", "false"}


def _norm(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


def build_template(commune) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    ws["A1"] = f"DANH SÁCH ĐƠN VỊ THUỘC {commune.name.upper()}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = "Mỗi dòng một đơn vị. Cột có (*) là bắt buộc. Không đổi thứ tự cột."
    ws["A2"].font = Font(italic=True)
    for col, (_, title, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    kinds = [k.name for k in allowed_child_kinds(commune)]
    reasons = [label for _, label in OutOfScope.choices]
    lists = wb.create_sheet("Danh mục")
    for i, name in enumerate(kinds, start=1):
        lists.cell(row=i, column=1, value=name)
    for i, label in enumerate(reasons, start=1):
        lists.cell(row=i, column=2, value=label)
    for formula, column in ((f"'Danh mục'!$A$1:$A${len(kinds)}", "B"), (f"'Danh mục'!$B$1:$B${len(reasons)}", "E")):
        rule = DataValidation(type="list", formula1=formula, allow_blank=True)
        rule.add(f"{column}{HEADER_ROW + 1}:{column}{HEADER_ROW + MAX_ROWS}")
        ws.add_data_validation(rule)
    example = ["Thôn Ví Dụ", kinds[0] if kinds else "Thôn", 120, "có", "", "Nguyễn Văn A", "0900000000", ""]
    for col, value in enumerate(example, start=1):
        ws.cell(row=HEADER_ROW + 1, column=col, value=value).font = Font(color="808080")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    return xlsx.to_bytes(wb)


@dataclass
class ParsedRow:
    line: int
    name: str
    kind_id: int
    kind_name: str
    size: int
    party: bool
    out_of_scope: str
    head_name: str
    phone: str
    address: str
    existing: bool = False


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return bool(self.rows) and not self.errors

    def as_session(self):
        return [r.__dict__ for r in self.rows]


def parse(upload, commune) -> ParseResult:
    """Read and check every row; each problem is reported as «Dòng N: …»."""
    result = ParseResult()
    # Not a zip at all: openpyxl below refuses it with the plain message.
    problem = uploads.office_archive_problem(upload, max_expanded=MAX_EXPANDED) if zipfile.is_zipfile(upload) else ""
    upload.seek(0)
    if problem:
        result.errors.append(problem)
        return result
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        result.errors.append("Không đọc được tệp. Vui lòng dùng tệp Excel (.xlsx) theo mẫu.")
        return result
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    width = len(COLUMNS)
    header = [
        _norm(c)
        for c in next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, max_col=width, values_only=True), ())
    ]
    if [h.lower() for h in header[: len(COLUMNS)]] != [title.lower() for _, title, _ in COLUMNS]:
        result.errors.append(f"Dòng {HEADER_ROW}: tiêu đề cột không đúng mẫu. Vui lòng tải và dùng tệp mẫu.")
        return result
    kinds = {k.name.casefold(): k for k in allowed_child_kinds(commune)}
    reasons = {label.casefold(): code for code, label in OutOfScope.choices}
    existing = {u.name.casefold() for u in commune.children.all()}
    seen = {}
    deadline = time.monotonic() + READ_SECONDS
    rows = ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + MAX_ROWS + 1, max_col=width, values_only=True)
    for line, values in enumerate(rows, start=HEADER_ROW + 1):
        if time.monotonic() > deadline:
            result.errors.append(f"Đọc tệp quá {READ_SECONDS} giây. Vui lòng dùng tệp mẫu, mỗi dòng một đơn vị.")
            break
        cells = dict(zip([key for key, _, _ in COLUMNS], (_norm(v) for v in values), strict=False))
        if not any(cells.values()):
            continue
        if line > HEADER_ROW + MAX_ROWS:
            result.errors.append(f"Tệp có quá {MAX_ROWS} dòng.")
            break
        problems = []
        name = cells.get("name", "")
        if not name:
            problems.append("thiếu tên đơn vị")
        elif len(name) > NAME_MAX:
            problems.append(f"tên đơn vị dài quá {NAME_MAX} ký tự")
        elif len(fold(name)) > FOLDED_NAME_MAX:
            problems.append(f"tên đơn vị khi bỏ dấu để tìm kiếm dài quá {FOLDED_NAME_MAX} ký tự")
        elif name.casefold() in seen:
            problems.append(f"tên «{name}» trùng với dòng {seen[name.casefold()]}")
        else:
            seen[name.casefold()] = line
        kind = kinds.get(cells.get("kind", "").casefold())
        if kind is None:
            allowed = ", ".join(k.name for k in kinds.values())
            problems.append(f"loại đơn vị «{cells.get('kind', '')}» không có trong danh mục ({allowed})")
        size_text = cells.get("size", "").replace(".", "").replace(",", "")
        size = None
        if not size_text:
            problems.append("thiếu số hộ gia đình / số cán bộ")
        else:
            try:
                size = int(size_text)
            except ValueError:
                problems.append(f"số hộ / số cán bộ «{cells['size']}» không phải số nguyên")
            else:
                if size < 0:
                    problems.append("số hộ / số cán bộ không được âm")
                elif kind is not None and size > size_limit(kind):
                    limit = size_limit_message(kind)
                    problems.append(limit[:1].lower() + limit[1:].rstrip("."))
        party_text = cells.get("party", "").casefold()
        if party_text not in YES | NO:
            problems.append(f"cột tổ chức Đảng phải là «có» hoặc «không», không phải «{cells['party']}»")
        reason_text = cells.get("out_of_scope", "").casefold()
        if reason_text and reason_text not in reasons:
            problems.append(f"lý do không thuộc diện «{cells['out_of_scope']}» không có trong danh mục")
        for key, title, _ in COLUMNS:
            bad = forbidden_characters(cells.get(key, ""))
            if bad:
                problems.append(f"cột «{title}» có ký tự điều khiển không được phép ({describe(bad)})")
        if problems:
            result.errors.append(f"Dòng {line}: " + "; ".join(problems) + ".")
            continue
        result.rows.append(
            ParsedRow(
                line=line,
                name=name,
                kind_id=kind.pk,
                kind_name=kind.name,
                size=size,
                party=party_text in YES,
                out_of_scope=reasons.get(reason_text, ""),
                head_name=cells.get("head_name", "")[:120],
                phone=cells.get("phone", "")[:30],
                address=cells.get("address", "")[:255],
                existing=name.casefold() in existing,
            )
        )
    if not result.rows and not result.errors:
        result.errors.append("Tệp không có dòng dữ liệu nào.")
    return result


def apply(commune, rows, *, actor):
    """Create or update the units of a checked import in one transaction; returns (created, updated).

    Refuses (nothing written) when the kinds changed since the file was checked. Side effects: the Unit
    rows and one audit row on the commune."""
    kinds = {k.pk: k for k in allowed_child_kinds(commune)}
    created = updated = 0
    with transaction.atomic():
        current = {u.name.casefold(): u for u in commune.children.select_for_update()}
        for row in rows:
            kind = kinds.get(row["kind_id"])
            if kind is None:
                raise Refused("Danh mục loại đơn vị đã thay đổi. Vui lòng tải tệp lên lại.")
            unit = current.get(row["name"].casefold()) or Unit(parent=commune, name=row["name"])
            is_new = unit.pk is None
            unit.kind = kind
            unit.size = row["size"]
            unit.has_party_org = row["party"]
            unit.out_of_scope = row["out_of_scope"]
            for attr in ("head_name", "phone", "address"):
                if row[attr]:
                    setattr(unit, attr, row[attr])
            unit.save()
            created += is_new
            updated += not is_new
        audit.record(
            commune,
            actor=actor,
            action="import",
            label="Nhập danh sách đơn vị từ Excel",
            reason=f"{created} đơn vị mới, {updated} đơn vị cập nhật",
        )
    return created, updated
