"""Work on dossiers that is not a single transition: opening one, confirming criteria, issuing decisions,
and the timeline."""

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

import certificates.services
from ansinh import access, audit
from ansinh.models import AuditEvent
from ansinh.workflow import TransitionRefused
from dossiers.models import Comment, CriterionCheck, Decision, DecisionCounter, Dossier, Incident, Outcome
from dossiers.workflow import transition
from registrations.models import Registration
from units.models import Role, Unit


def accepted_registration(unit, year):
    return Registration.objects.filter(unit=unit, year=year, status=Registration.Status.ACCEPTED).first()


def open_dossier(*, unit, year, user):
    """Create the unit's dossier for the year, or raise ValidationError with a Vietnamese message.

    Side effects: one Dossier row (draft) and one audit row."""
    if not user.has_perm("dossiers.create_dossier", unit):
        raise PermissionDenied("Bạn không có quyền lập hồ sơ cho đơn vị này.")
    if year is None:
        # open_year_for found nothing: another person opened the dossier since the form was shown.
        raise ValidationError(f"{unit} không còn bản đăng ký được tiếp nhận nào chưa lập hồ sơ.")
    registration = accepted_registration(unit, year)
    if registration is None:
        raise ValidationError(
            f"{unit} chưa có bản đăng ký năm {year.number} được tiếp nhận nên chưa lập được hồ sơ đề nghị công nhận."
        )
    dossier = Dossier(unit=unit, year=year, registration=registration, created_by=user)
    dossier.full_clean()
    try:
        with transaction.atomic():
            dossier.save()
            audit.record(dossier, actor=user, action="create", label="Lập hồ sơ", to_state=dossier.status)
    except IntegrityError as exc:
        raise ValidationError(f"{unit} đã có hồ sơ đề nghị công nhận năm {year.number}.") from exc
    return dossier


def units_with_role(user, role, *, at_only=False):
    """Units where the person holds `role` (with everything under them unless `at_only`)."""
    grants = [g for g in access.grants(user) if g.role == role]
    if not grants:
        return Unit.objects.none()
    if at_only:
        return Unit.objects.filter(pk__in=[g.unit_id for g in grants])
    return Unit.objects.filter(reduce(or_, (Q(path__startswith=g.path) for g in grants)))


def units_policed_by(user):
    """Units the person may record incidents against (commune police over them)."""
    return units_with_role(user, Role.POLICE_CLERK).active().select_related("kind").order_by("path")


def units_ready_for_dossier(user):
    """Units the person prepares that have an accepted registration in an open year and no dossier for it."""
    units = units_with_role(user, Role.POLICE_CLERK) | units_with_role(user, Role.UNIT_HEAD, at_only=True)
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
        raise PermissionDenied("Chỉ người thẩm định của cấp quản lý được xác nhận tiêu chí khi hồ sơ đang thẩm định.")
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
        raise PermissionDenied("Chỉ cán bộ Công an xã được ghi nhận vụ việc.")
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
    """Withdraw an incident recorded by mistake; raises ValidationError without a reason.

    Side effects in one transaction: the incident is soft-deleted (kept for the record, no longer counted
    by the checklist) and one audit row carries the reason."""
    if not user.has_perm("dossiers.record_incident", incident):
        raise PermissionDenied("Chỉ cán bộ Công an xã được xóa vụ việc.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Vui lòng ghi rõ lý do xóa vụ việc.")
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


def issue_decision(*, issuer, dossiers, user, issued_on, signer_name, capacity, symbol):
    """Issue one numbered decision recognising `dossiers` (all recommended, all managed by `issuer`).

    Side effects in one transaction: the number is taken from the issuer's yearly counter; the Decision
    row is written; every dossier moves to «Đã công nhận» through the workflow (audit rows,
    notifications after commit). Any refusal rolls everything back and raises TransitionRefused."""
    if not user.has_perm("dossiers.issue_decision", issuer):
        raise PermissionDenied("Chỉ lãnh đạo UBND của cấp này được ban hành quyết định công nhận.")
    dossiers = list(dossiers)
    if not dossiers:
        raise TransitionRefused("Chọn ít nhất một hồ sơ đã được đề nghị công nhận.")
    years = {d.year_id for d in dossiers}
    if len(years) != 1:
        raise TransitionRefused("Một quyết định chỉ công nhận các đơn vị của cùng một năm đánh giá.")
    with transaction.atomic():
        number = next_decision_number(issuer, issued_on.year)
        decision = Decision.objects.create(
            issuer=issuer,
            year_id=years.pop(),
            calendar_year=issued_on.year,
            number=number,
            symbol=symbol,
            issued_on=issued_on,
            signer_name=signer_name,
            capacity=capacity,
            issued_by=user,
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
    return decision


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
