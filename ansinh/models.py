"""Cross-cutting records: the audit trail every state change writes, and in-portal notifications."""

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
