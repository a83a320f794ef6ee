"""The dossier's states and the only function that changes them.

nháp → đã nộp → đang thẩm định → (yêu cầu bổ sung → đã nộp) → đề nghị công nhận | không đề nghị
→ đã công nhận (only by issuing a decision) | không công nhận.
"""

from django.urls import reverse
from django.utils import timezone

from ansinh import notify, receipts
from ansinh.errors import Refused
from ansinh.workflow import Transition, Workflow
from dossiers.criteria import checklist
from dossiers.models import DUE_FIELD_BY_STATUS, CriterionCheck, Dossier, DossierStatus
from units import lineage
from units.authority import levels_for
from units.models import Role

S = DossierStatus
PREPARE, REVIEW, DECIDE = "dossiers.prepare", "dossiers.review", "dossiers.decide"

TRANSITIONS = [
    Transition(S.DRAFT, "submit", S.SUBMITTED, PREPARE, "Nộp hồ sơ"),
    Transition(S.RETURNED, "submit", S.SUBMITTED, PREPARE, "Nộp lại hồ sơ"),
    Transition(S.SUBMITTED, "start_review", S.IN_REVIEW, REVIEW, "Bắt đầu thẩm định", style="info"),
    Transition(S.SUBMITTED, "return", S.RETURNED, REVIEW, "Yêu cầu bổ sung", reason_required=True, style="warning"),
    Transition(S.IN_REVIEW, "return", S.RETURNED, REVIEW, "Yêu cầu bổ sung", reason_required=True, style="warning"),
    Transition(S.IN_REVIEW, "recommend", S.RECOMMENDED, REVIEW, "Đề nghị công nhận", style="success"),
    Transition(
        S.IN_REVIEW, "not_recommend", S.NOT_RECOMMENDED, REVIEW, "Không đề nghị", reason_required=True, style="dark"
    ),
    Transition(
        S.RECOMMENDED, "recognise", S.RECOGNISED, DECIDE, "Công nhận", style="success", extra={"by_decision": True}
    ),
    Transition(S.RECOMMENDED, "refuse", S.REFUSED, DECIDE, "Không công nhận", reason_required=True, style="danger"),
    Transition(S.NOT_RECOMMENDED, "refuse", S.REFUSED, DECIDE, "Không công nhận", reason_required=True, style="danger"),
]

workflow = Workflow(Dossier, TRANSITIONS, noun="hồ sơ")

# Who hears about which outcome (TT124: the unit and the commune police follow their dossier).
NOTICES = {
    "return": "Hồ sơ của {unit} được yêu cầu bổ sung",
    "recommend": "Hồ sơ của {unit} được đề nghị công nhận",
    "not_recommend": "Hồ sơ của {unit} không được đề nghị công nhận",
    "recognise": "{unit} đã được công nhận đạt tiêu chuẩn",
    "refuse": "{unit} không được công nhận đạt tiêu chuẩn",
}


# The reviewers hear when a dossier arrives (from a draft) or comes back (after a return).
ARRIVAL_NOTICES = {
    S.DRAFT: "Hồ sơ của {unit} đã được nộp, chờ thẩm định",
    S.RETURNED: "Hồ sơ của {unit} đã được nộp lại sau khi bổ sung, chờ thẩm định",
}

# What each deadline of a dossier is called when a step is taken after it.
OVERDUE_WORDS = {
    "dossier_due": "Đã quá hạn gửi hồ sơ {due} — hồ sơ sẽ đến cấp thẩm định muộn.",
    "review_due": "Đã quá hạn thẩm định {due} — việc thẩm định đang chậm so với kế hoạch.",
    "recognition_due": "Đã quá hạn quyết định công nhận {due} — quyết định sẽ ban hành muộn.",
}


def available_actions(dossier, user):
    """Buttons for the dossier page; recognition happens on the decision page, not here."""
    return [t for t in workflow.available(dossier, user) if not t.extra.get("by_decision")]


def buttons(dossier, user, result):
    """`(transition, why_not)` for every button of the dossier page; `why_not` is the refusal the person
    would get (the button is shown disabled with it), "" when the step can be taken. `dossier` comes from
    `with_facts()` and `result` is its checklist, so the page and the workflow judge alike."""
    return [(t, blocker(dossier, t.action, result)) for t in available_actions(dossier, user)]


def blocker(dossier, action, result) -> str:
    """Why `action` would be refused on the facts the page holds, or ""."""
    if action == "submit":
        return _incomplete_message("Chưa thể nộp", dossier.missing_documents)
    if action == "recommend":
        return _incomplete_message("Chưa thể đề nghị công nhận", dossier.missing_documents) or _unmet_message(result)
    return ""


def _incomplete_message(lead, missing) -> str:
    return f"{lead}: hồ sơ còn thiếu " + ", ".join(missing) + "." if missing else ""


def criterion_name(item) -> str:
    """'Điều 4 khoản 1 (100% hộ gia đình cư trú …)': references repeat, so a few words of the text follow."""
    text = item.criterion.text
    short = text if len(text) <= 80 else text[:80].rsplit(" ", 1)[0] + " …"
    return f"{item.criterion.reference} ({short.rstrip('.')})"


def _unmet_message(result) -> str:
    if result.is_met:
        return ""
    if not result.items:
        return "Chưa thể đề nghị công nhận: chưa có tiêu chí nào áp dụng cho loại đơn vị này."
    parts = []
    if result.failed:
        parts.append("tiêu chí không đạt: " + "; ".join(criterion_name(i) for i in result.failed))
    if result.unknown:
        parts.append("tiêu chí chưa được xác nhận: " + "; ".join(criterion_name(i) for i in result.unknown))
    return "Chưa thể đề nghị công nhận — " + ". ".join(parts) + "."


def overdue_notice(dossier, today=None) -> str:
    """What the person should know before acting on a dossier whose current deadline has passed, or ""."""
    today = today or timezone.localdate()
    field = DUE_FIELD_BY_STATUS.get(dossier.status)
    due = dossier.due_date
    if field is None or due is None or today <= due:
        return ""
    return OVERDUE_WORDS[field].format(due=f"{due:%d/%m/%Y}")


def _refuse_unless_complete(dossier):
    message = _incomplete_message("Chưa thể nộp", dossier.missing_documents)
    if message:
        raise Refused(message)


def _refuse_unless_met(dossier, user):
    fresh = Dossier.objects.with_facts().get(pk=dossier.pk)
    result = checklist(fresh)
    message = _incomplete_message("Chưa thể đề nghị công nhận", fresh.missing_documents) or _unmet_message(result)
    if message:
        raise Refused(message)
    # Keep the evidence as it stood when the standing office recommended the unit.
    now = timezone.now()
    for item in result.items:
        if item.criterion.is_automatic:
            CriterionCheck.objects.update_or_create(
                dossier=dossier,
                criterion=item.criterion,
                defaults={
                    "outcome": item.outcome,
                    "evidence": item.evidence[:300],
                    "evidence_url": item.evidence_url,
                    "confirmed_by": user,
                    "confirmed_at": now,
                },
            )


def people_to_notify(dossier, action):
    unit = dossier.unit
    people = list(notify.people_with_roles([unit.pk], [Role.UNIT_HEAD, Role.POLICE_CLERK]))
    if unit.parent_id:
        people += list(notify.people_with_roles([unit.parent_id], [Role.POLICE_CLERK]))
    recognising_id = dossier.level_ids[1]
    if action == "recommend" and recognising_id:
        people += list(notify.people_with_roles([recognising_id], [Role.CHAIRMAN]))
    return people


def reviewers(dossier):
    """The standing office of the level the dossier was submitted to, kept to those with the review
    permission on it, so the list follows the permission wherever review authority is set."""
    reviewing_id = dossier.level_ids[0]
    if reviewing_id is None:
        return []
    candidates = notify.people_with_roles([reviewing_id], [Role.STEERING_OFFICE])
    return [u for u in candidates if u.has_perm(REVIEW, dossier)]


def transition(dossier, action, user, *, reason="", decision=None):
    """Move a dossier by `action`; return the fresh row or raise Refused (nothing written).

    Side effects in one transaction: the row is locked and re-checked; submitting needs the required
    documents, stamps `submitted_at` and, the first time, the reviewing and recognising units; returning
    or not recommending keeps the reason on the dossier; recommending needs the required documents and a
    met checklist (the refusal names what is missing or failing) and stores its evidence; recognising needs
    the decision that does it; one audit row. Notifications are queued for after commit: to the reviewers
    when the dossier arrives or comes back, to the unit and the clerks on the outcomes.
    """
    if action == "recognise" and decision is None:
        raise Refused("Việc công nhận được thực hiện bằng cách ban hành quyết định công nhận.")

    def before(locked, t):
        if t.action == "submit":
            _refuse_unless_complete(locked)
            locked.submitted_at = timezone.now()
            if locked.reviewing_unit_id is None:
                levels = levels_for(locked.unit)
                locked.reviewing_unit, locked.recognising_unit = levels.reviewing, levels.recognising
            receipts.assign(locked)
            lineage.keep_names(locked)
        elif t.action in ("return", "not_recommend", "refuse"):
            locked.return_reason = reason.strip()
        elif t.action == "recommend":
            _refuse_unless_met(locked, user)
        elif t.action == "recognise":
            if locked.level_ids[1] != decision.issuer_id or locked.year_id != decision.year_id:
                raise Refused(f"Hồ sơ của {locked.unit} không thuộc thẩm quyền của quyết định này.")
            locked.decision = decision

    def after(locked, t):
        arrival = ARRIVAL_NOTICES.get(t.source) if t.action == "submit" else None
        if arrival:
            notify.notify(
                reviewers(locked),
                title=arrival.format(unit=locked.unit),
                url=reverse("dossiers:detail", args=[locked.public_id]),
            )
        title = NOTICES.get(t.action)
        if title:
            notify.notify(
                people_to_notify(locked, t.action),
                title=title.format(unit=locked.unit),
                body=reason.strip(),
                url=reverse("dossiers:detail", args=[locked.public_id]),
            )

    return workflow.perform(dossier, action, user, reason=reason, before=before, after=after)
