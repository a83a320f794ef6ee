"""Giấy công nhận: one numbered certificate per unit a decision recognises, its public verification code,
its revocation, and the print jobs that render many of them (or a long list) in a background worker."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dossiers.models import Decision, Dossier
from units.models import Unit

# 16 URL-safe characters carry 96 random bits: unguessable, and short enough to type from paper.
CODE_BYTES = 12


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


class CertificateSettings(models.Model):
    """How one issuing body numbers its certificates (Nghị định 30: a local symbol such as GCN-UBND)."""

    unit = models.OneToOneField(Unit, verbose_name="cơ quan ban hành", on_delete=models.CASCADE, related_name="+")
    symbol = models.CharField("ký hiệu giấy công nhận", max_length=30, default="GCN-UBND")

    class Meta:
        verbose_name = "thiết lập giấy công nhận"
        verbose_name_plural = "thiết lập giấy công nhận"

    def __str__(self):
        return f"{self.unit}: {self.symbol}"

    @classmethod
    def for_unit(cls, unit):
        """The saved settings, or the defaults (not saved) for a body that never changed them."""
        return cls.objects.filter(unit=unit).first() or cls(unit=unit)


class CertificateCounter(models.Model):
    """The last certificate number an issuing body gave in a calendar year; locked while one takes the next."""

    issuer = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    calendar_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "calendar_year"], name="certificate_counter_once_per_year")
        ]

    def __str__(self):
        return f"{self.issuer} {self.calendar_year}: {self.last_number}"


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def for_printing(self):
        return self.select_related("decision", "issuer", "unit").order_by("decision_id", "number")


class Certificate(models.Model):
    """One unit's certificate. Names are copied at issue: a unit renamed later keeps the paper it received."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField("mã xác minh", max_length=32, unique=True, default=new_code, editable=False)
    decision = models.ForeignKey(
        Decision, verbose_name="quyết định", on_delete=models.PROTECT, related_name="certificates"
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="certificates")
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="certificates")
    issuer = models.ForeignKey(Unit, verbose_name="cơ quan cấp", on_delete=models.PROTECT, related_name="+")
    calendar_year = models.PositiveSmallIntegerField("năm đánh số")
    number = models.PositiveIntegerField("số")
    symbol = models.CharField("ký hiệu", max_length=30)
    unit_name = models.CharField("tên đơn vị", max_length=255)
    managing_unit_name = models.CharField("đơn vị quản lý", max_length=255, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    replaces = models.OneToOneField(
        "self", verbose_name="cấp lại thay cho", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField("lý do thu hồi", blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "giấy công nhận"
        verbose_name_plural = "giấy công nhận"
        ordering = ["-calendar_year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "calendar_year", "number"], name="certificate_number_once_per_issuer_year"
            ),
            # A dossier has at most one certificate in force; a revoked one stays for the record.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(revoked_at__isnull=True), name="one_valid_certificate_per_dossier"
            ),
        ]

    def __str__(self):
        return f"Giấy công nhận số {self.number_label} – {self.unit_name}"

    @property
    def number_label(self):
        return f"{self.number:02d}/{self.symbol}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def verify_url(self):
        """The full address printed under the QR code (SITE_URL + the public page)."""
        return settings.SITE_URL + reverse("certificates:verify", args=[self.code])


class PrintJob(models.Model):
    """A document rendered by the worker: a batch of certificates or a long list. The finished file is
    private (default storage) and leaves only through a view that checks the person who asked for it."""

    class Kind(models.TextChoices):
        CERTIFICATES = "certificates", "Giấy công nhận"
        REGISTRATION_LIST = "registration_list", "Danh sách đăng ký"
        DOSSIER_BUNDLE = "dossier_bundle", "Hồ sơ lưu trữ năm của xã"

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang in"
        DONE = "done", "Xong"
        FAILED = "failed", "Lỗi"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("loại", max_length=30, choices=Kind.choices)
    title = models.CharField("tiêu đề", max_length=255)
    params = models.JSONField(default=dict)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField("tình trạng", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="print-jobs/%Y/%m/", blank=True)
    filename = models.CharField(max_length=120)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lệnh in"
        verbose_name_plural = "lệnh in"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0
