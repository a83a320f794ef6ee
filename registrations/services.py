"""Work on the year that is not a single state change: opening a province's year from the defaults, its
deadlines, starting, entering and editing a registration, filing its documents, receiving many at once.

Every function here refuses with ansinh.errors.Refused (a Vietnamese message, nothing written)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh import access, audit
from ansinh.errors import Refused
from registrations import workflow
from registrations.models import (
    Deadline,
    DeadlineDefault,
    DocumentType,
    MovementModel,
    Registration,
    RegistrationDocument,
    Year,
)
from units.models import PATH_SEGMENT_WIDTH, Unit

# More ticked rows than any commune has units: a bigger POST is not a person's.
BULK_LIMIT = 500


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

    Refuses (nothing saved) an out-of-scope unit and a second registration for the
    same unit and year. Side effects: one Registration row and one audit row."""
    if not unit.is_in_scope:
        raise Refused(f"{unit.name} không đăng ký phong trào. {unit.scope_reason}")
    existing = Registration.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        raise Refused(duplicate_message(unit, year, existing))
    try:
        with transaction.atomic():
            registration = Registration.objects.create(unit=unit, year=year, created_by=user, **fields)
            audit.record(registration, actor=user, action="create", label="Tạo bản đăng ký", to_state="draft")
    except IntegrityError as exc:
        # Two people registering the same unit at once: the database constraint decides.
        existing = Registration.objects.filter(unit=unit, year=year).first()
        if existing is None:
            raise
        raise Refused(duplicate_message(unit, year, existing)) from exc
    return registration


def duplicate_message(unit, year, existing) -> str:
    return (
        f"{unit.name} đã có bản đăng ký năm {year.number} (trạng thái: {existing.get_status_display()}). "
        "Mỗi đơn vị chỉ đăng ký một lần mỗi năm — hãy mở bản đã có để bổ sung."
    )


def _refuse_if_closed(year):
    if not year.is_open:
        raise Refused(year.closed_message)


def add_documents(*, registration, doc_type: str, files, user) -> list[RegistrationDocument]:
    """Store validated uploads as documents of the registration; refuses in a closed year. Side effects:
    files written to private storage, one row and one audit row per file, all rows in one transaction."""
    _refuse_if_closed(registration.year)
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
    """Soft-delete a document (the file stays on disk and in the audit trail); refuses in a closed year.
    Side effects in one transaction: the document row is marked deleted, one audit row."""
    _refuse_if_closed(document.registration.year)
    with transaction.atomic():
        document.soft_delete(user)
        audit.record(
            document.registration,
            actor=user,
            action="remove_document",
            label=f"Gỡ tài liệu: {document.original_name}",
            reason=document.original_name,
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
            raise Refused(locked.year.closed_message)
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


def _file_documents(registration, documents, user):
    for doc_type, files in documents:
        add_documents(registration=registration, doc_type=doc_type, files=files, user=user)


def _set_rules(registration, rules):
    if rules is not None:
        registration.internal_rules.set(rules)


def register(*, unit, year: Year, user, values: dict, documents=(), movement_models=None, rules=None, submit=False):
    """A unit's registration typed in the portal (by its head or the clerk), with photos of the signed pages.

    `documents` is (document type, files) pairs; `movement_models` a valid movement-model formset whose rows
    are saved on the new registration, or None; `rules` the internal rules it holds (None: not asked).
    Side effects in one transaction: what start_registration writes, the internal rules, the documents (a
    row and an audit row each), the movement models, and with `submit` the workflow's submission (audit
    row, notifications after commit). Any refusal writes nothing."""
    _refuse_if_closed(year)
    with transaction.atomic():
        registration = start_registration(unit=unit, year=year, user=user, registered_on=timezone.localdate(), **values)
        _set_rules(registration, rules)
        _file_documents(registration, documents, user)
        if movement_models is not None:
            movement_models.instance = registration
            movement_models.save()
        if submit:
            registration = workflow.perform(registration, "submit", user)
    return registration


def enter_paper(*, unit, year: Year, user, values: dict, movement_model: str = "", rules=(), accept=False):
    """A signed paper registration typed in by the clerk: created, submitted on the day the paper arrived
    (`values["registered_on"]`) and, with `accept`, received at once.

    Side effects in one transaction: what start_registration writes, one movement model when named, the
    workflow's submission and acceptance (audit rows, notifications after commit)."""
    _refuse_if_closed(year)
    with transaction.atomic():
        registration = start_registration(unit=unit, year=year, user=user, on_paper=True, **values)
        if movement_model:
            MovementModel.objects.create(registration=registration, name=movement_model)
        _set_rules(registration, rules)
        registration = workflow.perform(registration, "submit", user)
        if accept:
            registration = workflow.perform(registration, "accept", user)
    return registration


def edit_registration(*, registration, user, values: dict, documents=(), movement_models=None, rules=None):
    """Save the form's fields of a registration, with more documents and the movement models.

    The status may have moved since the page was read (received, returned): the row is locked and the
    permission decided on it, and only `values` are written, so a concurrent transition is never undone.
    Side effects in one transaction: the fields, the documents, the movement models (a valid formset or
    None) and one audit row with each changed field's old and new value."""
    with transaction.atomic():
        locked = (
            Registration.objects.select_for_update(of=("self",)).select_related("unit", "year").get(pk=registration.pk)
        )
        _refuse_if_closed(locked.year)
        if not user.has_perm("registrations.edit_registration", locked):
            raise Refused(
                f"Bản đăng ký vừa chuyển sang trạng thái «{locked.get_status_display()}» nên không còn sửa được; "
                "thay đổi của bạn chưa được lưu."
            )
        changes = audit.diff(locked, values, values)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*values, "updated_at"])
        _set_rules(locked, rules)
        _file_documents(locked, documents, user)
        if movement_models is not None:
            movement_models.instance = locked
            movement_models.save()
        audit.record(locked, actor=user, action="edit", label="Sửa bản đăng ký", changes=changes)
    return locked


def accept_many(*, commune, public_ids, user) -> tuple[int, list[str]]:
    """Receive the chosen submitted registrations of a commune's units, each through the workflow in its own
    transaction (one refusal does not undo the others). Ids outside the person's jurisdiction are ignored.

    Returns (how many were received, one line per refusal naming the unit)."""
    chosen = access.scope(
        Registration.objects.filter(access.under(commune, "unit"), public_id__in=list(public_ids)[:BULK_LIMIT]),
        user,
    ).select_related("unit")
    done, refused = 0, []
    for registration in chosen:
        try:
            workflow.perform(registration, "accept", user)
        except Refused as exc:
            refused.append(f"{registration.unit.name}: {exc}")
        else:
            done += 1
    return done, refused


def save_deadlines(*, year: Year, user, values: dict) -> int:
    """Write a province year's dates; `values` maps a Deadline pk of the year to {field: new date}.

    Side effects in one transaction: the rows are locked and written, one audit row on the year lists
    each changed date's old and new value. Returns how many unit categories changed."""
    with transaction.atomic():
        rows = Deadline.objects.select_for_update().filter(year=year, pk__in=list(values))
        changes = {}
        changed = 0
        for deadline in rows:
            fields = values[deadline.pk]
            diff = audit.diff(deadline, fields, fields)
            if not diff:
                continue
            for name, value in fields.items():
                setattr(deadline, name, value)
            deadline.save(update_fields=list(fields))
            changed += 1
            category = deadline.get_category_display()
            changes.update(
                {f"{category}: {Deadline._meta.get_field(name).verbose_name}": pair for name, pair in diff.items()}
            )
        if changed:
            audit.record(
                year,
                actor=user,
                action="edit_deadlines",
                unit=year.province,
                label=f"Sửa mốc thời gian năm {year.number}: {changed} nhóm đơn vị",
                changes=changes,
            )
    return changed
