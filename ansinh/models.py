"""Cross-cutting records: the audit trail every state change writes, in-portal notifications, and the
background jobs (ansinh/jobs.py) people start and come back to."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEvent(models.Model):
    """Who did what to which object, when, from which state to which, and why. Never updated."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", null=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    action = models.CharField("thao tác", max_length=40)
    label = models.CharField("mô tả", max_length=200)
    from_state = models.CharField("từ trạng thái", max_length=30, blank=True)
    to_state = models.CharField("sang trạng thái", max_length=30, blank=True)
    reason = models.TextField("lý do / ghi chú", blank=True)
    changes = models.JSONField("thay đổi (cũ, mới)", default=dict, blank=True)
    address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)

    class Meta:
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="audit_subject_at")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.label}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    title = models.CharField("tiêu đề", max_length=200)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


class Job(models.Model):
    """Long work done by the task worker for one person: a batch of certificates, a big export, an import.
    Its file is private (default storage) and leaves only through a view that checks who asked for it.
    `attempt` grows each time a job whose worker died is queued again; only the run holding the current
    attempt may write progress or the result, so a job never finishes twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Xong"
        FAILED = "failed", "Lỗi"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("loại", max_length=40)
    title = models.CharField("tiêu đề", max_length=255)
    params = models.JSONField(default=dict)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField("tình trạng", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True, max_length=200)
    filename = models.CharField(max_length=120, blank=True)
    message = models.TextField("kết quả", blank=True)
    next_url = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    worker_id = models.CharField(max_length=64, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("lúc yêu cầu", auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField("lúc xong", null=True, blank=True)

    class Meta:
        verbose_name = "tác vụ nền"
        verbose_name_plural = "tác vụ nền"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="job_requested_by"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self):
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
