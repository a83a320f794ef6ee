"""Work on the year that is not a state change: opening a province's year from the defaults, starting a
registration, filing its documents."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh import audit
from ansinh.errors import Refused
from registrations.models import (
    Deadline,
    DeadlineDefault,
    DocumentType,
    Registration,
    RegistrationDocument,
    Year,
)
from units.models import PATH_SEGMENT_WIDTH, Unit


class RegistrationRefused(Exception):
    """A registration that may not be started; the message is Vietnamese and shown as is."""


def _on(day_month: str, year: int) -> datetime.date:
    day, month = (int(x) for x in day_month.split("/"))
    return datetime.date(year, month, day)


def open_year(province, year: int, *, actor=None) -> Year:
    """Create (or return) a province's year with every category's dates taken from the defaults.

    Side effects when the year is new: the Year, its Deadline rows and one audit row naming `actor`
    (None for the demo and the management command)."""
    with transaction.atomic():
        obj, created = Year.objects.get_or_create(province=province, number=year)
        if created:
            audit.record(obj, actor=actor, action="open_year", label="Mở năm đánh giá", unit=province)
        for d in DeadlineDefault.objects.all():
            Deadline.objects.get_or_create(
                year=obj,
                commune=None,
                category=d.category,
                defaults={
                    "registration_due": _on(d.registration_due, year),
                    "registration_compiled_due": _on(d.registration_compiled_due, year),
                    "period_start": _on(d.period_start, year - 1),
                    "period_end": _on(d.period_end, year),
                    "dossier_due": _on(d.dossier_due, year),
                    "results_compiled_due": _on(d.results_compiled_due, year),
                    "review_due": _on(d.review_due, year),
                    "recognition_due": _on(d.recognition_due, year),
                    "classification_due": _on(d.classification_due, year),
                    "source": d.source,
                },
            )
    return obj


def closed_year_message(year: Year) -> str:
    return f"Năm đánh giá {year.number} đã khóa sổ."


def province_of(unit) -> Unit:
    return unit if unit.depth == 0 else Unit.objects.get(path=unit.path[:PATH_SEGMENT_WIDTH])


def current_year_number() -> int:
    return timezone.localdate().year


def year_for(unit, year: int | None = None, *, actor=None) -> Year:
    """The province year governing `unit`, opened from the defaults on first use.

    Side effect: creates the Year, its Deadline rows and the audit row (by `actor`) when the province
    has not opened it yet."""
    year = year or current_year_number()
    try:
        return Year.objects.for_unit(unit, year)
    except Year.DoesNotExist:
        return open_year(province_of(unit), year, actor=actor)


def start_registration(*, unit, year: Year, user, **fields) -> Registration:
    """Create the unit's draft registration for the year.

    Refuses (RegistrationRefused, nothing saved) an out-of-scope unit and a second registration for the
    same unit and year. Side effects: one Registration row and one audit row."""
    if not unit.is_in_scope:
        raise RegistrationRefused(f"{unit.name} không đăng ký phong trào. {unit.scope_reason}")
    existing = Registration.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        raise RegistrationRefused(duplicate_message(unit, year, existing))
    try:
        with transaction.atomic():
            registration = Registration.objects.create(unit=unit, year=year, created_by=user, **fields)
            audit.record(registration, actor=user, action="create", label="Tạo bản đăng ký", to_state="draft")
    except IntegrityError as exc:
        # Two people registering the same unit at once: the database constraint decides.
        existing = Registration.objects.filter(unit=unit, year=year).first()
        if existing is None:
            raise
        raise RegistrationRefused(duplicate_message(unit, year, existing)) from exc
    return registration


def duplicate_message(unit, year, existing) -> str:
    return (
        f"{unit.name} đã có bản đăng ký năm {year.number} (trạng thái: {existing.get_status_display()}). "
        "Mỗi đơn vị chỉ đăng ký một lần mỗi năm — hãy mở bản đã có để bổ sung."
    )


def add_documents(*, registration, doc_type: str, files, user) -> list[RegistrationDocument]:
    """Store validated uploads as documents of the registration. Side effects: files written to private
    storage, one row and one audit row per file."""
    stored = []
    for upload in files:
        doc = RegistrationDocument(registration=registration, doc_type=doc_type)
        doc.fill_from_upload(upload, user)
        doc.save()
        audit.record(
            registration,
            actor=user,
            action="upload",
            label=f"Tải lên {doc.get_doc_type_display().lower()}: {doc.original_name}",
        )
        stored.append(doc)
    return stored


def remove_document(*, document, user):
    """Soft-delete a document; the file stays on disk and in the audit trail."""
    document.soft_delete(user)
    audit.record(
        document.registration,
        actor=user,
        action="remove_document",
        label=f"Gỡ tài liệu: {document.original_name}",
    )


def late_notice(unit, year, day: datetime.date | None = None) -> str:
    """The warning shown before a registration is filed on `day` (today) after the unit's deadline, or ""."""
    day = day or timezone.localdate()
    deadline = year.deadline_for(unit)
    if deadline is None or day <= deadline.registration_due:
        return ""
    return f"Đã quá hạn {deadline.registration_due:%d/%m/%Y} — đăng ký sẽ bị ghi nhận muộn."


LATE_CONSEQUENCE = (
    "Đăng ký muộn làm đơn vị không đạt tiêu chí «đăng ký phấn đấu trong quý I» nên không được công nhận "
    "đạt tiêu chuẩn năm nay. Nếu bản đăng ký thực tế đến đúng hạn (ví dụ bản giấy), cán bộ Công an xã điều "
    "chỉnh ngày đăng ký kèm căn cứ."
)

CORRECTED_FIELDS = ("registered_on", "base_count", "committed_count")


def correct_registration(*, registration, user, registered_on, base_count, committed_count, reason, proof):
    """The clerk's correction of a filed registration's date and counts, with a reason and a proof.

    Refuses (Refused, nothing saved) without the permission, in a closed year, a draft (its date is set
    when it is submitted), without a reason or a proof, or when nothing changes. Side effects in one
    transaction, on the locked row: the proof stored as a document of the registration; the fields
    written; the late mark recomputed from the corrected date against the unit's deadline; one audit row
    with the old and new values."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Registration.objects.select_for_update().select_related("unit__kind", "year").get(pk=registration.pk)
        if not user.has_perm("registrations.correct", locked):
            raise Refused("Chỉ cán bộ Công an xã quản lý đơn vị được điều chỉnh bản đăng ký.")
        if not locked.year.is_open:
            raise Refused(closed_year_message(locked.year))
        if locked.status == Registration.Status.DRAFT:
            raise Refused("Bản đăng ký còn là bản nháp: ngày đăng ký được ghi khi nộp, chưa cần điều chỉnh.")
        if not reason:
            raise Refused("Vui lòng ghi rõ lý do điều chỉnh.")
        if proof is None:
            raise Refused("Vui lòng đính kèm căn cứ điều chỉnh (bản giấy có ngày nhận, văn bản xác nhận…).")
        if committed_count > base_count:
            raise Refused("Số đã đăng ký không được lớn hơn tổng số.")
        before = {name: getattr(locked, name) for name in (*CORRECTED_FIELDS, "is_late")}
        locked.registered_on, locked.base_count, locked.committed_count = registered_on, base_count, committed_count
        deadline = locked.year.deadline_for(locked.unit)
        locked.is_late = deadline is not None and registered_on > deadline.registration_due
        changes = audit.diff(before, locked, (*CORRECTED_FIELDS, "is_late"))
        if not changes:
            raise Refused("Không có gì thay đổi so với bản đăng ký hiện tại.")
        locked.save(update_fields=[*CORRECTED_FIELDS, "is_late", "updated_at"])
        doc = RegistrationDocument(registration=locked, doc_type=DocumentType.OTHER)
        doc.fill_from_upload(proof, user)
        doc.save()
        audit.record(
            locked,
            actor=user,
            action="correct",
            label=f"Điều chỉnh bản đăng ký (căn cứ: {doc.original_name})",
            reason=reason,
            changes=changes,
        )
    return locked
