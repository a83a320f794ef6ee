"""One way to take a file from a person and give it back.

Types are recognised from the file's first bytes (never its name), sizes are capped, stored names are
random, rows are soft-deleted, and files leave only through `serve`, after the caller's access check.
"""

import hashlib
import mimetypes
import os
import re
import unicodedata
import uuid
import zipfile
import zlib

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from ansinh.forms import describe, forbidden_characters

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
# One rule for every upload form: the name as shown (NFC, without folders) fits the shortest column that
# holds it (the stored path's 200 characters) and has no control characters.
FILE_NAME_MAX = 200
# A Word or Excel file is a zip: what it expands to is bounded, so a 400 KB "zip bomb" cannot fill memory
# or disk when it is opened (by our import, or by the person who downloads it).
OFFICE_MAX_MEMBERS = 2000
# PDF names that run code or open things by themselves; a PDF with any of them is only ever downloaded.
PDF_ACTIVE_NAMES = (
    b"/JavaScript",
    b"/JS",
    b"/OpenAction",
    b"/Launch",
    b"/AA",
    b"/EmbeddedFile",
    b"/RichMedia",
    b"/XFA",
)
PDF_SCAN_BUDGET = 64 * 1024 * 1024


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


def display_name(name) -> str:
    return unicodedata.normalize("NFC", os.path.basename(name or ""))


def file_name_problem(name) -> str:
    """Why a file's name is refused, in Vietnamese, or ""."""
    shown = display_name(name)
    bad = forbidden_characters(shown)
    if bad:
        return f"Tên tệp có ký tự điều khiển không được phép ({describe(bad)}). Vui lòng đổi tên tệp rồi tải lên lại."
    if len(shown) > FILE_NAME_MAX:
        return (
            f"Tên tệp dài {len(shown)} ký tự, tối đa {FILE_NAME_MAX} ký tự. Vui lòng đổi tên tệp cho ngắn hơn "
            "rồi tải lên lại."
        )
    return ""


def office_archive_problem(fileobj, max_expanded: int | None = None) -> str:
    """Why a Word/Excel (zip) file is refused: too many members or too large once expanded, or ""."""
    max_expanded = max_expanded or settings.UPLOAD_OFFICE_MAX_EXPANDED
    pos = fileobj.tell()
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "Tệp Word/Excel bị hỏng, không mở được."
    finally:
        fileobj.seek(pos)
    if len(members) > OFFICE_MAX_MEMBERS:
        return f"Tệp Word/Excel có {len(members)} thành phần, vượt giới hạn {OFFICE_MAX_MEMBERS}."
    expanded = sum(m.file_size for m in members)
    if expanded > max_expanded:
        return (
            f"Tệp Word/Excel khi giải nén lên tới {filesizeformat(expanded)}, vượt giới hạn "
            f"{filesizeformat(max_expanded)}. Vui lòng lưu lại tệp (hoặc xuất PDF) rồi tải lên."
        )
    return ""


def _pdf_name_unescape(data: bytes) -> bytes:
    # PDF names may spell letters as #xx ("/J#61vaScript").
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), data)


def pdf_is_plain(fileobj) -> bool:
    """True when a PDF has no script, automatic action, launch or embedded file: the raw bytes and every
    Flate-compressed stream (object streams hide dictionaries there) are searched, within a budget."""
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    chunks, budget = [data], PDF_SCAN_BUDGET
    for match in re.finditer(rb"(?<!end)stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            chunk = zlib.decompressobj().decompress(data[match.end() : end if end != -1 else len(data)], budget)
        except zlib.error:
            continue
        chunks.append(chunk)
        budget -= len(chunk)
        if budget <= 0:
            return False
    pattern = re.compile(rb"(" + rb"|".join(re.escape(n) for n in PDF_ACTIVE_NAMES) + rb")(?![A-Za-z0-9])")
    return not any(pattern.search(_pdf_name_unescape(chunk)) for chunk in chunks)


def validate_upload(fileobj):
    """Raise a Vietnamese ValidationError unless the file is of an allowed type and size, its name follows
    the one rule, and a Word/Excel file does not expand beyond its bounds."""
    problem = file_name_problem(fileobj.name)
    if problem:
        raise ValidationError(problem, code="bad_name")
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
    if detect_type(fileobj) in ("docx", "xlsx"):
        problem = office_archive_problem(fileobj)
        if problem:
            raise ValidationError(f"Tệp «{display_name(fileobj.name)}»: {problem}", code="bomb")


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
        self.original_name = display_name(upload.name)[:255]
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
    def offers_preview(self):
        """The type may open in the browser (images, PDFs): pages offer a "view" link without reading the
        file; `serve` still downloads a PDF that is not plain."""
        return ALLOWED_TYPES.get(self.extension, ("", "", False))[2]


def serve(private_file, inline=False):
    """Stream a stored file; call only after the access layer has let the person see its owner.

    The bytes are read through the storage API, from the local disk or the bucket alike, and pass through
    this response: a bucket never hands out a link of its own, so the access check stays the only door.
    Images and plain PDFs may show inline; a PDF with scripts or automatic actions is only downloaded."""
    try:
        handle = private_file.file.storage.open(private_file.file.name, "rb")
    except FileNotFoundError as exc:
        # A row whose file is gone (a restore without the private files): check_files lists it.
        raise Http404("Không tìm thấy tệp.") from exc
    as_inline = inline and private_file.offers_preview and (private_file.extension != "pdf" or pdf_is_plain(handle))
    response = FileResponse(
        handle,
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
