"""One way to take a file from a person and give it back.

Types are recognised from the file's first bytes (never its name), sizes are capped, stored names are
random, rows are soft-deleted, and files leave only through `serve`, after the caller's access check.
"""

import hashlib
import mimetypes
import os
import unicodedata
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

# Detected extension → (MIME type, shown to people as, may be shown in the browser)
ALLOWED_TYPES = {
    "pdf": ("application/pdf", "PDF", True),
    "jpg": ("image/jpeg", "ảnh JPEG", True),
    "png": ("image/png", "ảnh PNG", True),
    "webp": ("image/webp", "ảnh WEBP", True),
    "heic": ("image/heic", "ảnh HEIC (iPhone)", False),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", False),
    "doc": ("application/msword", "Word", False),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", False),
    "xls": ("application/vnd.ms-excel", "Excel", False),
}
ALLOWED_LABEL = "PDF, ảnh (JPG, PNG, HEIC), Word hoặc Excel"


def detect_type(fileobj) -> str | None:
    """The allowed extension matching the file's content, or None."""
    pos = fileobj.tell() if hasattr(fileobj, "tell") else 0
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(pos)
    kind = filetype.guess(head)
    if kind is None:
        return None
    ext = kind.extension
    if ext == "zip":
        # Office Open XML files are zips; filetype needs more than the head to tell them apart.
        fileobj.seek(0)
        kind = filetype.guess(fileobj.read())
        fileobj.seek(pos)
        ext = kind.extension if kind else None
    return ext if ext in ALLOWED_TYPES else None


def validate_upload(fileobj):
    """Raise a Vietnamese ValidationError unless the file is of an allowed type and size."""
    if fileobj.size == 0:
        raise ValidationError("Tệp «%(name)s» rỗng.", params={"name": fileobj.name}, code="empty")
    if fileobj.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            "Tệp «%(name)s» dung lượng %(size)s, vượt giới hạn %(limit)s.",
            params={
                "name": fileobj.name,
                "size": filesizeformat(fileobj.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            },
            code="too_large",
        )
    if detect_type(fileobj) is None:
        raise ValidationError(
            "Tệp «%(name)s» không phải định dạng được chấp nhận (%(allowed)s). Nội dung tệp được kiểm tra, "
            "không dựa vào đuôi tên tệp.",
            params={"name": fileobj.name, "allowed": ALLOWED_LABEL},
            code="bad_type",
        )


def random_name(instance, filename):
    ext = detect_type(instance.file) or "bin"
    folder = instance._meta.app_label
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class PrivateFileQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)


class PrivateFile(models.Model):
    """Base for every uploaded document. Subclasses add the object it belongs to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField("tệp", upload_to=random_name, max_length=200)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="người tải lên"
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    objects = PrivateFileQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def fill_from_upload(self, upload, user):
        """Set the descriptive fields from a validated upload (call before save)."""
        ext = detect_type(upload)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        self.file = upload
        self.original_name = unicodedata.normalize("NFC", os.path.basename(upload.name))[:255]
        self.content_type = ALLOWED_TYPES[ext][0]
        self.size = upload.size
        self.sha256 = digest.hexdigest()
        self.uploaded_by = user if getattr(user, "is_authenticated", False) else None
        return self

    def soft_delete(self, user):
        self.deleted_at = timezone.now()
        self.deleted_by = user
        self.save(update_fields=["deleted_at", "deleted_by"])

    @property
    def extension(self):
        return os.path.splitext(self.file.name)[1].lstrip(".")

    @property
    def is_image(self):
        return self.content_type.startswith("image/") and self.extension != "heic"

    @property
    def can_show_inline(self):
        return ALLOWED_TYPES.get(self.extension, ("", "", False))[2]


def serve(private_file, inline=False):
    """Stream a stored file; call only after the access layer has let the person see its owner."""
    as_inline = inline and private_file.can_show_inline
    response = FileResponse(
        private_file.file.open("rb"),
        as_attachment=not as_inline,
        filename=private_file.original_name,
        content_type=private_file.content_type or mimetypes.guess_type(private_file.file.name)[0],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, no-store"
    # The review desk shows documents in a frame of our own pages; everything else stays DENY.
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
