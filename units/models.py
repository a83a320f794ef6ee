"""The unit tree (tỉnh → [huyện] → xã → khu dân cư / cơ quan / doanh nghiệp / cơ sở giáo dục),
unit kinds as data, and the roles that bind a person to a place in the tree."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from ansinh.text import clean, fold

# Fixed-width base-36 segments keep "everything under X" a single prefix query at any depth.
PATH_SEGMENT_WIDTH = 6
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def path_segment(pk: int) -> str:
    digits = []
    while pk:
        pk, rest = divmod(pk, 36)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits)).rjust(PATH_SEGMENT_WIDTH, "0")


class Category(models.TextChoices):
    """What the circular says about a kind; provinces add kinds, not categories."""

    PROVINCE = "province", "Tỉnh / thành phố"
    DISTRICT = "district", "Huyện / quận (trước 07/2025)"
    COMMUNE = "commune", "Xã / phường / thị trấn / đặc khu"
    RESIDENTIAL_AREA = "residential_area", "Khu dân cư"
    AGENCY = "agency", "Cơ quan"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    SCHOOL = "school", "Cơ sở giáo dục"
    OTHER = "other", "Loại khác (do tỉnh quy định)"


ADMINISTRATIVE_CATEGORIES = (Category.PROVINCE, Category.DISTRICT, Category.COMMUNE)
# Categories of the units a commune manages and must bring to 100% registered / 70% recognised (TT124 Điều 5).
MANAGED_CATEGORIES = (Category.RESIDENTIAL_AREA, Category.AGENCY, Category.ENTERPRISE, Category.SCHOOL)


class UnitKind(models.Model):
    code = models.SlugField("mã loại", max_length=40, unique=True)
    name = models.CharField("tên loại", max_length=80, unique=True)
    category = models.CharField("nhóm", max_length=20, choices=Category.choices)
    takes_part = models.BooleanField(
        "tham gia phong trào",
        default=True,
        help_text="Đơn vị loại này đăng ký và được công nhận đạt chuẩn (tỉnh, huyện thì không).",
    )
    counts_households = models.BooleanField(
        "tính theo hộ gia đình",
        default=False,
        help_text="Khu dân cư tính hộ gia đình; loại khác tính cán bộ, nhân viên.",
    )
    requires_security_plan = models.BooleanField("phải có kế hoạch bảo đảm ANTT", default=True)
    requires_movement_model = models.BooleanField("phải có mô hình tự phòng, tự quản", default=True)
    requires_internal_rules = models.BooleanField("phải có nội quy, quy chế nội bộ", default=False)
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=100)

    class Meta:
        verbose_name = "loại đơn vị"
        verbose_name_plural = "loại đơn vị"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def is_administrative(self):
        return self.category in ADMINISTRATIVE_CATEGORIES

    @property
    def size_label(self):
        return "Số hộ gia đình" if self.counts_households else "Số cán bộ, nhân viên"

    def size_fields(self, size) -> dict:
        """Where a unit of this kind keeps its size: households for a residential area, staff otherwise."""
        return {"households": size, "staff": None} if self.counts_households else {"households": None, "staff": size}


class OutOfScope(models.TextChoices):
    """Units Thông tư 124 Điều 2 leaves out of the movement."""

    SMALL_ENTERPRISE = "small_enterprise", "Doanh nghiệp nhỏ, siêu nhỏ"
    PRIMARY_SCHOOL = "primary_school", "Trường tiểu học"
    KINDERGARTEN = "kindergarten", "Trường mầm non, mẫu giáo, nhà trẻ"
    ARMED_FORCES = "armed_forces", "Đơn vị thuộc lực lượng vũ trang"


class UnitQuerySet(models.QuerySet):
    def under(self, unit, include_self=True):
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def in_scope(self):
        return self.filter(out_of_scope="", kind__takes_part=True)

    def participating(self):
        """Units that must register: active, of a kind that takes part, not excluded by the circular."""
        return self.active().in_scope()


class Unit(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("tên đơn vị", max_length=200)
    kind = models.ForeignKey(UnitKind, verbose_name="loại đơn vị", on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị quản lý",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=120, db_index=True, editable=False, default="")
    search_name = models.CharField(max_length=200, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    code = models.CharField("mã đơn vị hành chính / mã số", max_length=20, blank=True)
    has_party_org = models.BooleanField(
        "có tổ chức Đảng", default=False, help_text="Chi bộ / đảng ủy: quyết định việc phải nộp nghị quyết."
    )
    households = models.PositiveIntegerField("số hộ gia đình", null=True, blank=True)
    staff = models.PositiveIntegerField("số cán bộ, nhân viên", null=True, blank=True)
    out_of_scope = models.CharField(
        "không thuộc diện", max_length=20, choices=OutOfScope.choices, blank=True, default=""
    )
    out_of_scope_note = models.CharField("ghi chú về diện", max_length=255, blank=True)
    head_name = models.CharField("người đứng đầu", max_length=120, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    archived_at = models.DateTimeField("ngừng theo dõi lúc", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent"),
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="unit_unique_official_code"),
            models.CheckConstraint(condition=~Q(name=""), name="unit_name_not_empty"),
        ]
        indexes = [models.Index(fields=["parent", "kind"], name="unit_parent_kind")]

    def __str__(self):
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs):
        self.name = clean(self.name)
        # The form refuses a name whose folded copy is too long; this keeps a direct save from failing.
        self.search_name = fold(self.name)[: Unit._meta.get_field("search_name").max_length]
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = (self.parent.path if self.parent_id else "") + path_segment(self.pk)
        if new_path != old_path:
            depth = len(new_path) // PATH_SEGMENT_WIDTH - 1
            if old_path:
                # Moving a subtree rewrites every descendant's prefix in one statement.
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1)),
                    depth=models.F("depth") + (depth - self.depth),
                )
            Unit.objects.filter(pk=self.pk).update(path=new_path, depth=depth)
            self.path, self.depth = new_path, depth

    def is_under(self, other) -> bool:
        return self.path.startswith(other.path)

    @property
    def is_in_scope(self):
        return not self.out_of_scope and self.kind.takes_part and self.archived_at is None

    @property
    def scope_reason(self):
        """Why the unit is not in the movement, in words a clerk can repeat to the unit."""
        if self.out_of_scope:
            text = f"Không thuộc diện đăng ký theo Thông tư 124/2021/TT-BCA: {self.get_out_of_scope_display()}."
            return f"{text} {self.out_of_scope_note}".strip()
        if self.archived_at is not None:
            return f"Đơn vị đã ngừng theo dõi từ {timezone.localtime(self.archived_at):%d/%m/%Y}."
        if not self.kind.takes_part:
            return f"Loại đơn vị «{self.kind.name}» không đăng ký phong trào."
        return ""

    @property
    def size(self):
        return self.households if self.kind.counts_households else self.staff

    @size.setter
    def size(self, value):
        for name, number in self.kind.size_fields(value).items():
            setattr(self, name, number)

    def ancestors(self):
        """Ancestors from the root down, in one query."""
        paths = [self.path[:i] for i in range(PATH_SEGMENT_WIDTH, len(self.path), PATH_SEGMENT_WIDTH)]
        return Unit.objects.filter(path__in=paths).select_related("kind").order_by("depth")


class AuthorityLevel(models.TextChoices):
    """Where a unit's dossier goes, counted from the unit that manages it (never a hard-coded "huyện")."""

    MANAGING = "managing", "Đơn vị quản lý trực tiếp"
    ABOVE_MANAGING = "above_managing", "Cấp trên của đơn vị quản lý (được ủy quyền)"
    PROVINCE = "province", "Tỉnh / thành phố"


class Authority(models.Model):
    """Who reviews (thẩm định) and who recognises (quyết định công nhận) units of one category, by the kind
    of unit that manages them.

    Three tiers, the most specific row wins: a delegation (ủy quyền) of one managing unit, then the
    province's own rule, then the national default. Within a tier a row naming the managing level beats
    a row for any level. No row at all means the managing unit does both."""

    province = models.ForeignKey(
        Unit,
        verbose_name="tỉnh áp dụng",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Để trống: quy định chung toàn quốc.",
    )
    managing_unit = models.ForeignKey(
        Unit,
        verbose_name="chỉ cho đơn vị quản lý",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Ủy quyền riêng của một đơn vị quản lý (ví dụ một huyện, một xã). Để trống: mọi đơn vị.",
    )
    managing_category = models.CharField(
        "cấp quản lý",
        max_length=20,
        choices=[(c.value, c.label) for c in ADMINISTRATIVE_CATEGORIES],
        blank=True,
        help_text="Nhóm của đơn vị quản lý. Để trống: mọi cấp.",
    )
    category = models.CharField("nhóm đơn vị được công nhận", max_length=20, choices=Category.choices)
    reviewer = models.CharField("cấp thẩm định", max_length=20, choices=AuthorityLevel.choices)
    recogniser = models.CharField("cấp quyết định công nhận", max_length=20, choices=AuthorityLevel.choices)
    source = models.CharField(
        "căn cứ / văn bản ủy quyền", max_length=255, blank=True, help_text="Ví dụ: KH UBND xã Kon Gang 2022, mục IV.2."
    )

    class Meta:
        verbose_name = "thẩm quyền thẩm định, công nhận"
        verbose_name_plural = "thẩm quyền thẩm định, công nhận"
        ordering = ["province__name", "managing_unit__name", "category", "managing_category"]

    def __str__(self):
        where = self.managing_unit or self.province or "Toàn quốc"
        level = self.get_managing_category_display() or "mọi cấp"
        return f"{where}: {self.get_category_display()} ({level})"

    def clean(self):
        if self.province_id and self.province.kind.category != Category.PROVINCE:
            raise ValidationError({"province": "Chọn một tỉnh / thành phố."})
        if self.managing_unit_id:
            if not self.managing_unit.kind.is_administrative:
                raise ValidationError({"managing_unit": "Đơn vị quản lý phải là tỉnh, huyện hoặc xã."})
            if self.province_id and not self.managing_unit.is_under(self.province):
                raise ValidationError({"managing_unit": "Đơn vị quản lý không thuộc tỉnh đã chọn."})

    @property
    def specificity(self):
        return (self.managing_unit_id is not None, self.province_id is not None, bool(self.managing_category))


class Role(models.TextChoices):
    POLICE_CLERK = "police_clerk", "Cán bộ Công an xã"
    UNIT_HEAD = "unit_head", "Trưởng thôn / Người đứng đầu đơn vị"
    STEERING_OFFICE = "steering_office", "Thường trực Ban Chỉ đạo"
    CHAIRMAN = "chairman", "Lãnh đạo UBND"
    RECORDS_CLERK = "records_clerk", "Văn thư"
    ADMIN = "admin", "Quản trị"


class RoleAssignment(models.Model):
    """A person holds a role at a unit; the jurisdiction is that unit and everything under it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="role_assignments")
    title = models.CharField(
        "chức danh", max_length=80, blank=True, help_text="Ví dụ: Chủ tịch, Phó Chủ tịch, Trưởng Công an xã."
    )
    is_active = models.BooleanField("đang hiệu lực", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="role_unique_per_unit")]

    def __str__(self):
        return f"{self.get_role_display()} – {self.unit}"


class LineageKind(models.TextChoices):
    MERGED = "merged", "Sáp nhập vào"
    SPLIT = "split", "Chia tách thành"


class UnitLineage(models.Model):
    """From `effective_on`, `predecessor` lives on in `successor`: it merged into it, or `successor` was split
    from it. Past years keep the predecessor's own records; histories walk these links (units.lineage)."""

    predecessor = models.ForeignKey(
        Unit, verbose_name="đơn vị trước", on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Unit, verbose_name="đơn vị sau", on_delete=models.PROTECT, related_name="predecessor_links"
    )
    kind = models.CharField("hình thức", max_length=10, choices=LineageKind.choices)
    effective_on = models.DateField("có hiệu lực từ ngày")
    note = models.CharField("căn cứ, ghi chú", max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sáp nhập, chia tách đơn vị"
        verbose_name_plural = "sáp nhập, chia tách đơn vị"
        ordering = ["effective_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="lineage_once_per_pair"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="lineage_not_to_itself"),
        ]

    def __str__(self):
        return f"{self.predecessor} {self.get_kind_display().lower()} {self.successor} ({self.effective_on:%d/%m/%Y})"
