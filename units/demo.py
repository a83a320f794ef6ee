"""Demo part 1: Gia Lai with its official communes; Xã Kon Gang and Xã Đak Đoa with their units; one
account per role (password `ansinh-demo`)."""

from django.contrib.auth import get_user_model

from units.divisions import import_divisions, record_2025_mergers
from units.models import OutOfScope, Role, RoleAssignment, Unit, UnitKind

DEMO_PASSWORD = "ansinh-demo"  # noqa: S105 - published in the README; seed_demo refuses DEBUG=False

# name, kind code, households/staff, has Party organisation, out-of-scope reason, head
KON_GANG_UNITS = [
    ("Làng Kon Gang Tơ Pơng", "lang", 142, True, "", "Đinh Văn Hmưn"),
    ("Làng Đê Kôn", "lang", 118, True, "", "Đinh Thị Blanh"),
    ("Làng Kon Jơ Dri", "lang", 96, True, "", "Rơ Châm Hyin"),
    ("Làng Groi", "lang", 134, True, "", "Đinh Văn Thơm"),
    ("Làng Kon Brung", "lang", 88, False, "", "A Khuynh"),
    ("Làng Đê Tơ Nglang", "lang", 105, True, "", "Đinh Văn Blơm"),
    ("Thôn Hà Lòng", "thon", 176, True, "", "Nguyễn Văn Thắng"),
    ("Thôn Thanh Giáo", "thon", 203, True, "", "Trần Văn Lộc"),
    ("Thôn Tân Lập", "thon", 158, True, "", "Lê Thị Hoa"),
    ("Thôn Hải Yang", "thon", 121, True, "", "Phạm Văn Đức"),
    ("Trạm Y tế xã Kon Gang", "co-quan", 9, True, "", "Bác sĩ Trần Thị Mai"),
    ("Bưu điện văn hóa xã Kon Gang", "co-quan", 3, False, "", "Nguyễn Thị Thu"),
    ("Công ty TNHH MTV Cà phê Kon Gang", "doanh-nghiep", 64, True, "", "Võ Minh Tuấn"),
    ("Công ty TNHH Thương mại Minh Phát", "doanh-nghiep", 6, False, OutOfScope.SMALL_ENTERPRISE, "Hồ Văn Phát"),
    ("Trường THCS Kon Gang", "co-so-giao-duc", 38, True, "", "Thầy Nguyễn Đình Khôi"),
    ("Trường Tiểu học Kon Gang", "co-so-giao-duc", 27, True, OutOfScope.PRIMARY_SCHOOL, "Cô Đỗ Thị Lan"),
]
DAK_DOA_UNITS = [
    ("Thôn 1", "thon", 214, True, "", "Nguyễn Văn An"),
    ("Thôn 2", "thon", 187, True, "", "Trương Công Bình"),
    ("Thôn 3", "thon", 165, True, "", "Lê Văn Cường"),
    ("Làng Đê Groi", "lang", 131, True, "", "Ksor Blong"),
    ("Làng Piơm", "lang", 109, True, "", "Đinh Văn Pơ"),
    ("Làng Kon Hră", "lang", 92, False, "", "A Thuân"),
    ("Tổ dân phố 4", "to-dan-pho", 240, True, "", "Phan Thị Hạnh"),
    ("Trung tâm Y tế khu vực Đak Đoa", "co-quan", 86, True, "", "Bác sĩ Lê Quang Vinh"),
    ("Công ty Cổ phần Chè Bàu Cạn", "doanh-nghiep", 312, True, "", "Nguyễn Hữu Tài"),
    ("Trường THPT Nguyễn Trãi", "co-so-giao-duc", 72, True, "", "Thầy Phạm Ngọc Sơn"),
    ("Trường Mầm non Hoa Sen", "co-so-giao-duc", 18, True, OutOfScope.KINDERGARTEN, "Cô Rơ Mah H'Luyn"),
]

# username, role, unit name ("" = the province), full name, title
ACCOUNTS = [
    ("quantri", Role.ADMIN, "", "Quản trị hệ thống Gia Lai", ""),
    ("congan.konggang", Role.POLICE_CLERK, "Xã Kon Gang", "Đại úy Nguyễn Văn Hưng", "Cán bộ Công an xã"),
    ("congan.dakdoa", Role.POLICE_CLERK, "Xã Đak Đoa", "Thượng úy Lê Minh Quân", "Cán bộ Công an xã"),
    ("truongthon.konggang", Role.UNIT_HEAD, "Làng Kon Gang Tơ Pơng", "Đinh Văn Hmưn", "Trưởng làng"),
    ("bcd.konggang", Role.STEERING_OFFICE, "Xã Kon Gang", "Trần Quốc Bảo", "Phó Trưởng ban Thường trực BCĐ"),
    ("chutich.konggang", Role.CHAIRMAN, "Xã Kon Gang", "Nguyễn Văn Nam", "Chủ tịch"),
    ("vanthu.konggang", Role.RECORDS_CLERK, "Xã Kon Gang", "Phạm Thị Hằng", "Văn thư"),
    ("bcd.gialai", Role.STEERING_OFFICE, "", "Võ Thanh Hải", "Thường trực BCĐ tỉnh"),
    ("chutich.gialai", Role.CHAIRMAN, "", "Rah Lan Chung", "Chủ tịch"),
]


def _seed_units(commune, rows):
    kinds = {k.code: k for k in UnitKind.objects.all()}
    for name, kind_code, size, party, out_of_scope, head in rows:
        kind = kinds[kind_code]
        Unit.objects.update_or_create(
            parent=commune,
            name=name,
            defaults={
                "kind": kind,
                **kind.size_fields(size),
                "has_party_org": party,
                "out_of_scope": out_of_scope,
                "head_name": head,
            },
        )


def seed(stdout=None):
    import_divisions("Gia Lai")
    # The two demo communes' own 2025 mergers, so their pages show which old communes they were formed from.
    record_2025_mergers("Gia Lai", commune_codes=["23701", "23677"])
    province = Unit.objects.get(code="52")
    communes = {u.name: u for u in Unit.objects.filter(parent=province, name__in=["Xã Kon Gang", "Xã Đak Đoa"])}
    for commune, staff in ((communes["Xã Kon Gang"], 24), (communes["Xã Đak Đoa"], 31)):
        commune.has_party_org, commune.staff = True, staff
        commune.save()
    _seed_units(communes["Xã Kon Gang"], KON_GANG_UNITS)
    _seed_units(communes["Xã Đak Đoa"], DAK_DOA_UNITS)

    users = get_user_model().objects
    for username, role, unit_name, full_name, title in ACCOUNTS:
        # The province administrator also keeps the Django admin (unit kinds, criteria, users).
        administers = role is Role.ADMIN
        unit = province if not unit_name else Unit.objects.under(province).get(name=unit_name)
        user, _ = users.update_or_create(
            username=username,
            # Vietnamese names read family name first, so the whole name goes in first_name.
            defaults={
                "first_name": full_name,
                "last_name": "",
                "is_staff": administers,
                "is_superuser": administers,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        RoleAssignment.objects.update_or_create(user=user, role=role, unit=unit, defaults={"title": title})
    units = Unit.objects.under(province).count()
    return f"{units} đơn vị trong tỉnh Gia Lai, {len(ACCOUNTS)} tài khoản (mật khẩu {DEMO_PASSWORD})"
