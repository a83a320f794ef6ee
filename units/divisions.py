"""Loading the official provinces and communes (post-2025 list) from the vietnam-provinces package, and the
2025 mergers (which old communes each new one was formed from) from the vietnamadminunits dataset."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from ansinh.text import clean, fold
from units.models import LineageKind, Unit, UnitKind, UnitLineage

# vietnam-provinces division type → our kind code
_PROVINCE_KINDS = {"tỉnh": "tinh", "thành phố trung ương": "thanh-pho-tw"}
_COMMUNE_KINDS = {"xã": "xa", "phường": "phuong", "thị trấn": "thi-tran", "đặc khu": "dac-khu"}


def _full_province_name(province):
    prefix = "Thành phố" if province.division_type.value == "thành phố trung ương" else "Tỉnh"
    name = clean(province.name)
    return name if name.lower().startswith(prefix.lower()) else f"{prefix} {name}"


def name_matches(name, wanted):
    wanted = clean(wanted).casefold()
    name = clean(name).casefold()
    return wanted in (name, name.removeprefix("tỉnh ").removeprefix("thành phố "))


@transaction.atomic
def import_divisions(province_name=None):
    """Create or update provinces and their communes; returns (created, updated) counts.

    Units are matched by official code, so re-running changes nothing and never duplicates."""
    from vietnam_provinces import Province, Ward

    kinds = {k.code: k for k in UnitKind.objects.all()}
    provinces = [p for p in Province.iter_all() if province_name is None or name_matches(p.name, province_name)]
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


# The commune-level reorganisation of 2025 took effect on this date in every province.
REORGANISED_ON = datetime.date(2025, 7, 1)
MERGER_NOTE = "Sắp xếp đơn vị hành chính cấp xã năm 2025 (có hiệu lực từ 01/07/2025); mã cũ {code}."
_LEGACY_KINDS = {"Xã": "xa", "Phường": "phuong", "Thị trấn": "thi-tran"}


@dataclass(frozen=True)
class LegacyCommune:
    code: str
    name: str
    district: str
    province: str
    kind_code: str


@dataclass(frozen=True)
class Merger:
    """Legacy commune `legacy` lives on in the post-2025 commune with official code `new_code` (in new
    province `province_key`): wholly merged into it, or (`split`) divided between several new communes,
    this being one of them."""

    province_key: str
    new_code: str
    new_name: str
    legacy: LegacyCommune
    split: bool


def _lower_first(text):
    return text[:1].lower() + text[1:]


def old_unit_names(mergers) -> dict:
    """{legacy code: the name its archived unit takes}. The old name alone can clash with a new commune that
    kept it (Xã Kon Gang before and after 2025), so the old district follows it, as people said it then;
    where two old provinces now in one had districts of the same name (Huyện Châu Thành), the old province
    follows too."""
    legacies = {m.legacy.code: (m.province_key, m.legacy) for m in mergers}
    short = {code: f"{c.name} (cũ, {_lower_first(c.district)}" for code, (_, c) in legacies.items()}
    holders = {}
    for code, (province_key, _) in legacies.items():
        holders.setdefault((province_key, short[code]), set()).add(code)
    return {
        code: short[code] + (f", {_lower_first(c.province)})" if len(holders[key, short[code]]) > 1 else ")")
        for code, (key, c) in legacies.items()
    }


def official_mergers(province_keys=None) -> list[Merger]:
    """The 2025 mergers as published in the vietnamadminunits dataset (the 10,040 communes before 2025 and
    which of the 3,321 communes after it each became), for the new provinces in `province_keys` (all when
    None). The dataset names units by folded keys; they are joined to official codes here."""
    import importlib.resources
    import json
    import sqlite3

    data = importlib.resources.files("vietnamadminunits") / "data"
    mapping = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    with importlib.resources.as_file(data / "dataset.db") as path, sqlite3.connect(path) as db:
        new_wards = {
            (province, ward): (code, clean(name))
            for province, ward, code, name in db.execute("SELECT provinceKey, wardKey, wardCode, ward FROM admin_units")
        }
        legacy = {
            f"{province}_{district}_{ward}": LegacyCommune(code, clean(name), clean(district_name), clean(p), kind)
            for province, district, ward, code, name, district_name, p, kind in db.execute(
                "SELECT provinceKey, districtKey, wardKey, wardCode, ward, district, province, wardType"
                " FROM admin_units_legacy"
            )
        }
    pairs = [
        (province, ward, key, False)
        for province, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items()
        for ward, legacy_keys in wards.items()
        for key in legacy_keys
    ] + [
        (province, part["newWardKey"], key, True)
        for province, divided in mapping["DICT_PROVINCE_WARD_DIVIDED"].items()
        for key, parts in divided.items()
        for part in parts
    ]
    # A district without communes (Hoàng Sa) appears with an empty commune key: nothing to link.
    return [
        Merger(province, *new_wards[province, ward], legacy[key], split)
        for province, ward, key, split in pairs
        if (province_keys is None or province in province_keys) and key in legacy and (province, ward) in new_wards
    ]


def _province_key(name):
    return fold(name).replace(" ", "")


def record_2025_mergers(province_name=None, *, commune_codes=None, user=None):
    """Record where each commune that existed before the 2025 reorganisation went, for the communes already
    imported (all, or one province, or the new communes `commune_codes`): the old commune becomes an
    archived unit of the province under its old name, linked to its successor from 01/07/2025 (merged, or
    split when it was divided), so the new commune's history can show its predecessors' years.

    Re-running records nothing twice. Returns (old communes created, links recorded)."""
    from units import lineage

    provinces = Unit.objects.filter(kind__category="province")
    if province_name is not None:
        provinces = [p for p in provinces if name_matches(p.name, province_name)]
        if not provinces:
            raise ValueError(f"Chưa nạp tỉnh/thành phố «{province_name}» (chạy import_divisions trước).")
    keys = {_province_key(p.name): p for p in provinces}
    # Every commune of the provinces takes part in matching, even when only some are recorded, so that a
    # name found elsewhere in the province is never taken for a code match here.
    communes = Unit.objects.filter(kind__category="commune", parent__in=keys.values()).exclude(code="")
    communes = list(communes.select_related("parent"))
    by_code = {u.code: u for u in communes}
    # The two packages agree on names more than on codes (114 new communes carry another predecessor's code,
    # 38 codes name another commune), though they may place tone marks differently (Hòa, Hoà): match by
    # name, then by folded name where that is unique in the province (Vân Lang, Văn Lang), then by code.
    by_name = {(_province_key(u.parent.name), u.name): u for u in communes}
    folded = {}
    for u in communes:
        folded.setdefault((_province_key(u.parent.name), fold(u.name)), []).append(u)
    mergers = official_mergers(set(keys))
    names = old_unit_names(mergers)
    kinds = {k.code: k for k in UnitKind.objects.all()}
    created = linked = 0
    with transaction.atomic():
        for merger in mergers:
            same_folded = folded.get((merger.province_key, fold(merger.new_name)), [])
            successor = (
                by_name.get((merger.province_key, merger.new_name))
                or (same_folded[0] if len(same_folded) == 1 else None)
                or by_code.get(merger.new_code)
            )
            if successor is None or (commune_codes is not None and successor.code not in commune_codes):
                continue
            old, made = Unit.objects.get_or_create(
                parent=successor.parent,
                name=names[merger.legacy.code],
                defaults={"kind": kinds[_LEGACY_KINDS[merger.legacy.kind_code]]},
            )
            created += made
            if UnitLineage.objects.filter(predecessor=old, successor=successor).exists():
                continue
            lineage.record(
                predecessor=old,
                successor=successor,
                kind=LineageKind.SPLIT if merger.split else LineageKind.MERGED,
                effective_on=REORGANISED_ON,
                note=MERGER_NOTE.format(code=merger.legacy.code),
                user=user,
            )
            linked += 1
            if merger.split:
                # A divided commune ended too, though no single successor absorbed it.
                lineage.stop_following(old, user=user, reason="Chia tách trong sắp xếp đơn vị hành chính năm 2025")
    return created, linked
