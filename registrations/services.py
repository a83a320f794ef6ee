"""Work on the year that is not a state change: opening a province's year from the defaults, starting a
registration, filing its documents."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh import audit
from registrations.models import Deadline, DeadlineDefault, Registration, RegistrationDocument, Year
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
                category=d.category,
                defaults={
                    "registration_due": _on(d.registration_due, year),
                    "registration_compiled_due": _on(d.registration_compiled_due, year),
                    "period_start": _on(d.period_start, year - 1),
                    "period_end": _on(d.period_end, year),
                    "dossier_due": _on(d.dossier_due, year),
                    "review_due": _on(d.review_due, year),
                    "recognition_due": _on(d.recognition_due, year),
                },
            )
    return obj


def closed_year_message(year: Year) -> str:
    return f"Năm đánh giá {year.number} đã khóa sổ."


def province_of(unit) -> Unit:
    return unit if unit.depth == 0 else Unit.objects.get(path=unit.path[:PATH_SEGMENT_WIDTH])


def current_year_number() -> int:
    return timezone.localdate().year


class YearNotOpen(Exception):
    """A page asked for a year its province has not opened. A GET never opens it: the administrator does,
    with the button on the page that says so (a POST), or the open_year command."""

    def __init__(self, unit, number: int):
        super().__init__(f"Năm đánh giá {number} chưa được mở.")
        self.unit, self.number = unit, number


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
    storage, one row and one audit row per file, all rows in one transaction."""
    stored = []
    with transaction.atomic():
        for upload in files:
            doc = RegistrationDocument(registration=registration, doc_type=doc_type)
            doc.fill_from_upload(upload, user)
            doc.save()
            audit.record(
                registration,
                actor=user,
                action="upload",
                label=f"Tải lên {doc.get_doc_type_display().lower()}: {doc.original_name}",
                reason=doc.original_name,
            )
            stored.append(doc)
    return stored


def remove_document(*, document, user):
    """Soft-delete a document; the file stays on disk and in the audit trail (one transaction)."""
    with transaction.atomic():
        document.soft_delete(user)
        audit.record(
            document.registration,
            actor=user,
            action="remove_document",
            label=f"Gỡ tài liệu: {document.original_name}",
            reason=document.original_name,
        )
