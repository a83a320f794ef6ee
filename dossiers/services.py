"""Work on dossiers that is not a single transition: opening one, its documents and meeting minutes,
confirming criteria, incidents, issuing decisions, and the timeline.

Every function here refuses with ansinh.errors.Refused (a Vietnamese message, nothing written)."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

import certificates.services
from ansinh import access, audit, nd30
from ansinh.errors import Refused
from ansinh.forms import clean_reason
from ansinh.models import AuditEvent
from ansinh.text import fold
from certificates.models import PrintJob
from dossiers import bundle, printing, signing
from dossiers.models import (
    Capacity,
    Comment,
    CriterionCheck,
    Decision,
    DecisionCounter,
    Dossier,
    DossierDocument,
    DossierDocumentType,
    Incident,
    IssuerSettings,
    MeetingMinutes,
    Outcome,
)
from dossiers.workflow import transition
from registrations.models import Registration
from units.models import Role

log = logging.getLogger(__name__)


def accepted_registration(unit, year):
    return Registration.objects.filter(unit=unit, year=year, status=Registration.Status.ACCEPTED).first()


def open_dossier(*, unit, year, user):
    """Create the unit's dossier for the year.

    Side effects: one Dossier row (draft) and one audit row."""
    if not user.has_perm("dossiers.create_dossier", unit):
        raise Refused("Bạn không có quyền lập hồ sơ cho đơn vị này.")
    if year is None:
        # open_year_for found nothing: another person opened the dossier since the form was shown.
        raise Refused(f"{unit} không còn bản đăng ký được tiếp nhận nào chưa lập hồ sơ.")
    registration = accepted_registration(unit, year)
    if registration is None:
        raise Refused(
            f"{unit} chưa có bản đăng ký năm {year.number} được tiếp nhận nên chưa lập được hồ sơ đề nghị công nhận."
        )
    dossier = Dossier(unit=unit, year=year, registration=registration, created_by=user)
    try:
        dossier.full_clean()
    except ValidationError as exc:
        raise Refused(" ".join(exc.messages)) from exc
    try:
        with transaction.atomic():
            dossier.save()
            audit.record(dossier, actor=user, action="create", label="Lập hồ sơ", to_state=dossier.status)
    except IntegrityError as exc:
        raise Refused(f"{unit} đã có hồ sơ đề nghị công nhận năm {year.number}.") from exc
    return dossier


def units_policed_by(user):
    """Units the person may record incidents against (commune police over them)."""
    return access.units_where(user, Role.POLICE_CLERK).active().select_related("kind").order_by("path")


def units_ready_for_dossier(user):
    """Units the person prepares that have an accepted registration in an open year and no dossier for it."""
    units = access.units_where(user, Role.POLICE_CLERK) | access.units_at(user, Role.UNIT_HEAD)
    return units.filter(Exists(_accepted_without_dossier(unit=OuterRef("pk")))).select_related("kind").order_by("path")


def _accepted_without_dossier(**lookup):
    # The inner OuterRef points at the registration, so the dossier is matched on the registration's own
    # unit and year (the constraint allows one dossier per unit and year).
    has_dossier = Dossier.objects.filter(unit=OuterRef("unit"), year=OuterRef("year"))
    return Registration.objects.filter(status=Registration.Status.ACCEPTED, year__is_open=True, **lookup).exclude(
        Exists(has_dossier)
    )


def open_year_for(unit):
    """The newest open year in which the unit's registration was accepted and no dossier exists yet, or None.

    Taken from the registration rather than the province's newest year, because the next year is opened
    (with its deadlines) while this year's dossiers are still being made."""
    registration = _accepted_without_dossier(unit=unit).select_related("year").order_by("-year__number").first()
    return registration.year if registration else None


def confirm_criteria(*, dossier, user, answers):
    """Store the reviewer's judgement on items; `answers` maps criterion pk → (outcome, note).

    Side effects: one CriterionCheck per answered criterion, stamped with the reviewer and time."""
    if not user.has_perm("dossiers.confirm_criteria", dossier):
        raise Refused("Chỉ người thẩm định của cấp quản lý được xác nhận tiêu chí khi hồ sơ đang thẩm định.")
    now = timezone.now()
    with transaction.atomic():
        for criterion_id, (outcome, note) in answers.items():
            CriterionCheck.objects.update_or_create(
                dossier=dossier,
                criterion_id=criterion_id,
                defaults={"outcome": Outcome(outcome), "note": note.strip(), "confirmed_by": user, "confirmed_at": now},
            )
        failed = sum(1 for outcome, _ in answers.values() if outcome == Outcome.FAIL)
        audit.record(
            dossier,
            actor=user,
            action="confirm_criteria",
            label=f"Xác nhận {len(answers)} tiêu chí ({failed} không đạt)",
            reason="\n".join(note.strip() for outcome, note in answers.values() if outcome == Outcome.FAIL),
        )


def add_document(*, dossier, doc, upload, user):
    """Store `upload` as the unsaved document `doc` of the dossier.

    Side effects in one transaction: the DossierDocument row and one audit row on it."""
    doc.dossier = dossier
    doc.fill_from_upload(upload, user)
    with transaction.atomic():
        doc.save()
        audit.record(
            doc, actor=user, action="upload", label=f"Tải lên {doc.get_doc_type_display()}", reason=doc.original_name
        )
    return doc


def delete_document(*, doc, user):
    """Side effects in one transaction: the document is soft-deleted (kept, hidden) and one audit row."""
    with transaction.atomic():
        doc.soft_delete(user)
        audit.record(
            doc, actor=user, action="delete", label=f"Xóa {doc.get_doc_type_display()}", reason=doc.original_name
        )


def save_minutes(*, dossier, minutes, attendees, scan, user):
    """Save the meeting minutes of a dossier: `minutes` is the (new or edited) MeetingMinutes instance,
    `attendees` a valid attendee formset, `scan` an optional checked upload of the signed paper.

    Side effects in one transaction: the dossier row is locked and the permission decided on it; the scan
    is filed as a «Biên bản cuộc họp» document (its own audit row); the minutes and attendees are written;
    one audit row on the dossier with each changed field's old and new value."""
    fields = ["met_on", "chaired_by", "conclusion"]
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).select_related("unit__parent").get(pk=dossier.pk)
        if not user.has_perm("dossiers.upload", locked):
            raise Refused(
                f"Hồ sơ đang ở trạng thái «{locked.get_status_display()}» nên không sửa được biên bản; "
                "thay đổi của bạn chưa được lưu."
            )
        before = MeetingMinutes.objects.filter(pk=minutes.pk).first() if minutes.pk else None
        minutes.dossier = locked
        minutes.updated_by = user
        if scan:
            minutes.document = add_document(
                dossier=locked, doc=DossierDocument(doc_type=DossierDocumentType.MINUTES), upload=scan, user=user
            )
        minutes.save()
        attendees.instance = minutes
        attendees.save()
        audit.record(
            locked,
            actor=user,
            action="minutes",
            label="Lập biên bản cuộc họp" if before is None else "Sửa biên bản cuộc họp",
            reason=f"Họp ngày {minutes.met_on:%d/%m/%Y}, chủ trì: {minutes.chaired_by}",
            changes=audit.diff(before or dict.fromkeys(fields), minutes, fields),
        )
    return minutes


def decision_defaults(*, issuer, user) -> dict:
    """What the decision form starts with: today, the issuer's symbol, the signer's name, and the capacity
    the signer's title implies (a deputy chairman signs KT. CHỦ TỊCH, in any case or Unicode form)."""
    settings = IssuerSettings.for_unit(issuer)
    title = next((a.title for a in user.role_assignments.filter(unit=issuer, role=Role.CHAIRMAN)), "")
    return {
        "issued_on": timezone.localdate(),
        "symbol": settings.symbol,
        "capacity": Capacity.DEPUTY if fold(title).startswith("pho ") else settings.default_capacity,
        "signer_name": user.get_full_name(),
        # The commune police usually submits the tờ trình the decision answers.
        "request_from": f"Công an {nd30.lower_first(issuer.name)}",
    }


def add_comment(*, dossier, user, body):
    """Side effects in one transaction: the Comment row and one audit row on it."""
    with transaction.atomic():
        comment = Comment.objects.create(dossier=dossier, author=user, body=body)
        audit.record(comment, actor=user, unit=dossier.unit, action="comment", label="Ý kiến", reason=body)
    return comment


def record_incident(*, incident, user):
    """Save the unsaved `incident` recorded by `user`.

    Side effects in one transaction: the Incident row and one audit row on it."""
    if not user.has_perm("dossiers.record_incident", incident.unit):
        raise Refused("Chỉ cán bộ Công an xã được ghi nhận vụ việc.")
    incident.recorded_by = user
    with transaction.atomic():
        incident.save()
        audit.record(
            incident,
            actor=user,
            action="create",
            label=f"Ghi nhận vụ việc: {incident.get_kind_display()} ({incident.occurred_on:%d/%m/%Y})",
            reason=incident.description,
        )
    return incident


def delete_incident(*, incident, user, reason):
    """Withdraw an incident recorded by mistake; refuses without a reason.

    Side effects in one transaction: the incident is soft-deleted (kept for the record, no longer counted
    by the checklist) and one audit row carries the reason."""
    if not user.has_perm("dossiers.record_incident", incident):
        raise Refused("Chỉ cán bộ Công an xã được xóa vụ việc.")
    reason = clean_reason(reason, required_message="Vui lòng ghi rõ lý do xóa vụ việc.")
    with transaction.atomic():
        incident.soft_delete(user)
        audit.record(
            incident,
            actor=user,
            action="delete",
            label=f"Xóa vụ việc: {incident.get_kind_display()} ({incident.occurred_on:%d/%m/%Y})",
            reason=reason,
        )


def next_decision_number(issuer, calendar_year) -> int:
    """Take the next number of the issuer's yearly sequence; call inside the transaction that uses it.

    The counter row is locked until that transaction ends, so concurrent decisions queue for numbers and
    a rolled-back decision gives its number back (no gaps, no duplicates)."""
    DecisionCounter.objects.get_or_create(issuer=issuer, calendar_year=calendar_year)
    counter = DecisionCounter.objects.select_for_update().get(issuer=issuer, calendar_year=calendar_year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def peek_decision_number(issuer, calendar_year) -> int:
    """The number the issuer's next decision of `calendar_year` would get; nothing is taken or locked."""
    last = (
        DecisionCounter.objects.filter(issuer=issuer, calendar_year=calendar_year)
        .values_list("last_number", flat=True)
        .first()
    )
    return (last or 0) + 1


def _refuse_before_previous(issuer, issued_on, number):
    """A number's date is never earlier than the previous number's date (same issuer, same calendar year)."""
    previous = (
        Decision.objects.filter(issuer=issuer, calendar_year=issued_on.year, number__lt=number)
        .order_by("-number")
        .first()
    )
    if previous is not None and issued_on < previous.issued_on:
        raise Refused(
            f"Ngày ban hành {issued_on:%d/%m/%Y} sớm hơn ngày của quyết định số trước "
            f"(Quyết định số {previous.number_label} ngày {previous.issued_on:%d/%m/%Y}). "
            f"Số {number:02d} phải mang ngày từ {previous.issued_on:%d/%m/%Y} trở đi."
        )


def _issuable(issuer, dossiers, user):
    if not user.has_perm("dossiers.issue_decision", issuer):
        raise Refused("Chỉ lãnh đạo UBND của cấp này được ban hành quyết định công nhận.")
    dossiers = list(dossiers)
    if not dossiers:
        raise Refused("Chọn ít nhất một hồ sơ đã được đề nghị công nhận.")
    years = {d.year_id for d in dossiers}
    if len(years) != 1:
        raise Refused("Một quyết định chỉ công nhận các đơn vị của cùng một năm đánh giá.")
    return dossiers, years.pop()


def preview_decision(*, issuer, dossiers, user, issued_on, **fields) -> Decision:
    """The decision as it would be issued now (unsaved, with the number it would get), for the person to
    read before confirming. Refuses what `issue_decision` would refuse on the same input; writes nothing."""
    dossiers, year_id = _issuable(issuer, dossiers, user)
    number = peek_decision_number(issuer, issued_on.year)
    _refuse_before_previous(issuer, issued_on, number)
    return Decision(
        issuer=issuer, year_id=year_id, calendar_year=issued_on.year, number=number, issued_on=issued_on, **fields
    )


def issue_decision(*, issuer, dossiers, user, issued_on, expected_number=None, **fields):
    """Issue one numbered decision recognising `dossiers` (all recommended, all managed by `issuer`).

    `fields` are the decision's own values (signer_name, capacity, symbol, request_number, request_date,
    request_from). `expected_number` is the number the person confirmed on the preview; if another
    decision took it meanwhile, the issue is refused so they read the decision again.

    Side effects in one transaction: the number is taken from the issuer's yearly counter; the Decision
    row is written; every dossier moves to «Đã công nhận» through the workflow (audit rows,
    notifications after commit). Any refusal (Refused: a date before the previous number's, a changed
    number, a dossier that moved) rolls everything back: no number is used."""
    dossiers, year_id = _issuable(issuer, dossiers, user)
    with transaction.atomic():
        number = next_decision_number(issuer, issued_on.year)
        if expected_number is not None and number != expected_number:
            raise Refused(
                f"Số quyết định vừa thay đổi: số {expected_number:02d} đã được cấp cho quyết định khác. "
                f"Vui lòng xem lại quyết định với số {number:02d} trước khi ban hành."
            )
        _refuse_before_previous(issuer, issued_on, number)
        decision = Decision.objects.create(
            issuer=issuer,
            year_id=year_id,
            calendar_year=issued_on.year,
            number=number,
            issued_on=issued_on,
            issued_by=user,
            **fields,
        )
        for dossier in dossiers:
            transition(dossier, "recognise", user, decision=decision)
        audit.record(
            decision,
            actor=user,
            unit=issuer,
            action="issue",
            label=f"Ban hành quyết định số {decision.number_label}",
        )
        certificates.services.issue_for_decision(decision, user)
    _sign_issued(decision)
    return decision


def _sign_issued(decision):
    """Render, sign and store the issued decision's PDF, after the issue is committed: a certificate that
    cannot be opened (or a rendering failure) never undoes an issued, numbered decision. The decision then
    stays «chưa ký số» and its page offers to sign it again (`sign_decision`); the failure leaves an audit row."""
    try:
        signing.stored_pdf(decision, printing.decision_context)
    except Exception as exc:  # noqa: BLE001 - whatever failed, the decision stays issued and says it is unsigned
        log.warning("decision %s issued but not signed", decision.pk, exc_info=True)
        reason = str(exc) if isinstance(exc, Refused) else "Lỗi khi lập bản PDF."
        audit.record(
            decision,
            actor=None,
            unit=decision.issuer,
            action="store_pdf_failed",
            label="Chưa lập được bản PDF ký số của quyết định",
            reason=reason,
        )


def sign_decision(*, decision, user):
    """Ký số: render, sign and store the PDF of an issued decision that has none yet (its signing failed at
    issue, or it was issued before decisions were signed). Returns the stored PDF (the existing one if any).

    Side effects (dossiers.signing.stored_pdf, under a lock on the decision): one DecisionPdf row and its
    file, one audit row. Raises Refused when the certificate cannot be opened (nothing stored)."""
    if not user.has_perm("dossiers.sign_decision", decision):
        raise PermissionDenied("Chỉ lãnh đạo UBND hoặc văn thư của cơ quan ban hành được ký số quyết định.")
    return signing.stored_pdf(decision, printing.decision_context, actor=user)


def record_request(*, dossier, user, number, day):
    """Record the unit's tờ trình (number and date) on its dossier, quoted later by the decision.

    Side effects in one transaction: the two fields on the locked row and one audit row with old and new
    values; refuses (Refused) when the person may not edit the dossier now."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("unit").get(pk=dossier.pk)
        if not user.has_perm("dossiers.upload", locked):
            raise Refused("Chỉ sửa được tờ trình khi hồ sơ đang là bản nháp hoặc được yêu cầu bổ sung.")
        before = {"request_number": locked.request_number, "request_date": locked.request_date}
        locked.request_number, locked.request_date = number, day
        changes = audit.diff(before, locked, ("request_number", "request_date"))
        if changes:
            locked.save(update_fields=["request_number", "request_date", "updated_at"])
            audit.record(locked, actor=user, action="request", label="Ghi số, ngày tờ trình", changes=changes)
    return locked


def mark_printed(*, decision, user):
    """The records clerk says the decision was printed (and stamped); it leaves their queue.

    Side effects in one transaction: `printed_at`/`printed_by` on the locked row (once) and one audit row."""
    with transaction.atomic():
        locked = Decision.objects.select_for_update().select_related("issuer").get(pk=decision.pk)
        if not user.has_perm("dossiers.mark_printed", locked):
            raise Refused("Chỉ văn thư của cơ quan ban hành được ghi nhận đã in quyết định.")
        if locked.printed_at is not None:
            return locked
        locked.printed_at, locked.printed_by = timezone.now(), user
        locked.save(update_fields=["printed_at", "printed_by"])
        audit.record(locked, actor=user, unit=locked.issuer, action="printed", label=f"Đã in {locked}")
    return locked


@dataclass
class Event:
    at: datetime
    icon: str
    title: str
    actor: object = None
    text: str = ""
    url: str = ""


def timeline(dossier):
    """Transitions, criteria and minutes, uploads and deletions, comments, and the incidents recorded or
    withdrawn at the unit (they decide a criterion), oldest first."""
    events = [Event(e.at, "arrow-right-circle", e.label, e.actor, e.reason) for e in audit.history(dossier)]
    for doc in dossier.documents.select_related("uploaded_by", "deleted_by"):
        label = doc.get_doc_type_display()
        events.append(Event(doc.uploaded_at, "paperclip", f"Tải lên {label}", doc.uploaded_by, doc.original_name))
        if doc.deleted_at:
            events.append(Event(doc.deleted_at, "trash", f"Xóa {label}", doc.deleted_by, doc.original_name))
    events += [
        Event(c.created_at, "chat-left-text", "Ý kiến", c.author, c.body)
        for c in dossier.comments.select_related("author")
    ]
    incidents = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Incident),
        object_id__in=Incident.objects.filter(unit=dossier.unit_id).values("pk"),
    ).select_related("actor")
    events += [
        Event(e.at, "trash" if e.action == "delete" else "exclamation-triangle", e.label, e.actor, e.reason)
        for e in incidents
    ]
    return sorted(events, key=lambda e: e.at)


def start_commune_bundle(*, commune, year, user):
    """Queue the archive (hồ sơ lưu trữ) of a commune's year as a background job for `user`.

    Side effects in one transaction: one audit row on the commune, one PrintJob row and its task (with the
    immediate backend the zip is built before this returns). Raises PermissionDenied for a person who may
    not download it."""
    if not user.has_perm("dossiers.download_bundle", commune):
        raise PermissionDenied("Chỉ cán bộ xã và cấp trên được tải hồ sơ lưu trữ của xã.")
    units = bundle.unit_count(commune, year)
    with transaction.atomic():
        audit.record(
            commune,
            actor=user,
            action="bundle",
            label=f"Lập hồ sơ lưu trữ năm {year.number} của {commune.name} ({units} đơn vị)",
        )
        return certificates.services.start_print_job(
            kind=PrintJob.Kind.DOSSIER_BUNDLE,
            title=f"Hồ sơ lưu trữ năm {year.number} – {commune.name} ({units} đơn vị)",
            filename=bundle.commune_filename(commune, year),
            params={"commune_id": commune.pk, "year_id": year.pk},
            total=units,
            user=user,
        )
