"""The unit import against a forged workbook: the real template with its sheet dimension set to 3,000,010
rows and blank rows down to it (about 0.4 MB), next to the plain template as the baseline. Prints the file
sizes, the time `importing.parse` takes on each, and the time the previous reading (iter_rows without caps,
the declared dimension trusted) took on the forged file, bounded by --old-limit rows.

Run: .venv/bin/python bench/hostile_import.py [--old-limit 3000010]   (a throwaway SQLite database in /tmp)
"""

import argparse
import io
import re
import time
import zipfile

from _setup import throwaway_django

DB_PATH = "/tmp/ansinh_bench_import.sqlite3"
throwaway_django(DB_PATH, url_from_env=False)

from openpyxl import load_workbook  # noqa: E402

from units import importing  # noqa: E402
from units.models import Unit, UnitKind  # noqa: E402


def forge(template: bytes, last_row: int) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as forged:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:XFD{last_row}"/>', data.decode())
                blanks = "".join(f'<row r="{n}"/>' for n in range(5, last_row + 1))
                data = text.replace("</sheetData>", blanks + "</sheetData>").encode()
            forged.writestr(item.filename, data)
    return out.getvalue()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def old_reading(content: bytes, limit: int) -> int:
    """What parse() did before: every row the sheet declares, as wide as it declares."""
    ws = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    rows = 0
    for rows, _ in enumerate(ws.iter_rows(min_row=importing.HEADER_ROW + 1, values_only=True), start=1):  # noqa: B007
        if rows >= limit:
            break
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--old-limit", type=int, default=300_000, help="rows the old reading may go through")
    args = parser.parse_args()
    province = Unit.objects.create(name="Tỉnh Thử", kind=UnitKind.objects.get(code="tinh"))
    commune = Unit.objects.create(name="Xã Thử", kind=UnitKind.objects.get(code="xa"), parent=province)
    template = importing.build_template(commune)
    base, _ = timed(lambda: importing.parse(io.BytesIO(template), commune))
    print(f"template: {len(template) / 1024:.0f} KB, parse: {base * 1000:.0f} ms (baseline)")
    for last_row in (3_000_010, 1_000_010):
        forged = forge(template, last_row)
        new, result = timed(lambda forged=forged: importing.parse(io.BytesIO(forged), commune))
        outcome = result.errors[0] if result.errors else f"{len(result.rows)} row(s)"
        print(
            f"forged to {last_row:,} rows: {len(forged) / 1024:.0f} KB, parse: {new * 1000:.0f} ms "
            f"({new / base:.1f}× baseline) → {outcome}"
        )
    old, rows = timed(lambda: old_reading(forged, args.old_limit))
    print(
        f"previous reading (no caps, declared dimension trusted) of the {last_row:,}-row file: {old:.1f} s "
        f"for its first {rows:,} rows ({old / base:.0f}× baseline)"
    )


if __name__ == "__main__":
    main()
