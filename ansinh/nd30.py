"""Nghị định 30/2020/NĐ-CP conventions for administrative documents (numbers, dates, issuing bodies)."""

import re

# Kind words that precede a place name in a unit's full name; the place-and-date line drops them.
_PLACE_PREFIXES = re.compile(r"^(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)\s+", flags=re.IGNORECASE)


def place_name(unit_name: str) -> str:
    """'Xã Kon Gang' → 'Kon Gang' for the line 'Kon Gang, ngày …'."""
    return _PLACE_PREFIXES.sub("", unit_name.strip())


def lower_first(text: str) -> str:
    """A unit's name mid-sentence: 'Xã Kon Gang' → 'xã Kon Gang' ("Ủy ban nhân dân xã Kon Gang")."""
    return text[:1].lower() + text[1:]


def date_line(place: str, day) -> str:
    """'Kon Gang, ngày 05 tháng 02 năm 2026': days below 10 and months 1–2 take a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def document_number(number: int, symbol: str) -> str:
    """'Số: 05/QĐ-UBND': numbers below 10 take a leading zero."""
    return f"Số: {number:02d}/{symbol}"


def issuing_body_lines(unit) -> list[str]:
    """['ỦY BAN NHÂN DÂN', 'XÃ KON GANG'] for the top-left block of a document a UBND issues."""
    return ["ỦY BAN NHÂN DÂN", unit.name.upper()]
