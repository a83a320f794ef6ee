"""Recognition dossiers, their documents and minutes, the criteria checklist, incidents and decisions."""

import uuid
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone

from ansinh import access
from ansinh.uploads import PrivateFile
from registrations.models import Deadline, DocumentType, MovementModel, Registration, RegistrationDocument, Year
from units.authority import Levels, levels_for
from units.models import MANAGED_CATEGORIES, PATH_SEGMENT_WIDTH, Category, Unit  # noqa: F401 (re-exported)


class DossierStatus(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã nộp"
    IN_REVIEW = "in_review", "Đang thẩm định"
    RETURNED = "returned", "Yêu cầu bổ sung"
    RECOMMENDED = "recommended", "Đề nghị công nhận"
    NOT_RECOMMENDED = "not_recommended", "Không đề nghị"
    RECOGNISED = "recognised", "Đã công nhận"
    REFUSED = "refused", "Không công nhận"


# Which deadline a dossier in each state is racing against; final states have none.
DUE_FIELD_BY_STATUS = {
    DossierStatus.DRAFT: "dossier_due",
    DossierStatus.RETURNED: "dossier_due",
    DossierStatus.SUBMITTED: "review_due",
    DossierStatus.IN_REVIEW: "review_due",
    DossierStatus.RECOMMENDED: "recognition_due",
    DossierStatus.NOT_RECOMMENDED: "recognition_due",
}


def _deadline(field):
    """The unit's date: its commune's override row if any, else the province year's row."""
    rows = (
        Deadline.objects.filter(year=OuterRef("year"), category=OuterRef("unit__kind__category"))
        # The commune's path is the start of the unit's path when the unit lies in that commune.
        .filter(Q(commune__isnull=True) | Q(commune__path=Substr(OuterRef("unit__path"), 1, Length("commune__path"))))
        .order_by(F("commune").desc(nulls_last=True))
    )
    return Subquery(rows.values(field)[:1])


def _count(queryset, group_field):
    """A correlated COUNT(*) subquery, 0 when nothing matches."""
    counted = queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0))


class DossierQuerySet(models.QuerySet):
    def with_deadlines(self):
        return self.annotate(**{f: _deadline(f) for f in ("dossier_due", "review_due", "recognition_due")})

    def with_facts(self):
        """Everything the checklist and the review desk need, computed in SQL for many dossiers at once (the
        incidents under each unit are read for all of them at once by dossiers.criteria.checklists)."""
        alive_docs = DossierDocument.objects.filter(dossier=OuterRef("pk"), deleted_at__isnull=True)
        reg_docs = RegistrationDocument.objects.filter(registration=OuterRef("registration"), deleted_at__isnull=True)
        return (
            self.with_deadlines()
            .annotate(
                period_start=_deadline("period_start"),
                period_end=_deadline("period_end"),
                registration_due=_deadline("registration_due"),
                **{
                    f"has_{doc_type}": Exists(alive_docs.filter(doc_type=doc_type))
                    for doc_type in DossierDocumentType.values
                },
                **{
                    f"has_reg_{doc_type}": Exists(reg_docs.filter(doc_type=doc_type))
                    for doc_type in DocumentType.values
                },
                movement_model_name=Subquery(
                    MovementModel.objects.filter(registration=OuterRef("registration")).values("name")[:1]
                ),
                movement_model_count=_count(
                    MovementModel.objects.filter(registration=OuterRef("registration")), "registration"
                ),
            )
            .select_related("unit__kind", "unit__parent", "year", "registration", "reviewing_unit", "recognising_unit")
        )

    def by_due_date(self):
        """Oldest (most overdue) deadline first, for states that race one; needs `with_deadlines`."""
        due = Case(*(When(status=status, then=F(field)) for status, field in DUE_FIELD_BY_STATUS.items()))
        return self.annotate(due_on=due).order_by(F("due_on").asc(nulls_last=True), "submitted_at", "unit__name")

    def awaiting_review_at(self, level):
        """Dossiers submitted to `level`, which its standing office has to review."""
        return self.filter(reviewing_unit=level, status__in=[DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW])

    def recommended_at(self, level):
        """Recommended dossiers whose recognition `level`'s chairman decides."""
        return self.filter(recognising_unit=level, status=DossierStatus.RECOMMENDED)

    def on_desk_of(self, levels):
        """Dossiers submitted for review to any of `levels`, and those recommended for their recognition."""
        return self.filter(
            Q(reviewing_unit__in=levels) | Q(recognising_unit__in=levels, status=DossierStatus.RECOMMENDED)
        )


class Dossier(models.Model):
    """Hồ sơ đề nghị công nhận of a unit for a year. The status moves only through dossiers.workflow."""

    Status = DossierStatus
    STATUS_COLOURS = {
        "draft": "secondary",
        "submitted": "primary",
        "in_review": "info",
        "returned": "warning",
        "recommended": "primary",
        "not_recommended": "dark",
        "recognised": "success",
        "refused": "danger",
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="dossiers")
    year = models.ForeignKey(Year, verbose_name="năm", on_delete=models.PROTECT, related_name="dossiers")
    registration = models.ForeignKey(
        Registration, verbose_name="bản đăng ký", on_delete=models.PROTECT, related_name="dossiers"
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT, editable=False
    )
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True, editable=False)
    # Stamped when first submitted, so moving the unit or changing the authority rows later rewrites no
    # past year.
    reviewing_unit = models.ForeignKey(
        Unit,
        verbose_name="cấp thẩm định",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recognising_unit = models.ForeignKey(
        Unit,
        verbose_name="cấp quyết định công nhận",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    return_reason = models.TextField("lý do yêu cầu bổ sung / không đề nghị", blank=True, editable=False)
    # The unit's tờ trình, quoted in the decision's "Xét Tờ trình số … ngày … của …" line.
    request_number = models.CharField("số tờ trình", max_length=40, blank=True, help_text="Ví dụ: 05/TTr-KDC")
    request_date = models.DateField("ngày tờ trình", null=True, blank=True)
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
    decision = models.ForeignKey(
        "Decision",
        verbose_name="quyết định công nhận",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "hồ sơ đề nghị công nhận"
        verbose_name_plural = "hồ sơ đề nghị công nhận"
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="dossier_once_per_unit_year",
                violation_error_message="Đơn vị này đã có hồ sơ đề nghị công nhận cho năm này.",
            ),
            models.UniqueConstraint(
                fields=["receipt_code"], condition=~Q(receipt_code=""), name="dossier_receipt_code_unique"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="dossier_year_status")]

    def __str__(self):
        return f"Hồ sơ {self.year.number} – {self.unit}"

    def clean(self):
        reg = self.registration if self.registration_id else None
        if reg is None or reg.status != Registration.Status.ACCEPTED:
            raise ValidationError("Chỉ đơn vị có bản đăng ký đã được tiếp nhận mới lập được hồ sơ đề nghị công nhận.")
        if reg.unit_id != self.unit_id or reg.year_id != self.year_id:
            raise ValidationError("Bản đăng ký không thuộc đơn vị và năm của hồ sơ.")

    @property
    def levels(self) -> Levels:
        """Who reviews and who recognises: as stored at submission, else what the authority rows say now."""
        if self.reviewing_unit_id:
            return Levels(self.reviewing_unit, self.recognising_unit)
        if not hasattr(self, "_levels"):
            self._levels = levels_for(self.unit)
        return self._levels

    @property
    def level_ids(self) -> tuple[int | None, int | None]:
        if self.reviewing_unit_id:
            return self.reviewing_unit_id, self.recognising_unit_id
        levels = self.levels
        return tuple(u.pk if u else None for u in (levels.reviewing, levels.recognising))

    @property
    def due_date(self):
        field = DUE_FIELD_BY_STATUS.get(self.status)
        if field is None:
            return None
        if hasattr(self, field):
            return getattr(self, field)
        return getattr(self.year.deadline_for(self.unit), field, None)

    @property
    def is_overdue(self):
        due = self.due_date
        return due is not None and timezone.localdate() > due

    @property
    def is_editable(self):
        return self.status in (DossierStatus.DRAFT, DossierStatus.RETURNED)

    @property
    def required_documents(self) -> list[str]:
        if not hasattr(self, "_required_documents"):
            self._required_documents = required_dossier_documents(self.unit)
        return self._required_documents

    @property
    def missing_documents(self):
        """Labels of the required document types not uploaded yet (needs `with_facts` or one query)."""
        required = self.required_documents
        if hasattr(self, "has_request"):
            present = {t for t in required if getattr(self, f"has_{t}")}
        else:
            present = set(self.documents.alive().values_list("doc_type", flat=True))
        return [DossierDocumentType(t).label for t in required if t not in present]


class DossierDocumentType(models.TextChoices):
    REQUEST = "request", "Tờ trình đề nghị công nhận"
    REPORT = "report", "Báo cáo kết quả thực hiện"
    MINUTES = "minutes", "Biên bản cuộc họp"
    SCORE_SHEET = "score_sheet", "Bảng tự chấm điểm"
    OTHER = "other", "Tài liệu khác"


class DossierRequirement(models.Model):
    """A document the dossier of a unit kind must hold (KH Kon Gang mục IV.4.2; TT124). A province row
    overrides the national row of the same kind and type (e.g. turns on «bảng tự chấm điểm» where the
    province scores)."""

    province = models.ForeignKey(
        Unit,
        verbose_name="tỉnh áp dụng",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Để trống: áp dụng toàn quốc.",
    )
    kind = models.ForeignKey("units.UnitKind", verbose_name="loại đơn vị", on_delete=models.CASCADE, related_name="+")
    doc_type = models.CharField("tài liệu", max_length=20, choices=DossierDocumentType.choices)
    is_required = models.BooleanField("bắt buộc", default=True)
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=100)
    source = models.CharField("căn cứ", max_length=255, blank=True)

    class Meta:
        verbose_name = "tài liệu bắt buộc của hồ sơ"
        verbose_name_plural = "tài liệu bắt buộc của hồ sơ"
        ordering = ["kind__sort_order", "sort_order", "pk"]

    def __str__(self):
        return f"{self.kind}: {self.get_doc_type_display()}"


def required_documents_for(units) -> dict[int, list[str]]:
    """{unit pk: document types its dossier must hold, in order} for many units in one query."""
    units = list(units)
    rows = list(
        DossierRequirement.objects.filter(
            Q(province__isnull=True) | Q(province__path__in={u.path[:PATH_SEGMENT_WIDTH] for u in units}),
            kind_id__in={u.kind_id for u in units},
        ).select_related("province")
    )
    result = {}
    for unit in units:
        chosen = {}
        # National rows first, so the province's row of the same type replaces them.
        for r in sorted(rows, key=lambda r: r.province_id is not None):
            if r.kind_id == unit.kind_id and (
                r.province_id is None or r.province.path == unit.path[:PATH_SEGMENT_WIDTH]
            ):
                chosen[r.doc_type] = r
        result[unit.pk] = [
            t for t, r in sorted(chosen.items(), key=lambda i: (i[1].sort_order, i[1].pk)) if r.is_required
        ]
    return result


def required_dossier_documents(unit) -> list[str]:
    return required_documents_for([unit])[unit.pk]


def prefill_required_documents(dossiers):
    """Read the required documents of many dossiers at once (lists and the review desk)."""
    by_unit = required_documents_for({d.unit for d in dossiers})
    for d in dossiers:
        d._required_documents = by_unit[d.unit_id]


class RecognitionShare(models.Model):
    """The share of managed units a commune needs recognised (TT124 Điều 5 khoản 4: 70%), per province."""

    province = models.OneToOneField(
        Unit,
        verbose_name="tỉnh",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Để trống: mức chung toàn quốc.",
    )
    percent = models.PositiveSmallIntegerField(
        "tỷ lệ được công nhận tối thiểu (%)", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    source = models.CharField("căn cứ", max_length=255, blank=True)

    class Meta:
        verbose_name = "tỷ lệ công nhận tối thiểu"
        verbose_name_plural = "tỷ lệ công nhận tối thiểu"
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=1, percent__lte=100),
                name="recognition_share_percent_range",
                violation_error_message="Tỷ lệ phải từ 1 đến 100%.",
            )
        ]

    def __str__(self):
        return f"{self.province or 'Toàn quốc'}: {self.percent}%"

    @classmethod
    def percents(cls, province_paths) -> dict[str, int]:
        """{province path: percent} for the given provinces, each falling back to the national row."""
        rows = list(
            cls.objects.filter(Q(province__isnull=True) | Q(province__path__in=province_paths)).select_related(
                "province"
            )
        )
        national = next((r.percent for r in rows if r.province_id is None), RECOGNITION_PERCENT_TT124)
        local = {r.province.path: r.percent for r in rows if r.province_id}
        return {path: local.get(path, national) for path in province_paths}


# TT124 Điều 5 khoản 4, used only if the national row was deleted.
RECOGNITION_PERCENT_TT124 = 70


class LegalBasis(models.Model):
    """One «Căn cứ …» line of a recognition decision. An issuing body's own lines replace the default lines
    of its level (the category of the issuing unit)."""

    issuer = models.ForeignKey(
        Unit,
        verbose_name="cơ quan ban hành",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Để trống: dòng mặc định cho mọi cơ quan cùng cấp.",
    )
    issuer_category = models.CharField(
        "cấp ban hành", max_length=20, choices=Category.choices, blank=True, help_text="Để trống: mọi cấp."
    )
    text = models.CharField("căn cứ", max_length=500)
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=100)
    source = models.CharField("nguồn", max_length=255, blank=True)

    class Meta:
        verbose_name = "căn cứ pháp lý của quyết định"
        verbose_name_plural = "căn cứ pháp lý của quyết định"
        ordering = ["issuer__name", "issuer_category", "sort_order", "pk"]

    def __str__(self):
        return self.text[:80]

    @classmethod
    def lines_for(cls, issuer) -> list[str]:
        own = list(cls.objects.filter(issuer=issuer).order_by("sort_order", "pk").values_list("text", flat=True))
        if own:
            return own
        defaults = cls.objects.filter(Q(issuer_category="") | Q(issuer_category=issuer.kind.category), issuer=None)
        return list(defaults.order_by("sort_order", "pk").values_list("text", flat=True))


class DossierDocument(PrivateFile):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField("loại tài liệu", max_length=20, choices=DossierDocumentType.choices)

    class Meta(PrivateFile.Meta):
        verbose_name = "tài liệu hồ sơ"
        verbose_name_plural = "tài liệu hồ sơ"

    @property
    def unit(self):
        return self.dossier.unit


class MeetingMinutes(models.Model):
    """Biên bản cuộc họp đánh giá: the structured facts of the review meeting the unit held."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="minutes")
    met_on = models.DateField("ngày họp")
    chaired_by = models.CharField("người chủ trì", max_length=120)
    conclusion = models.TextField("kết luận cuộc họp")
    # The vote: "… /… thành viên nhất trí" (members agreeing / members present).
    members_present = models.PositiveSmallIntegerField("số thành viên dự họp", null=True)
    members_agreeing = models.PositiveSmallIntegerField("số thành viên nhất trí", null=True)
    document = models.ForeignKey(
        DossierDocument,
        verbose_name="bản scan biên bản",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "biên bản cuộc họp"
        verbose_name_plural = "biên bản cuộc họp"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(members_agreeing__lte=models.F("members_present")),
                name="minutes_agreeing_not_above_present",
                violation_error_message="Số thành viên nhất trí không được lớn hơn số thành viên dự họp.",
            )
        ]

    def __str__(self):
        return f"Biên bản họp ngày {self.met_on:%d/%m/%Y}"

    @property
    def vote_line(self):
        """'7/9 thành viên nhất trí', or "" for minutes recorded before the vote was kept."""
        if self.members_present is None or self.members_agreeing is None:
            return ""
        return f"{self.members_agreeing}/{self.members_present} thành viên nhất trí"


class AttendeeCapacity(models.TextChoices):
    PARTY_SECRETARY = "party_secretary", "Bí thư chi bộ"
    FRONT = "front", "Ban công tác Mặt trận"
    MASS_ORGANISATION = "mass_organisation", "Đại diện đoàn thể"
    COMMUNE_POLICE = "commune_police", "Công an xã"
    VILLAGE_HEAD = "village_head", "Trưởng thôn / Người đứng đầu đơn vị"
    OTHER = "other", "Thành phần khác"


class Attendee(models.Model):
    minutes = models.ForeignKey(MeetingMinutes, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField("họ và tên", max_length=120)
    capacity = models.CharField("tham dự với tư cách", max_length=20, choices=AttendeeCapacity.choices)

    class Meta:
        verbose_name = "thành phần tham dự"
        verbose_name_plural = "thành phần tham dự"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} ({self.get_capacity_display()})"


class Comment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("ý kiến")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ý kiến"
        verbose_name_plural = "ý kiến"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]


class IncidentKind(models.TextChoices):
    SERIOUS_CRIME = "serious_crime", "Tội phạm nghiêm trọng"
    FIRE_EXPLOSION = "fire_explosion", "Cháy, nổ nghiêm trọng"
    TRAFFIC_ACCIDENT = "traffic_accident", "Tai nạn giao thông nghiêm trọng"
    LABOUR_ACCIDENT = "labour_accident", "Tai nạn lao động nghiêm trọng"
    MASS_COMPLAINT = "mass_complaint", "Khiếu kiện đông người, đình công trái pháp luật"
    SOCIAL_EVIL_HOTSPOT = "social_evil_hotspot", "Tụ điểm tệ nạn xã hội"
    SCHOOL_VIOLENCE = "school_violence", "Bạo lực học đường"
    OTHER = "other", "Vụ việc khác"


class IncidentQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def disqualifying_under(self, units, start, end):
        """Disqualifying incidents at or under any of `units` between `start` and `end`, oldest first, in one
        query: one index range per unit's path, never a pattern built per row of another table."""
        return (
            self.alive()
            .filter(reduce(or_, (access.under(u, "unit") for u in units)), disqualifying=True)
            .filter(occurred_on__gte=start, occurred_on__lte=end)
            .order_by("occurred_on", "pk")
        )


class Incident(models.Model):
    """Vụ việc recorded by the commune police; a disqualifying one inside the period fails the checklist."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="incidents")
    occurred_on = models.DateField("ngày xảy ra")
    kind = models.CharField("loại vụ việc", max_length=30, choices=IncidentKind.choices)
    description = models.TextField("tóm tắt vụ việc")
    disqualifying = models.BooleanField(
        "làm đơn vị không đạt tiêu chuẩn",
        default=True,
        help_text="Vụ việc thuộc các trường hợp Thông tư 124 quy định là không đạt tiêu chuẩn.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = "vụ việc"
        verbose_name_plural = "vụ việc"
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["unit", "occurred_on"], name="incident_unit_date")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.unit} ({self.occurred_on:%d/%m/%Y})"

    def soft_delete(self, user):
        self.deleted_at = timezone.now()
        self.deleted_by = user
        self.save(update_fields=["deleted_at", "deleted_by"])


class CheckCode(models.TextChoices):
    MANUAL = "", "Người thẩm định xác nhận"
    REGISTERED_IN_WINDOW = "registered_in_window", "Đăng ký đúng hạn, đủ tài liệu"
    FULL_COMMITMENT = "full_commitment", "100% hộ gia đình / cán bộ đăng ký, cam kết"
    MOVEMENT_MODEL = "movement_model", "Có ít nhất 01 mô hình tự phòng, tự quản"
    MANAGED_UNITS = (
        "managed_units_registered_and_recognised",
        "100% đơn vị trực thuộc đăng ký, từ 70% được công nhận",
    )
    NO_DISQUALIFYING_INCIDENT = "no_disqualifying_incident", "Không có vụ việc làm mất tiêu chuẩn"
    INTERNAL_RULES = "internal_rules", "Có đủ nội quy, quy chế nội bộ"


class CriterionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_provinces(self, province_paths):
        """National criteria and those the given provinces added."""
        return self.active().filter(Q(province__isnull=True) | Q(province__path__in=province_paths))


class Criterion(models.Model):
    """One item of the recognition checklist (TT124 Điều 4–7) or one a province adds."""

    province = models.ForeignKey(
        Unit,
        verbose_name="tỉnh bổ sung",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Để trống: tiêu chí của Thông tư 124 áp dụng toàn quốc.",
    )
    category = models.CharField("nhóm đơn vị", max_length=20, choices=Category.choices)
    reference = models.CharField("căn cứ", max_length=120, help_text="Ví dụ: Điều 4 khoản 3 điểm c")
    text = models.TextField("nội dung tiêu chí")
    check_code = models.CharField("kiểm tra tự động", max_length=50, choices=CheckCode.choices, blank=True, default="")
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=100)
    is_active = models.BooleanField("đang áp dụng", default=True)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["category", "sort_order", "pk"]

    def __str__(self):
        return f"{self.reference}: {self.text[:60]}"

    @property
    def is_automatic(self):
        return bool(self.check_code)


class Outcome(models.TextChoices):
    PASS = "pass", "Đạt"
    FAIL = "fail", "Không đạt"
    UNKNOWN = "unknown", "Chưa xác định"


class CriterionCheck(models.Model):
    """The reviewer's confirmation of one item, and the evidence as it stood when the dossier was recommended."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="checks")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("kết quả", max_length=10, choices=Outcome.choices, default=Outcome.UNKNOWN)
    evidence = models.CharField("căn cứ tự động", max_length=300, blank=True)
    evidence_url = models.CharField(max_length=300, blank=True)
    note = models.TextField("ghi chú của người thẩm định", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "kết quả tiêu chí"
        verbose_name_plural = "kết quả tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "criterion"], name="criterion_check_once_per_dossier")
        ]

    def __str__(self):
        return f"{self.criterion} – {self.get_outcome_display()}"


class Capacity(models.TextChoices):
    """How the signer signs (Nghị định 30/2020 Phụ lục I)."""

    ON_BEHALF = "on_behalf", "TM. ỦY BAN NHÂN DÂN – CHỦ TỊCH"
    CHAIRMAN = "chairman", "CHỦ TỊCH"
    DEPUTY = "deputy", "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH"


CAPACITY_LINES = {
    Capacity.ON_BEHALF: ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    Capacity.CHAIRMAN: ["CHỦ TỊCH"],
    Capacity.DEPUTY: ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
}


class IssuerSettings(models.Model):
    """How one issuing body writes its decisions: place name, symbol, signature and recipients."""

    unit = models.OneToOneField(Unit, verbose_name="cơ quan ban hành", on_delete=models.CASCADE, related_name="+")
    place_name = models.CharField("địa danh", max_length=80, blank=True, help_text="Để trống: lấy từ tên đơn vị.")
    symbol = models.CharField("ký hiệu quyết định", max_length=30, default="QĐ-UBND")
    default_capacity = models.CharField(
        "thẩm quyền ký mặc định", max_length=20, choices=Capacity.choices, default=Capacity.ON_BEHALF
    )
    recipients = models.TextField(
        "nơi nhận",
        blank=True,
        help_text="Mỗi dòng một nơi nhận, không cần dấu gạch đầu dòng. Dòng «Lưu: VT» được thêm tự động.",
    )

    class Meta:
        verbose_name = "thiết lập cơ quan ban hành"
        verbose_name_plural = "thiết lập cơ quan ban hành"

    def __str__(self):
        return str(self.unit)

    @classmethod
    def for_unit(cls, unit):
        """The saved settings, or the defaults (not saved) for a body that never changed them."""
        return cls.objects.filter(unit=unit).first() or cls(unit=unit)

    @property
    def place(self):
        from ansinh.nd30 import place_name

        return self.place_name or place_name(self.unit.name)

    @property
    def recipient_lines(self):
        lines = [line.strip(" -;.") for line in self.recipients.splitlines() if line.strip(" -;.")]
        return [*lines, "Lưu: VT"]


class DecisionCounter(models.Model):
    """The last number an issuing body gave in a calendar year; locked while a decision takes the next."""

    issuer = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    calendar_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "calendar_year"], name="decision_counter_once_per_year")
        ]

    def __str__(self):
        return f"{self.issuer} {self.calendar_year}: {self.last_number}"


class Decision(models.Model):
    """Quyết định công nhận: one numbered decision of an issuing body recognising many units."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Unit, verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(Year, verbose_name="năm đánh giá", on_delete=models.PROTECT, related_name="+")
    calendar_year = models.PositiveSmallIntegerField("năm đánh số", editable=False)
    number = models.PositiveIntegerField("số", editable=False)
    symbol = models.CharField("ký hiệu", max_length=30)
    issued_on = models.DateField("ngày ban hành")
    signer_name = models.CharField("người ký", max_length=120)
    capacity = models.CharField("thẩm quyền ký", max_length=20, choices=Capacity.choices)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    # The tờ trình the decision answers ("Xét Tờ trình số … ngày … của …"); empty: taken from the dossiers.
    request_number = models.CharField("số tờ trình", max_length=40, blank=True)
    request_date = models.DateField("ngày tờ trình", null=True, blank=True)
    request_from = models.CharField("cơ quan trình", max_length=200, blank=True)
    printed_at = models.DateTimeField("đã in lúc", null=True, blank=True, editable=False)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "quyết định công nhận"
        verbose_name_plural = "quyết định công nhận"
        ordering = ["-calendar_year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "calendar_year", "number"], name="decision_number_once_per_issuer_year"
            )
        ]

    def __str__(self):
        return f"Quyết định số {self.number_label}"

    @property
    def number_label(self):
        return f"{self.number:02d}/{self.symbol}"

    @property
    def capacity_lines(self):
        return CAPACITY_LINES[Capacity(self.capacity)]


class DecisionPdf(PrivateFile):
    """The decision as printed, rendered and (when the issuing body has a certificate) signed once; every
    later download returns these bytes (dossiers.signing)."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="stored_pdf")
    signed = models.BooleanField("đã ký số", default=False)
    signer_name = models.CharField("chứng thư ký", max_length=255, blank=True)
    signed_at = models.DateTimeField("ký lúc", null=True, blank=True)

    class Meta(PrivateFile.Meta):
        verbose_name = "bản PDF quyết định"
        verbose_name_plural = "bản PDF quyết định"

    @property
    def unit(self):
        return self.decision.issuer
