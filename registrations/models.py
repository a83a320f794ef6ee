"""The year (deadlines and evaluation periods as data), registrations and their documents."""

import datetime
import uuid

from django.conf import settings
from django.db import models

from ansinh.uploads import PrivateFile
from units.models import PATH_SEGMENT_WIDTH, Category, Unit, UnitKind


class DeadlineDefault(models.Model):
    """Month/day defaults per unit category, copied into a province's year when it is opened.

    Shipped from the Kon Gang plan (reference 000), each row saying where its dates come from; the
    administrator edits them per province year (and per commune, as an override row)."""

    category = models.CharField("nhóm đơn vị", max_length=20, choices=Category.choices, unique=True)
    registration_due = models.CharField("hạn đăng ký (dd/mm)", max_length=5)
    registration_compiled_due = models.CharField("hạn tổng hợp gửi cấp trên (dd/mm)", max_length=5)
    period_start = models.CharField("bắt đầu kỳ đánh giá (dd/mm, năm trước)", max_length=5)
    period_end = models.CharField("kết thúc kỳ đánh giá (dd/mm)", max_length=5)
    dossier_due = models.CharField("hạn gửi kết quả, hồ sơ (dd/mm)", max_length=5)
    results_compiled_due = models.CharField("hạn tổng hợp kết quả gửi Thường trực BCĐ (dd/mm)", max_length=5)
    review_due = models.CharField("hạn thẩm định (dd/mm)", max_length=5)
    recognition_due = models.CharField("hạn quyết định công nhận (dd/mm)", max_length=5)
    classification_due = models.CharField("hạn tờ trình xếp loại (dd/mm)", max_length=5)
    source = models.TextField("nguồn", blank=True, help_text="Văn bản, mục quy định từng mốc; mốc giả định ghi rõ.")

    class Meta:
        verbose_name = "mốc thời gian mặc định"
        verbose_name_plural = "mốc thời gian mặc định"

    def __str__(self):
        return self.get_category_display()


class YearQuerySet(models.QuerySet):
    def for_unit(self, unit, year):
        """The province year that governs `unit` (a commune inherits its province's dates)."""
        return self.get(province__path=unit.path[:PATH_SEGMENT_WIDTH], number=year)


class Year(models.Model):
    """Năm đánh giá of a province."""

    province = models.ForeignKey(Unit, verbose_name="tỉnh", on_delete=models.PROTECT, related_name="years")
    number = models.PositiveSmallIntegerField("năm")
    is_open = models.BooleanField("đang mở", default=True)

    objects = YearQuerySet.as_manager()

    class Meta:
        verbose_name = "năm đánh giá"
        verbose_name_plural = "năm đánh giá"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["province", "number"], name="year_unique_per_province")]

    def __str__(self):
        return f"Năm {self.number} – {self.province}"

    @property
    def closed_message(self) -> str:
        """Why a closed year takes no more work."""
        return f"Năm đánh giá {self.number} đã khóa sổ."

    def deadline_for(self, unit):
        """The Deadline row of `unit`'s category: its commune's override if there is one, else the
        province's (read once per year object)."""
        if not hasattr(self, "_deadlines"):
            self._deadlines = list(self.deadlines.select_related("commune"))
        rows = [d for d in self._deadlines if d.commune_id is None or unit.path.startswith(d.commune.path)]
        for category in (unit.kind.category, Category.OTHER):
            matching = [d for d in rows if d.category == category]
            if matching:
                return max(matching, key=lambda d: d.commune_id is not None)
        return None


class Deadline(models.Model):
    """The dates of one category in a province's year; a row with `commune` set overrides them there."""

    year = models.ForeignKey(Year, on_delete=models.CASCADE, related_name="deadlines")
    commune = models.ForeignKey(
        Unit,
        verbose_name="riêng cho xã",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Để trống: mốc chung của tỉnh.",
    )
    category = models.CharField("nhóm đơn vị", max_length=20, choices=Category.choices)
    registration_due = models.DateField("hạn đăng ký")
    registration_compiled_due = models.DateField("hạn tổng hợp gửi cấp trên")
    period_start = models.DateField("bắt đầu kỳ đánh giá")
    period_end = models.DateField("kết thúc kỳ đánh giá")
    dossier_due = models.DateField("hạn gửi hồ sơ, kết quả")
    results_compiled_due = models.DateField("hạn tổng hợp kết quả gửi Thường trực BCĐ")
    review_due = models.DateField("hạn thẩm định")
    recognition_due = models.DateField("hạn quyết định công nhận")
    classification_due = models.DateField("hạn tờ trình xếp loại")
    source = models.TextField("nguồn", blank=True)

    class Meta:
        verbose_name = "mốc thời gian"
        verbose_name_plural = "mốc thời gian"
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "category"],
                condition=models.Q(commune__isnull=True),
                name="deadline_unique_per_category",
                violation_error_message="Năm này đã có mốc thời gian chung cho nhóm đơn vị này.",
            ),
            models.UniqueConstraint(
                fields=["year", "category", "commune"],
                condition=models.Q(commune__isnull=False),
                name="deadline_unique_per_commune_category",
                violation_error_message="Xã này đã có mốc thời gian riêng cho nhóm đơn vị này.",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lt=models.F("period_end")),
                name="period_ordered",
                violation_error_message="Ngày bắt đầu kỳ đánh giá phải trước ngày kết thúc.",
            ),
        ]

    def __str__(self):
        where = f" – {self.commune}" if self.commune_id else ""
        return f"{self.get_category_display()} – {self.year.number}{where}"

    def in_period(self, day: datetime.date) -> bool:
        return self.period_start <= day <= self.period_end


class InternalRuleQuerySet(models.QuerySet):
    def for_kind(self, kind):
        return self.filter(is_active=True, kinds=kind).order_by("sort_order", "pk")


class InternalRule(models.Model):
    """A nội quy / quy chế a unit kind must have issued (TT124 Điều 6 khoản 1, Điều 7 khoản 1)."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên nội quy, quy chế", max_length=120, help_text="Ví dụ: bảo vệ bí mật nhà nước.")
    kinds = models.ManyToManyField(UnitKind, verbose_name="loại đơn vị phải có", related_name="internal_rules")
    reference = models.CharField("căn cứ", max_length=120, blank=True, help_text="Ví dụ: Điều 6 khoản 1")
    source = models.CharField("nguồn", max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=100)
    is_active = models.BooleanField("đang áp dụng", default=True)

    objects = InternalRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "nội quy, quy chế nội bộ"
        verbose_name_plural = "nội quy, quy chế nội bộ"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã nộp"
    ACCEPTED = "accepted", "Đã tiếp nhận"
    RETURNED = "returned", "Trả lại"


class Registration(models.Model):
    """Đăng ký phấn đấu of one unit for one year. The status moves only through registrations.workflow."""

    Status = RegistrationStatus
    STATUS_COLOURS = {"draft": "secondary", "submitted": "primary", "accepted": "success", "returned": "warning"}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="registrations")
    year = models.ForeignKey(Year, verbose_name="năm", on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    registered_on = models.DateField("ngày đăng ký")
    base_count = models.PositiveIntegerField(
        "tổng số hộ / cán bộ", help_text="Khu dân cư: số hộ gia đình cư trú; loại khác: số cán bộ, nhân viên."
    )
    committed_count = models.PositiveIntegerField(
        "số đã đăng ký / ký cam kết", help_text="Số hộ đăng ký, hoặc số cán bộ đã được phổ biến và ký cam kết."
    )
    internal_rules = models.ManyToManyField(
        InternalRule, verbose_name="nội quy, quy chế đã ban hành", blank=True, related_name="registrations"
    )
    note = models.TextField("ghi chú", blank=True)
    on_paper = models.BooleanField(
        "nhận bản đăng ký giấy", default=False, help_text="Bản đăng ký có chữ ký được nộp trực tiếp tại xã."
    )
    # Paper originals handed in at the commune count as filed even when nobody scanned them.
    paper_party_resolution = models.BooleanField("đã nhận nghị quyết bản giấy", default=False)
    paper_security_plan = models.BooleanField("đã nhận kế hoạch bản giấy", default=False)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True, editable=False)
    is_late = models.BooleanField("nộp muộn", default=False, editable=False)
    return_reason = models.TextField("lý do trả lại", blank=True, editable=False)
    receipt_code = models.CharField("mã biên nhận", max_length=20, blank=True, default="", editable=False)
    # The unit's name and managing unit as they were when it first submitted: later years may merge or rename it.
    unit_name = models.CharField("tên đơn vị khi nộp", max_length=200, blank=True, editable=False)
    unit_parent = models.ForeignKey(
        Unit,
        verbose_name="đơn vị quản lý khi nộp",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "đăng ký phấn đấu"
        verbose_name_plural = "đăng ký phấn đấu"
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="registration_once_per_unit_year",
                violation_error_message="Đơn vị này đã có bản đăng ký cho năm này.",
            ),
            models.CheckConstraint(
                condition=models.Q(committed_count__lte=models.F("base_count")),
                name="registration_committed_not_above_base",
                violation_error_message="Số đã đăng ký không được lớn hơn tổng số.",
            ),
            models.UniqueConstraint(
                fields=["receipt_code"], condition=~models.Q(receipt_code=""), name="registration_receipt_code_unique"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="registration_year_status")]

    def __str__(self):
        return f"Đăng ký {self.year.number} – {self.unit}"

    @property
    def commitment_ratio(self):
        return self.committed_count / self.base_count if self.base_count else None

    @property
    def is_fully_committed(self):
        return self.base_count > 0 and self.committed_count >= self.base_count

    def rule_status(self):
        """[(rule, issued?)] for every rule the unit's kind must have."""
        held = {r.pk for r in self.internal_rules.all()}
        return [(rule, rule.pk in held) for rule in InternalRule.objects.for_kind(self.unit.kind_id)]

    @property
    def is_open_for_edit(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class DocumentType(models.TextChoices):
    PARTY_RESOLUTION = "party_resolution", "Nghị quyết của chi bộ / đảng ủy"
    SECURITY_PLAN = "security_plan", "Kế hoạch bảo đảm an ninh, trật tự"
    REGISTRATION_FORM = "registration_form", "Bản đăng ký phấn đấu"
    OTHER = "other", "Tài liệu khác"


class RegistrationDocument(PrivateFile):
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField("loại tài liệu", max_length=30, choices=DocumentType.choices)

    class Meta(PrivateFile.Meta):
        verbose_name = "tài liệu đăng ký"
        verbose_name_plural = "tài liệu đăng ký"
        # The board asks "is this document type on file" per row: one index probe each, never a hash of the
        # national table.
        indexes = [
            models.Index(
                fields=["registration", "doc_type"],
                condition=models.Q(deleted_at__isnull=True),
                name="regdoc_alive_by_type",
            )
        ]

    @property
    def unit(self):
        return self.registration.unit


class MovementModel(models.Model):
    """Mô hình tự phòng, tự quản… a unit runs (TT124 asks for at least one)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="movement_models")
    name = models.CharField("tên mô hình", max_length=255)
    since = models.DateField("hoạt động từ", null=True, blank=True)

    class Meta:
        verbose_name = "mô hình tự phòng, tự quản"
        verbose_name_plural = "mô hình tự phòng, tự quản"
        ordering = ["pk"]

    def __str__(self):
        return self.name
