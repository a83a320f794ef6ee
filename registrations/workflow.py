"""The registration's states as data: nháp → đã nộp → đã tiếp nhận, or → trả lại (with a reason the
submitter sees) → đã nộp again. `perform` is the only code that moves a registration."""

import datetime

from django.urls import reverse
from django.utils import timezone

from ansinh import receipts
from ansinh.errors import Refused
from ansinh.notify import notify, people_with_roles
from ansinh.workflow import Transition, Workflow
from registrations.models import Registration
from registrations.rules import RECEIVING_ROLES
from units import lineage
from units.models import Role

S = Registration.Status

# (from, action, to, permission, button label); `notice` titles the notification sent after the move.
# fmt: off
TRANSITIONS = [
    Transition(S.DRAFT, "submit", S.SUBMITTED, "registrations.submit", "Nộp đăng ký",
               extra={"notice": "{unit} đã nộp bản đăng ký năm {year}"}),
    Transition(S.RETURNED, "resubmit", S.SUBMITTED, "registrations.submit", "Nộp lại",
               extra={"notice": "{unit} đã nộp lại bản đăng ký năm {year}"}),
    Transition(S.SUBMITTED, "accept", S.ACCEPTED, "registrations.accept", "Tiếp nhận", style="success",
               extra={"notice": "Bản đăng ký năm {year} của {unit} đã được tiếp nhận"}),
    Transition(S.SUBMITTED, "return", S.RETURNED, "registrations.return", "Trả lại", reason_required=True,
               style="warning", extra={"notice": "Bản đăng ký năm {year} của {unit} bị trả lại"}),
]
# fmt: on
WORKFLOW = Workflow(Registration, TRANSITIONS, noun="bản đăng ký")
ACTIONS = sorted({t.action for t in TRANSITIONS})
# Each action has one label whatever state it starts from.
LABELS = {t.action: t.label for t in TRANSITIONS}

__all__ = ["ACTIONS", "LABELS", "TRANSITIONS", "available_actions", "perform"]


def available_actions(registration, user):
    return WORKFLOW.available(registration, user)


def submission_day(registration, today: datetime.date) -> datetime.date:
    """The day that counts against the deadline: the day the paper arrived for a paper registration
    (the clerk may type it in later), otherwise the day it is submitted in the portal."""
    return registration.registered_on if registration.on_paper else today


def perform(registration, action: str, user, *, reason: str = "", today: datetime.date | None = None):
    """Move the registration by `action` and return the fresh row; raises Refused (nothing written).

    Side effects, in one transaction: on (re)submission `registered_on` (online), `submitted_at` and
    `is_late` are set — late means after the unit's Deadline.registration_due in its province's year, by
    the Asia/Ho_Chi_Minh calendar — and a returned reason is cleared; on return the reason is stored in
    `return_reason`; one audit row. After commit: notifications to the receivers (on submission) or to
    the unit's head and the person who created it (on acceptance or return).
    `today` lets the demo data tell a story dated in quarter I.
    """
    today = today or timezone.localdate()

    def before(locked, t):
        if t.target in (S.SUBMITTED, S.ACCEPTED) and not locked.year.is_open:
            raise Refused(locked.year.closed_message)
        if t.target == S.SUBMITTED:
            if not locked.unit.is_in_scope:
                raise Refused(f"{locked.unit.name} không đăng ký phong trào. {locked.unit.scope_reason}")
            day = submission_day(locked, today)
            if not locked.on_paper:
                locked.registered_on = day
            deadline = locked.year.deadline_for(locked.unit)
            locked.is_late = deadline is not None and day > deadline.registration_due
            locked.submitted_at = (
                timezone.now()
                if today == timezone.localdate()
                else timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
            )
            locked.return_reason = ""
            receipts.assign(locked)
            lineage.keep_names(locked)
        elif t.action == "return":
            locked.return_reason = reason.strip()

    def after(locked, t):
        url = reverse("registrations:detail", args=[locked.public_id])
        title = t.extra["notice"].format(unit=locked.unit.name, year=locked.year.number)
        if t.target == S.SUBMITTED:
            receivers = people_with_roles([locked.unit.parent_id], RECEIVING_ROLES).exclude(pk=user.pk)
            notify(receivers, title=title, url=url)
        else:
            heads = list(people_with_roles([locked.unit_id], [Role.UNIT_HEAD]).exclude(pk=user.pk))
            if locked.created_by_id and locked.created_by_id != user.pk:
                heads.append(locked.created_by)
            body = f"Lý do: {locked.return_reason}" if t.action == "return" else ""
            notify(heads, title=title, body=body, url=url)

    return WORKFLOW.perform(registration, action, user, reason=reason, before=before, after=after)
