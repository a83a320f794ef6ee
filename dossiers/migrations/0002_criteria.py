"""The national criteria of Thông tư 124/2021/TT-BCA Điều 4–7, split as the circular writes them, with the
items the portal checks itself. Texts are short paraphrases; the reference names the exact provision.

Provinces add their own rows (with `province` set) in the admin."""

from django.db import migrations

CASES_4_3 = [
    ("a", "hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc"),
    ("b", "hoạt động phá hoại các mục tiêu, công trình kinh tế, văn hóa, xã hội, an ninh, quốc phòng"),
    ("c", "hoạt động tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật"),
    ("d", "hoạt động lợi dụng tín ngưỡng, tôn giáo, dân tộc, tranh chấp, khiếu kiện gây phức tạp về an ninh, trật tự"),
    ("đ", "hoạt động ly khai, đòi tự trị"),
    ("e", "mâu thuẫn, tranh chấp phức tạp, kéo dài trong nội bộ Nhân dân"),
    ("g", "kích động, xúi giục, cưỡng ép, lôi kéo, mua chuộc người khác tham gia gây rối an ninh, trật tự"),
]
POLICY = (
    "Triển khai, thực hiện đầy đủ chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước và quy định "
    "của địa phương về bảo đảm an ninh, trật tự"
)

# category, order, reference, text, automatic check ("" = the reviewer confirms)
CRITERIA = [
    # Điều 4: khu dân cư
    ("residential_area", 10, "Điều 4 khoản 1",
     "Quý I: chi bộ có nghị quyết, khu dân cư đăng ký phấn đấu đạt tiêu chuẩn «An toàn về an ninh, trật tự» "
     "đúng hạn, đủ tài liệu.", "registered_in_window"),
    ("residential_area", 20, "Điều 4 khoản 1",
     "100% hộ gia đình đang cư trú trên địa bàn đăng ký tham gia xây dựng khu dân cư «An toàn về an ninh, "
     "trật tự».", "full_commitment"),
    ("residential_area", 30, "Điều 4 khoản 2", POLICY + ".", ""),
    *[
        ("residential_area", 40 + i, f"Điều 4 khoản 3 điểm {letter}", f"Không để xảy ra {text}.", "")
        for i, (letter, text) in enumerate(CASES_4_3, start=1)
    ],
    ("residential_area", 50, "Điều 4 khoản 4",
     "Tội phạm, tệ nạn xã hội được kiềm chế; không để xảy ra cháy, nổ, tai nạn nghiêm trọng do người dân gây ra "
     "(không có vụ việc làm mất tiêu chuẩn trong kỳ đánh giá).", "no_disqualifying_incident"),
    ("residential_area", 60, "Điều 4 khoản 5",
     "Lực lượng bảo vệ an ninh, trật tự ở cơ sở hoàn thành tốt nhiệm vụ.", ""),
    # Điều 5: xã, phường, thị trấn, đặc khu
    ("commune", 10, "Điều 5 khoản 1",
     "Quý I: đảng ủy có nghị quyết, Ủy ban nhân dân có kế hoạch và đăng ký phấn đấu đạt tiêu chuẩn đúng hạn, "
     "đủ tài liệu.", "registered_in_window"),
    ("commune", 20, "Điều 5 khoản 1",
     "Có ít nhất 01 mô hình tự phòng, tự quản, tự bảo vệ, tự hòa giải hoạt động hiệu quả.", "movement_model"),
    ("commune", 30, "Điều 5 khoản 2",
     "Các tiêu chí đối với khu dân cư được bảo đảm trên toàn địa bàn xã: không có vụ việc làm mất tiêu chuẩn "
     "tại bất kỳ đơn vị nào thuộc xã trong kỳ đánh giá.", "no_disqualifying_incident"),
    ("commune", 35, "Điều 5 khoản 2",
     POLICY + " trên địa bàn xã; không để xảy ra các trường hợp tại Điều 4 khoản 3 điểm a–g.", ""),
    ("commune", 40, "Điều 5 khoản 3",
     "Công an xã hoàn thành tốt nhiệm vụ; không có cán bộ bị kỷ luật.", ""),
    ("commune", 50, "Điều 5 khoản 4",
     "100% khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc thẩm quyền quản lý đăng ký, trong đó tỷ lệ "
     "được công nhận đạt tiêu chuẩn «An toàn về an ninh, trật tự» không thấp hơn mức tỉnh quy định (70%).",
     "managed_units_registered_and_recognised"),
]

# Điều 6 (cơ quan, doanh nghiệp) and Điều 7 (cơ sở giáo dục): khoản 1 holds the same four items.
for _category, _article, _staff in (
    ("agency", 6, "cán bộ, công chức, viên chức, người lao động"),
    ("enterprise", 6, "cán bộ, người lao động"),
    ("school", 7, "cán bộ, giáo viên, nhân viên"),
):
    CRITERIA += [
        (_category, 10, f"Điều {_article} khoản 1",
         "Quý I: tổ chức Đảng có nghị quyết (nơi có tổ chức Đảng), có kế hoạch về bảo đảm an ninh, trật tự và "
         "đăng ký phấn đấu đạt tiêu chuẩn đúng hạn, đủ tài liệu.", "registered_in_window"),
        (_category, 20, f"Điều {_article} khoản 1",
         "Có nội quy, quy định bảo vệ cơ quan, bảo vệ bí mật nhà nước, bảo vệ chính trị nội bộ, an toàn lao động, "
         "phòng cháy, chữa cháy, bảo vệ môi trường phù hợp thực tiễn.", "internal_rules"),
        (_category, 30, f"Điều {_article} khoản 1",
         f"100% {_staff} được phổ biến, quán triệt nội quy, quy định và tiêu chí, ký cam kết thực hiện.",
         "full_commitment"),
        (_category, 40, f"Điều {_article} khoản 1",
         "Có ít nhất 01 mô hình phong trào toàn dân bảo vệ an ninh Tổ quốc hoạt động hiệu quả.", "movement_model"),
        (_category, 50, f"Điều {_article} khoản 2",
         POLICY + "; thực hiện quy chế, chương trình, kế hoạch phối hợp với chính quyền địa phương và cơ quan "
         "Công an.", ""),
    ]
for _category in ("agency", "enterprise"):
    CRITERIA.append(
        (_category, 60, "Điều 6 khoản 3",
         "Không để xảy ra khiếu kiện đông người, đình công trái pháp luật; mất trộm tài sản có giá trị lớn; lộ, lọt "
         "bí mật nhà nước; cháy, nổ, tai nạn lao động nghiêm trọng; cán bộ, người lao động phạm tội, mắc tệ nạn xã "
         "hội (không có vụ việc làm mất tiêu chuẩn trong kỳ đánh giá).", "no_disqualifying_incident")
    )
CRITERIA += [
    ("school", 60, "Điều 7 khoản 3",
     "Phối hợp chặt chẽ với Ban đại diện cha mẹ học sinh, chính quyền, Công an cơ sở trong quản lý học sinh.", ""),
    ("school", 70, "Điều 7 khoản 4",
     "Không để xảy ra mất an ninh, trật tự, kích động, lôi kéo, tuyên truyền tín ngưỡng, tôn giáo trái pháp luật "
     "trong cơ sở giáo dục (không có vụ việc làm mất tiêu chuẩn trong kỳ đánh giá).", "no_disqualifying_incident"),
    ("school", 80, "Điều 7 khoản 5", "Không để xảy ra bạo lực học đường.", ""),
    ("school", 90, "Điều 7 khoản 6",
     "Cán bộ, giáo viên, nhân viên hoàn thành tốt nhiệm vụ được giao trong năm; không có người vi phạm pháp luật.",
     ""),
]


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
