"""Unit kinds of Thông tư 124 and the local names of khu dân cư. Provinces add their own in the admin."""

from django.db import migrations

# code, name, category, takes_part, counts_households, security_plan, movement_model, internal_rules, order
KINDS = [
    ("tinh", "Tỉnh", "province", False, False, False, False, False, 1),
    ("thanh-pho-tw", "Thành phố trực thuộc Trung ương", "province", False, False, False, False, False, 2),
    ("huyen", "Huyện", "district", False, False, False, False, False, 5),
    ("quan", "Quận", "district", False, False, False, False, False, 6),
    ("thi-xa", "Thị xã", "district", False, False, False, False, False, 7),
    ("thanh-pho-thuoc-tinh", "Thành phố thuộc tỉnh", "district", False, False, False, False, False, 8),
    ("xa", "Xã", "commune", True, False, True, True, False, 10),
    ("phuong", "Phường", "commune", True, False, True, True, False, 11),
    ("thi-tran", "Thị trấn", "commune", True, False, True, True, False, 12),
    ("dac-khu", "Đặc khu", "commune", True, False, True, True, False, 13),
    ("thon", "Thôn", "residential_area", True, True, False, False, False, 20),
    ("lang", "Làng", "residential_area", True, True, False, False, False, 21),
    ("ban", "Bản", "residential_area", True, True, False, False, False, 22),
    ("buon", "Buôn", "residential_area", True, True, False, False, False, 23),
    ("ap", "Ấp", "residential_area", True, True, False, False, False, 24),
    ("to-dan-pho", "Tổ dân phố", "residential_area", True, True, False, False, False, 25),
    ("khu-pho", "Khu phố", "residential_area", True, True, False, False, False, 26),
    ("khu-dan-cu", "Khu dân cư", "residential_area", True, True, False, False, False, 27),
    ("co-quan", "Cơ quan", "agency", True, False, True, True, True, 40),
    ("doanh-nghiep", "Doanh nghiệp", "enterprise", True, False, True, True, True, 50),
    ("co-so-giao-duc", "Cơ sở giáo dục", "school", True, False, True, True, False, 60),
]


def add_kinds(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    for code, name, category, part, households, plan, model, rules, order in KINDS:
        UnitKind.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name,
                category=category,
                takes_part=part,
                counts_households=households,
                requires_security_plan=plan,
                requires_movement_model=model,
                requires_internal_rules=rules,
                sort_order=order,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
