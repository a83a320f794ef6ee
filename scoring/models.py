"""Score templates (groups and items as data, versioned once in use) and the two score sheets of a dossier."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from scoring.classification import classify
from units.models import Category, Unit


class ScoreTemplateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_unit_year(self, unit, year):
        """Candidates for scoring `unit` in `year`, best first: the province's own before the national default,
        then the newest first year and version."""
        return (
            self.active()
            .filter(category=unit.kind.category, first_year__lte=year.number)
            .filter(Q(province__isnull=True) | Q(province=year.province_id))
            .order_by(models.F("province").asc(nulls_last=True), "-first_year", "-version")
        )


class ScoreTemplate(models.Model):
    """Mẫu chấm điểm of one unit category from a year on. Its items' maxima add up to exactly 100.

    Once a score sheet uses it, it is never changed in place: a revision is a new version (see
    scoring.services.revise_template) and the old one stays with the sheets that used it."""

    name = models.CharField("tên mẫu", max_length=200)
    category = models.CharField("nhóm đơn vị", max_length=20, choices=Category.choices)
    province = models.ForeignKey(
        Unit,
        verbose_name="tỉnh áp dụng",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Để trống: mẫu dùng chung khi tỉnh chưa có mẫu riêng.",
    )
    first_year = models.PositiveSmallIntegerField("áp dụng từ năm", default=2022)
    version = models.PositiveSmallIntegerField("phiên bản", default=1, editable=False)
    previous = models.ForeignKey(
        "self",
        verbose_name="thay cho phiên bản",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    is_default = models.BooleanField(
        "mẫu mặc định cần tỉnh điều chỉnh",
        default=False,
        help_text="Mẫu dựng sẵn từ các tiêu chí của Thông tư 124; tỉnh cần rà soát, điều chỉnh cho phù hợp.",
    )
    is_active = models.BooleanField("đang áp dụng", default=True)
    note = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScoreTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = "mẫu chấm điểm"
        verbose_name_plural = "mẫu chấm điểm"
        ordering = ["category", "-first_year", "-version"]

    def __str__(self):
        return f"{self.name} (phiên bản {self.version})"

    @property
    def in_use(self):
        return self.pk is not None and self.sheets.exists()


class ScoreItem(models.Model):
    """One line of a template: a group heading it belongs to, its maximum, guidance and legal basis."""

    template = models.ForeignKey(ScoreTemplate, on_delete=models.CASCADE, related_name="items")
    group = models.CharField("nhóm nội dung", max_length=200)
    number = models.CharField("số thứ tự", max_length=10)
    text = models.TextField("nội dung chấm")
    max_points = models.DecimalField("điểm tối đa", max_digits=5, decimal_places=1)
    guidance = models.TextField("hướng dẫn chấm", blank=True)
    reference = models.CharField("căn cứ", max_length=120, blank=True, help_text="Ví dụ: Điều 4 khoản 3")
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=100)

    class Meta:
        verbose_name = "mục chấm điểm"
        verbose_name_plural = "mục chấm điểm"
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gt=0, max_points__lte=100),
                name="score_item_max_between_0_and_100",
                violation_error_message="Điểm tối đa của một mục phải lớn hơn 0 và không quá 100.",
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"


class SheetKind(models.TextChoices):
    SELF = "self", "Tự chấm"
    REVIEW = "review", "Thẩm định chấm"


class ScoreSheet(models.Model):
    """Bảng điểm of a dossier: the unit's self-assessment or the standing office's score (the one that counts).

    `total` is kept with the entries (written in the same transaction) so lists classify in one query."""

    Kind = SheetKind

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="score_sheets")
    kind = models.CharField("loại bảng điểm", max_length=10, choices=SheetKind.choices)
    template = models.ForeignKey(ScoreTemplate, verbose_name="mẫu", on_delete=models.PROTECT, related_name="sheets")
    total = models.DecimalField("tổng điểm", max_digits=5, decimal_places=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    entered_at = models.DateTimeField("chấm lúc", auto_now=True)

    class Meta:
        verbose_name = "bảng điểm"
        verbose_name_plural = "bảng điểm"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind"], name="score_sheet_once_per_dossier_kind"),
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="score_sheet_total_0_to_100"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.dossier}"

    @property
    def band(self):
        return classify(self.total)

    @property
    def unit(self):
        return self.dossier.unit


class ScoreEntry(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(ScoreItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("điểm", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "điểm từng mục"
        verbose_name_plural = "điểm từng mục"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="score_entry_once_per_item"),
            models.CheckConstraint(condition=Q(points__gte=0, points__lte=100), name="score_entry_points_0_to_100"),
        ]

    def __str__(self):
        return f"{self.item.number}: {self.points}"
