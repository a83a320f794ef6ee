"""Every workbook the portal writes leaves through `to_bytes`, which keeps user text as text.

openpyxl turns any string starting with "=" into a live formula, so a unit named "=HYPERLINK(…)" would run
in the clerk's Excel. The portal writes no formulas of its own into cells, so every formula cell is made a
text cell again, and text that Excel would read as a formula once the cell is edited (=, +, -, @, tab, CR)
is marked as text with the cell's quote prefix (shown without an apostrophe)."""

import io

from openpyxl.cell.cell import TYPE_FORMULA, TYPE_STRING

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(workbook):
    """Make every cell whose value came from text a text cell (in place)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == TYPE_FORMULA:
                    cell.data_type = TYPE_STRING
                text = cell.value if cell.data_type == TYPE_STRING else None
                if isinstance(text, str) and text.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
    return workbook


def to_bytes(workbook) -> bytes:
    out = io.BytesIO()
    neutralise(workbook).save(out)
    return out.getvalue()
