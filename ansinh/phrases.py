"""Legal phrases spelled once, used in pages and printed documents alike."""

MOVEMENT = "Toàn dân bảo vệ an ninh Tổ quốc"
STANDARD = "An toàn về an ninh, trật tự"
STANDARD_QUOTED = f"“{STANDARD}”"
CIRCULAR = "Thông tư số 124/2021/TT-BCA ngày 28/12/2021 của Bộ trưởng Bộ Công an"
CIRCULAR_SHORT = "Thông tư 124/2021/TT-BCA"
REGISTRATION = f"Đăng ký phấn đấu đạt tiêu chuẩn {STANDARD_QUOTED}"
REGISTRATION_FORM_TITLE = "BẢN ĐĂNG KÝ"
DOSSIER = f"Hồ sơ đề nghị công nhận đạt tiêu chuẩn {STANDARD_QUOTED}"
DECISION_SUBJECT = f"Về việc công nhận đạt tiêu chuẩn {STANDARD_QUOTED} năm {{year}}"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DECISION_TITLE = "QUYẾT ĐỊNH"
STEERING_COMMITTEE = (
    "Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc"
)
