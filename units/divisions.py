"""Loading the official provinces and communes (post-2025 list) from the vietnam-provinces package."""

from django.db import transaction

from ansinh.text import clean
from units.models import Unit, UnitKind

# vietnam-provinces division type → our kind code
_PROVINCE_KINDS = {"tỉnh": "tinh", "thành phố trung ương": "thanh-pho-tw"}
_COMMUNE_KINDS = {"xã": "xa", "phường": "phuong", "thị trấn": "thi-tran", "đặc khu": "dac-khu"}


def _full_province_name(province):
    prefix = "Thành phố" if province.division_type.value == "thành phố trung ương" else "Tỉnh"
    name = clean(province.name)
    return name if name.lower().startswith(prefix.lower()) else f"{prefix} {name}"


def _match(name, wanted):
    wanted = clean(wanted).casefold()
    name = clean(name).casefold()
    return wanted in (name, name.removeprefix("tỉnh ").removeprefix("thành phố "))


@transaction.atomic
def import_divisions(province_name=None):
    """Create or update provinces and their communes; returns (created, updated) counts.

    Units are matched by official code, so re-running changes nothing and never duplicates."""
    from vietnam_provinces import Province, Ward

    kinds = {k.code: k for k in UnitKind.objects.all()}
    provinces = [p for p in Province.iter_all() if province_name is None or _match(p.name, province_name)]
    if not provinces:
        raise ValueError(f"Không tìm thấy tỉnh/thành phố «{province_name}».")
    wanted = {p.code.value for p in provinces}
    existing = {u.code: u for u in Unit.objects.filter(kind__category__in=["province", "commune"]).exclude(code="")}
    created = updated = 0

    def upsert(code, name, kind, parent):
        nonlocal created, updated
        unit = existing.get(code)
        if unit is None:
            unit = Unit(code=code, name=name, kind=kind, parent=parent)
            unit.save()
            existing[code] = unit
            created += 1
        elif (unit.name, unit.kind_id, unit.parent_id) != (name, kind.pk, parent.pk if parent else None):
            unit.name, unit.kind, unit.parent = name, kind, parent
            unit.save()
            updated += 1
        return unit

    roots = {}
    for p in provinces:
        code = f"{p.code.value:02d}"
        roots[p.code.value] = upsert(code, _full_province_name(p), kinds[_PROVINCE_KINDS[p.division_type.value]], None)
    for w in Ward.iter_all():
        if w.province_code.value not in wanted:
            continue
        upsert(
            f"{w.code.value:05d}",
            clean(w.name),
            kinds[_COMMUNE_KINDS[w.division_type.value]],
            roots[w.province_code.value],
        )
    return created, updated
