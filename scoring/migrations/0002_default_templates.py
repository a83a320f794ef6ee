"""Default score templates, one per category, built from the criteria of Thông tư 124 Điều 4–7.

The split of the 100 points is the portal's proposal, not a legal text: every template is marked as a default
that the province should adjust to its own scoring guidance (Quyết định 510/QĐ-BCA-V05)."""

from decimal import Decimal

from django.db import migrations

FULL = "Thực hiện đầy đủ: điểm tối đa; thực hiện chưa đầy đủ: tối đa một nửa số điểm; không thực hiện: 0 điểm."
ON_TIME = "Đúng hạn, đủ tài liệu: điểm tối đa; chậm hạn hoặc thiếu tài liệu: trừ một nửa; không có: 0 điểm."
NONE_HAPPENED = "Không xảy ra: điểm tối đa; có vụ việc nhưng được giải quyết kịp thời: tối đa một nửa; để xảy ra vụ việc nghiêm trọng: 0 điểm."
SHARE = "100%: điểm tối đa; mỗi 1% thiếu trừ 1 điểm (không dưới 0)."
FORCE = "Hoàn thành tốt nhiệm vụ: điểm tối đa; hoàn thành: tối đa hai phần ba; không hoàn thành: 0 điểm."

# group, number, text, maximum, guidance, legal basis
RESIDENTIAL = [
    ("I. Lãnh đạo, đăng ký phấn đấu", "1.1", "Chi bộ có nghị quyết lãnh đạo thực hiện phong trào trong quý I.", "5", ON_TIME, "Điều 4 khoản 1"),
    ("I. Lãnh đạo, đăng ký phấn đấu", "1.2", "Khu dân cư đăng ký phấn đấu đạt tiêu chuẩn đúng hạn, đủ tài liệu.", "5", ON_TIME, "Điều 4 khoản 1"),
    ("I. Lãnh đạo, đăng ký phấn đấu", "1.3", "100% hộ gia đình cư trú đăng ký, ký cam kết thực hiện.", "10", SHARE, "Điều 4 khoản 1"),
    ("II. Thực hiện chủ trương, chính sách, pháp luật", "2.1", "Chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước được thực hiện nghiêm.", "7.5", FULL, "Điều 4 khoản 2"),
    ("II. Thực hiện chủ trương, chính sách, pháp luật", "2.2", "Quy định về bảo đảm an ninh, trật tự, quy ước, hương ước của khu dân cư được thực hiện nghiêm.", "7.5", FULL, "Điều 4 khoản 2"),
    ("III. Không xảy ra vụ việc về an ninh", "3.1", "Không có hoạt động chống Đảng, chính quyền, phá hoại khối đại đoàn kết toàn dân tộc.", "10", NONE_HAPPENED, "Điều 4 khoản 3"),
    ("III. Không xảy ra vụ việc về an ninh", "3.2", "Không có tuyên truyền đạo trái pháp luật; không lợi dụng dân tộc, tôn giáo gây mất an ninh, trật tự.", "7.5", NONE_HAPPENED, "Điều 4 khoản 3"),
    ("III. Không xảy ra vụ việc về an ninh", "3.3", "Không có khiếu kiện đông người, kéo dài; tranh chấp trong nhân dân được hòa giải kịp thời.", "7.5", NONE_HAPPENED, "Điều 4 khoản 3"),
    ("IV. Kiềm chế tội phạm, tệ nạn xã hội, tai nạn", "4.1", "Tội phạm và vi phạm pháp luật được kiềm chế, giảm so với năm trước.", "10", FULL, "Điều 4 khoản 4"),
    ("IV. Kiềm chế tội phạm, tệ nạn xã hội, tai nạn", "4.2", "Tệ nạn xã hội được kiềm chế; không phát sinh tụ điểm phức tạp.", "7.5", NONE_HAPPENED, "Điều 4 khoản 4"),
    ("IV. Kiềm chế tội phạm, tệ nạn xã hội, tai nạn", "4.3", "Không để xảy ra cháy, nổ, tai nạn nghiêm trọng do người dân gây ra.", "7.5", NONE_HAPPENED, "Điều 4 khoản 4"),
    ("V. Lực lượng bảo vệ an ninh, trật tự ở cơ sở", "5.1", "Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở hoàn thành tốt nhiệm vụ.", "10", FORCE, "Điều 4 khoản 5"),
    ("V. Lực lượng bảo vệ an ninh, trật tự ở cơ sở", "5.2", "Có mô hình tự phòng, tự quản về an ninh, trật tự hoạt động hiệu quả.", "5", FULL, "Điều 4 khoản 5"),
]

COMMUNE = [
    ("I. Lãnh đạo, đăng ký phấn đấu", "1.1", "Đảng ủy có nghị quyết lãnh đạo thực hiện phong trào trong quý I.", "5", ON_TIME, "Điều 5 khoản 1"),
    ("I. Lãnh đạo, đăng ký phấn đấu", "1.2", "Ủy ban nhân dân có kế hoạch và đăng ký phấn đấu đạt tiêu chuẩn đúng hạn.", "5", ON_TIME, "Điều 5 khoản 1"),
    ("I. Lãnh đạo, đăng ký phấn đấu", "1.3", "Có ít nhất 01 mô hình tự phòng, tự quản, tự bảo vệ, tự hòa giải hoạt động hiệu quả.", "10", FULL, "Điều 5 khoản 1"),
    ("II. Thực hiện các tiêu chí trên địa bàn", "2.1", "Không xảy ra hoạt động xâm phạm an ninh quốc gia, khiếu kiện đông người phức tạp trên địa bàn.", "10", NONE_HAPPENED, "Điều 5 khoản 2"),
    ("II. Thực hiện các tiêu chí trên địa bàn", "2.2", "Tội phạm, tệ nạn xã hội trên địa bàn được kiềm chế, giảm.", "10", FULL, "Điều 5 khoản 2"),
    ("II. Thực hiện các tiêu chí trên địa bàn", "2.3", "Không để xảy ra cháy, nổ, tai nạn nghiêm trọng trên địa bàn.", "10", NONE_HAPPENED, "Điều 5 khoản 2"),
    ("III. Công an xã", "3.1", "Công an xã hoàn thành tốt nhiệm vụ bảo đảm an ninh, trật tự.", "15", FORCE, "Điều 5 khoản 3"),
    ("III. Công an xã", "3.2", "Không có cán bộ, chiến sĩ Công an xã bị kỷ luật.", "5", NONE_HAPPENED, "Điều 5 khoản 3"),
    ("IV. Đơn vị thuộc thẩm quyền quản lý", "4.1", "100% khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc thẩm quyền quản lý đăng ký phấn đấu.", "10", SHARE, "Điều 5 khoản 4"),
    ("IV. Đơn vị thuộc thẩm quyền quản lý", "4.2", "Từ 70% trở lên các đơn vị thuộc thẩm quyền quản lý được công nhận đạt tiêu chuẩn.", "20", "Từ 70% trở lên: điểm tối đa; dưới 70%: 0 điểm.", "Điều 5 khoản 4"),
]


def _workplace(article, staff, school):
    items = [
        ("I. Lãnh đạo, đăng ký phấn đấu", "1.1", "Cấp ủy có nghị quyết (nơi có tổ chức Đảng), có kế hoạch bảo đảm an ninh, trật tự trong quý I.", "5", ON_TIME, f"Điều {article} khoản 1"),
        ("I. Lãnh đạo, đăng ký phấn đấu", "1.2", "Đăng ký phấn đấu đạt tiêu chuẩn đúng hạn, đủ tài liệu.", "5", ON_TIME, f"Điều {article} khoản 1"),
        ("I. Lãnh đạo, đăng ký phấn đấu", "1.3", f"100% {staff} được phổ biến và ký cam kết thực hiện.", "10", SHARE, f"Điều {article} khoản 1"),
        ("I. Lãnh đạo, đăng ký phấn đấu", "1.4", "Có ít nhất 01 mô hình tự phòng, tự quản, tự bảo vệ hoạt động hiệu quả.", "5", FULL, f"Điều {article} khoản 1"),
    ]
    if school:
        items += [
            ("II. Nội quy, quy chế, phối hợp", "2.1", "Có và thực hiện nghiêm nội quy bảo vệ cơ quan, quy chế bảo vệ bí mật nhà nước, bảo vệ chính trị nội bộ.", "10", FULL, "Điều 7 khoản 2"),
            ("II. Nội quy, quy chế, phối hợp", "2.2", "Có và thực hiện nghiêm quy định về an toàn, phòng cháy, chữa cháy.", "5", FULL, "Điều 7 khoản 2"),
            ("II. Nội quy, quy chế, phối hợp", "2.3", "Phối hợp chặt chẽ với Ban đại diện cha mẹ học sinh, chính quyền, Công an cơ sở trong quản lý học sinh.", "10", FULL, "Điều 7 khoản 2"),
            ("III. Không xảy ra vụ việc", "3.1", "Không để xảy ra bạo lực học đường.", "10", NONE_HAPPENED, "Điều 7 khoản 3"),
            ("III. Không xảy ra vụ việc", "3.2", "Không có cán bộ, giáo viên, học sinh vi phạm pháp luật, mắc tệ nạn xã hội.", "10", NONE_HAPPENED, "Điều 7 khoản 3"),
            ("III. Không xảy ra vụ việc", "3.3", "Không có khiếu kiện đông người, kéo dài.", "10", NONE_HAPPENED, "Điều 7 khoản 3"),
            ("III. Không xảy ra vụ việc", "3.4", "Không để xảy ra cháy, nổ, tai nạn nghiêm trọng.", "10", NONE_HAPPENED, "Điều 7 khoản 3"),
        ]
    else:
        items += [
            ("II. Nội quy, quy chế", "2.1", "Có nội quy bảo vệ cơ quan, quy chế bảo vệ bí mật nhà nước.", "10", FULL, f"Điều {article} khoản 2"),
            ("II. Nội quy, quy chế", "2.2", "Có quy chế bảo vệ chính trị nội bộ.", "5", FULL, f"Điều {article} khoản 2"),
            ("II. Nội quy, quy chế", "2.3", "Có quy định về an toàn lao động, phòng cháy, chữa cháy.", "10", FULL, f"Điều {article} khoản 2"),
            ("II. Nội quy, quy chế", "2.4", "Các nội quy, quy chế được thực hiện nghiêm.", "5", FULL, f"Điều {article} khoản 2"),
            ("III. Không xảy ra vụ việc", "3.1", "Không có khiếu kiện đông người, đình công trái pháp luật.", "10", NONE_HAPPENED, f"Điều {article} khoản 3"),
            ("III. Không xảy ra vụ việc", "3.2", "Không để mất trộm tài sản lớn, lộ lọt bí mật nhà nước.", "10", NONE_HAPPENED, f"Điều {article} khoản 3"),
            ("III. Không xảy ra vụ việc", "3.3", "Không để xảy ra cháy, nổ, tai nạn lao động nghiêm trọng.", "10", NONE_HAPPENED, f"Điều {article} khoản 3"),
            ("III. Không xảy ra vụ việc", "3.4", "Không có cán bộ, nhân viên vi phạm pháp luật, mắc tệ nạn xã hội.", "5", NONE_HAPPENED, f"Điều {article} khoản 3"),
        ]
    items.append(
        ("IV. Lực lượng bảo vệ", "4.1", "Lực lượng bảo vệ, tự vệ của đơn vị hoàn thành tốt nhiệm vụ.", "10", FORCE, f"Điều {article}")
    )
    return items


NOTE = (
    "Mẫu mặc định do hệ thống dựng từ các tiêu chí của Thông tư 124/2021/TT-BCA ({article}); cách chia 100 điểm "
    "là đề xuất, tỉnh cần rà soát, điều chỉnh theo hướng dẫn chấm điểm, phân loại phong trào của mình "
    "(Quyết định 510/QĐ-BCA-V05)."
)

TEMPLATES = [
    ("residential_area", "Khu dân cư", "Điều 4", RESIDENTIAL),
    ("commune", "Xã, phường, thị trấn, đặc khu", "Điều 5", COMMUNE),
    ("agency", "Cơ quan", "Điều 6", _workplace(6, "cán bộ, nhân viên", school=False)),
    ("enterprise", "Doanh nghiệp", "Điều 6", _workplace(6, "cán bộ, người lao động", school=False)),
    ("school", "Cơ sở giáo dục", "Điều 7", _workplace(7, "cán bộ, giáo viên, nhân viên", school=True)),
]


def add_templates(apps, schema_editor):
    ScoreTemplate = apps.get_model("scoring", "ScoreTemplate")
    ScoreItem = apps.get_model("scoring", "ScoreItem")
    for category, label, article, items in TEMPLATES:
        total = sum(Decimal(row[3]) for row in items)
        assert total == 100, f"{label}: {total}"  # noqa: S101 - a shipped template must be valid
        template, created = ScoreTemplate.objects.get_or_create(
            category=category,
            province=None,
            is_default=True,
            version=1,
            defaults=dict(
                name=f"Mẫu chấm điểm mặc định – {label}",
                first_year=2022,
                note=NOTE.format(article=article),
            ),
        )
        if created:
            ScoreItem.objects.bulk_create(
                ScoreItem(
                    template=template,
                    group=group,
                    number=number,
                    text=text,
                    max_points=Decimal(maximum),
                    guidance=guidance,
                    reference=reference,
                    sort_order=n * 10,
                )
                for n, (group, number, text, maximum, guidance, reference) in enumerate(items, start=1)
            )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]
    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
