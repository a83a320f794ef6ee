"""The national criteria of Thông tư 124/2021/TT-BCA Điều 4–7, with the items the portal checks itself.

Provinces add their own rows (with `province` set) in the admin."""

from django.db import migrations

# category, order, reference, text, automatic check ("" = the reviewer confirms)
CRITERIA = [
    # Điều 4: khu dân cư
    ("residential_area", 10, "Điều 4 khoản 1",
     "Trong quý I, chi bộ có nghị quyết, khu dân cư đăng ký phấn đấu đạt tiêu chuẩn "
     "«An toàn về an ninh, trật tự» đúng hạn, đủ tài liệu.", "registered_in_window"),
    ("residential_area", 20, "Điều 4 khoản 1",
     "100% hộ gia đình cư trú tại khu dân cư đăng ký, cam kết thực hiện.", "full_commitment"),
    ("residential_area", 30, "Điều 4 khoản 2",
     "Chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước và các quy định về bảo đảm "
     "an ninh, trật tự được thực hiện nghiêm.", ""),
    ("residential_area", 40, "Điều 4 khoản 3",
     "Không xảy ra hoạt động chống Đảng, chính quyền, phá hoại khối đại đoàn kết; tuyên truyền đạo trái "
     "pháp luật; lợi dụng dân tộc, tôn giáo, tranh chấp; khiếu kiện đông người, kéo dài.", ""),
    ("residential_area", 50, "Điều 4 khoản 4",
     "Tội phạm, tệ nạn xã hội được kiềm chế; không để xảy ra cháy, nổ, tai nạn nghiêm trọng do người dân "
     "gây ra (không có vụ việc làm mất tiêu chuẩn trong kỳ đánh giá).", "no_disqualifying_incident"),
    ("residential_area", 60, "Điều 4 khoản 5",
     "Lực lượng bảo vệ an ninh, trật tự ở cơ sở hoàn thành tốt nhiệm vụ.", ""),
    # Điều 5: xã, phường, thị trấn, đặc khu
    ("commune", 10, "Điều 5 khoản 1",
     "Trong quý I, đảng ủy có nghị quyết, Ủy ban nhân dân có kế hoạch và đăng ký phấn đấu đạt tiêu chuẩn "
     "đúng hạn, đủ tài liệu.", "registered_in_window"),
    ("commune", 20, "Điều 5 khoản 1",
     "Có ít nhất 01 mô hình tự phòng, tự quản, tự bảo vệ, tự hòa giải hoạt động hiệu quả.", "movement_model"),
    ("commune", 30, "Điều 5 khoản 2",
     "Thực hiện tốt các tiêu chí đối với khu dân cư trên địa bàn; không có vụ việc làm mất tiêu chuẩn "
     "trong kỳ đánh giá.", "no_disqualifying_incident"),
    ("commune", 40, "Điều 5 khoản 3",
     "Công an xã hoàn thành tốt nhiệm vụ; không có cán bộ bị kỷ luật.", ""),
    ("commune", 50, "Điều 5 khoản 4",
     "100% khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc thẩm quyền quản lý đăng ký, trong đó "
     "từ 70% trở lên được công nhận đạt tiêu chuẩn «An toàn về an ninh, trật tự».",
     "managed_units_registered_and_recognised"),
]

# Điều 6 (cơ quan, doanh nghiệp) and Điều 7 (cơ sở giáo dục) share their pattern.
for _category, _article in (("agency", 6), ("enterprise", 6), ("school", 7)):
    CRITERIA += [
        (_category, 10, f"Điều {_article} khoản 1",
         "Trong quý I, cấp ủy có nghị quyết (nơi có tổ chức Đảng), có kế hoạch và đăng ký phấn đấu đạt "
         "tiêu chuẩn đúng hạn, đủ tài liệu.", "registered_in_window"),
        (_category, 20, f"Điều {_article} khoản 1",
         "100% cán bộ, nhân viên được phổ biến và ký cam kết thực hiện.", "full_commitment"),
        (_category, 30, f"Điều {_article} khoản 1",
         "Có ít nhất 01 mô hình tự phòng, tự quản, tự bảo vệ hoạt động hiệu quả.", "movement_model"),
        (_category, 40, f"Điều {_article} khoản 2",
         "Có nội quy bảo vệ cơ quan, quy chế bảo vệ bí mật nhà nước, bảo vệ chính trị nội bộ, an toàn lao "
         "động, phòng cháy, chữa cháy và thực hiện nghiêm.", ""),
        (_category, 50, f"Điều {_article} khoản 3",
         "Không có vụ việc làm mất tiêu chuẩn trong kỳ đánh giá (khiếu kiện đông người, đình công trái pháp "
         "luật, cháy, nổ, tai nạn lao động nghiêm trọng, cán bộ vi phạm pháp luật"
         + (", bạo lực học đường" if _category == "school" else "") + ").", "no_disqualifying_incident"),
    ]
CRITERIA.append(
    ("school", 60, "Điều 7 khoản 2",
     "Phối hợp chặt chẽ với Ban đại diện cha mẹ học sinh, chính quyền, Công an cơ sở trong quản lý học sinh.", "")
)


def add_criteria(apps, schema_editor):
    Criterion = apps.get_model("dossiers", "Criterion")
    for category, order, reference, text, check in CRITERIA:
        Criterion.objects.update_or_create(
            province=None,
            category=category,
            sort_order=order,
            defaults=dict(reference=reference, text=text, check_code=check),
        )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(add_criteria, migrations.RunPython.noop)]
