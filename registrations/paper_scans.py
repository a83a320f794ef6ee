"""Signed paper forms coming back as scans (nhận bản giấy đã ký): the QR code printed on the registration
form tells which registration a scan belongs to; the clerk sees the match, confirms, and the scan is
filed as that registration's «Bản đăng ký phấn đấu». A scan never confirmed is discarded after some days
(`discard_stale`), leaving an audit row on the registration it matched."""

import datetime
import io
import re
import shutil
import subprocess  # noqa: S404 - pdftoppm only, fixed arguments, no shell
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ansinh import access, audit, receipts
from ansinh.errors import Refused
from ansinh.models import AuditEvent
from registrations import services
from registrations.models import DocumentType, Registration
from units.models import Unit

PENDING_FOLDER = "registrations/scans-pending"
RECEIVED, DISCARDED = "scan_pending", "scan_discarded"
RENDER_DPI = 150
RENDER_TIMEOUT_SECONDS = 30
NO_CODE = (
    "Không đọc được mã QR trên bản quét. Hãy quét hoặc chụp lại rõ nét cả trang có mã QR "
    "(ở góc dưới bên trái của bản đăng ký in từ hệ thống)."
)
NOT_FOUND = "Mã trên bản quét không khớp với bản đăng ký nào bạn được quản lý."


def _images(upload, extension):
    """The pages to look for a code on: the image itself, or the first page of a PDF rendered by pdftoppm."""
    from PIL import Image

    upload.seek(0)
    if extension != "pdf":
        return [Image.open(upload)]
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise Refused("Máy chủ chưa cài công cụ đọc PDF (poppler-utils). Hãy tải lên ảnh chụp bản đăng ký.")
    with tempfile.TemporaryDirectory() as folder:
        try:
            subprocess.run(  # noqa: S603 - fixed arguments
                [pdftoppm, "-r", str(RENDER_DPI), "-png", "-f", "1", "-l", "1", "-singlefile", "-", f"{folder}/page"],
                input=upload.read(),
                capture_output=True,
                timeout=RENDER_TIMEOUT_SECONDS,
                check=True,
            )
            page = Image.open(io.BytesIO(Path(folder, "page.png").read_bytes()))
        except (subprocess.SubprocessError, OSError) as exc:
            raise Refused("Không đọc được tệp PDF này. Hãy tải lên ảnh chụp bản đăng ký.") from exc
        finally:
            upload.seek(0)
    return [page]


def read_code(upload, extension) -> str:
    """The text of the first QR code on the scan; Refused when there is none."""
    import zxingcpp

    for image in _images(upload, extension):
        for barcode in zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode):
            if barcode.text:
                upload.seek(0)
                return barcode.text
    upload.seek(0)
    raise Refused(NO_CODE)


def match(text: str, user) -> Registration:
    """The registration a scanned code names, among those `user` may attach paper to; Refused otherwise
    (a registration outside the person's jurisdiction is «not found», never confirmed to exist)."""
    visible = access.scope(Registration.objects.select_related("unit__kind", "unit__parent", "year"), user)
    code = receipts.find_code(text)
    unit_year = receipts.UNIT_YEAR_RE.search(text or "")
    if code:
        registration = visible.filter(receipt_code=code).first()
    elif unit_year:
        unit_id, year_number = uuid.UUID(unit_year.group(1)), int(unit_year.group(2))
        registration = visible.filter(unit__public_id=unit_id, year__number=year_number).first()
        if (
            registration is None
            and access.scope(Unit.objects.all(), user, unit_field="").filter(public_id=unit_id).exists()
        ):
            raise Refused(
                f"Bản quét là bản đăng ký năm {year_number} của một đơn vị chưa có bản đăng ký trong hệ thống. "
                "Hãy nhập bản giấy cho đơn vị đó trước (Đăng ký → Nhập bản giấy), rồi tải bản quét lên lại."
            )
    else:
        registration = None
    if registration is None or not user.has_perm("registrations.attach_paper", registration):
        raise Refused(NOT_FOUND)
    if not registration.year.is_open:
        raise Refused(registration.year.closed_message)
    return registration


def keep_pending(upload, extension, *, registration, user) -> str:
    """Park the scan in private storage until the clerk confirms; return its storage name.

    Side effects: the file in storage, and one audit row on the registration it matched (who sent which
    file, kept even when the scan is never confirmed and later discarded)."""
    upload.seek(0)
    name = default_storage.save(f"{PENDING_FOLDER}/{uuid.uuid4().hex}.{extension}", upload)
    label = f"Nhận bản quét chờ xác nhận: {upload.name}"
    audit.record(registration, actor=user, action=RECEIVED, label=label, reason=name)
    return name


def attach(*, registration, pending_name: str, original_name: str, user):
    """File the parked scan as the registration's signed form. Side effects: one RegistrationDocument
    and one audit row (services.add_documents); the parked copy is removed."""
    if not re.fullmatch(rf"{PENDING_FOLDER}/[0-9a-f]{{32}}\.[a-z]+", pending_name or ""):
        raise Refused("Phiên nhận bản giấy đã hết hạn. Vui lòng tải bản quét lên lại.")
    if not default_storage.exists(pending_name):
        raise Refused("Phiên nhận bản giấy đã hết hạn. Vui lòng tải bản quét lên lại.")
    with transaction.atomic(), default_storage.open(pending_name, "rb") as handle:
        stored = services.add_documents(
            registration=registration,
            doc_type=DocumentType.REGISTRATION_FORM,
            files=[File(handle, name=original_name)],
            user=user,
        )
    default_storage.delete(pending_name)
    return stored[0]


@dataclass
class Discarded:
    removed: list
    # Parked before scans were recorded: nobody can say who sent them, so they stay for an administrator.
    untracked: list


def discard_stale(days: int) -> Discarded:
    """Remove the parked scans older than `days` that nobody confirmed.

    A parked scan was never attached to anything (confirming moves it into a RegistrationDocument and
    deletes the parked copy), so only the file goes; the trace stays: one audit row «discarded» on the
    registration it matched, beside the row that recorded who sent it. A scan with no such row is left in
    place and reported."""
    try:
        _, names = default_storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:
        return Discarded([], [])
    cutoff = timezone.now() - datetime.timedelta(days=days)
    paths = [f"{PENDING_FOLDER}/{n}" for n in sorted(names)]
    stale = [p for p in paths if default_storage.get_modified_time(p) < cutoff]
    received = {
        e.reason: e for e in AuditEvent.objects.filter(action=RECEIVED, reason__in=stale).select_related("unit")
    }
    result = Discarded([], [])
    for path in stale:
        event = received.get(path)
        if event is None:
            result.untracked.append(path)
            continue
        with transaction.atomic():
            audit.record(
                event.subject,
                actor=None,
                unit=event.unit,
                action=DISCARDED,
                label=f"Hủy bản quét không được xác nhận sau {days} ngày",
                reason=f"{event.label} ({path})",
            )
            default_storage.delete(path)
        result.removed.append(path)
    return result
