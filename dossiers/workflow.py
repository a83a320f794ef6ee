"""The dossier's states and the only function that changes them.

nháp → đã nộp → đang thẩm định → (yêu cầu bổ sung → đã nộp) → đề nghị công nhận | không đề nghị
→ đã công nhận (only by issuing a decision) | không công nhận.
"""

from django.urls import reverse
from django.utils import timezone

from ansinh import notify, receipts
from ansinh.workflow import Transition, TransitionRefused, Workflow
from dossiers.criteria import checklist
from dossiers.models import CriterionCheck, Dossier, DossierStatus
from units import lineage
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

workflow = Workflow(Dossier, TRANSITIONS)

# Who hears about which outcome (TT124: the unit and the commune police follow their dossier).
NOTICES = {
    "return": "Hồ sơ của {unit} được yêu cầu bổ sung",
    "recommend": "Hồ sơ của {unit} được đề nghị công nhận",
    "not_recommend": "Hồ sơ của {unit} không được đề nghị công nhận",
    "recognise": "{unit} đã được công nhận đạt tiêu chuẩn",
    "refuse": "{unit} không được công nhận đạt tiêu chuẩn",
}


def available_actions(dossier, user):
    """Buttons for the dossier page; recognition happens on the decision page, not here."""
    return [t for t in workflow.available(dossier, user) if not t.extra.get("by_decision")]


def _refuse_unless_complete(dossier):
    missing = dossier.missing_documents
    if missing:
        raise TransitionRefused("Chưa thể nộp: hồ sơ còn thiếu " + ", ".join(missing) + ".")


def _refuse_unless_met(dossier, user):
    fresh = Dossier.objects.with_facts().get(pk=dossier.pk)
    result = checklist(fresh)
    if not result.is_met:
        raise TransitionRefused(
            f"Chưa thể đề nghị công nhận: {len(result.failed)} tiêu chí không đạt, "
            f"{len(result.unknown)} tiêu chí chưa được xác nhận."
        )
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
        if action == "recommend":
            people += list(notify.people_with_roles([unit.parent_id], [Role.CHAIRMAN]))
    return people


def transition(dossier, action, user, *, reason="", decision=None):
    """Move a dossier by `action`; return the fresh row or raise TransitionRefused (nothing written).

    Side effects in one transaction: the row is locked and re-checked; submitting needs the required
    documents and stamps `submitted_at`; returning or not recommending keeps the reason on the dossier;
    recommending needs a checklist that is met and stores its evidence; recognising needs the decision
    that does it; one audit row; notifications to the unit and the clerks queued for after commit.
    """
    if action == "recognise" and decision is None:
        raise TransitionRefused("Việc công nhận được thực hiện bằng cách ban hành quyết định công nhận.")

    def before(locked, t):
        if t.action == "submit":
            _refuse_unless_complete(locked)
            locked.submitted_at = timezone.now()
            receipts.assign(locked)
            lineage.keep_names(locked)
        elif t.action in ("return", "not_recommend", "refuse"):
            locked.return_reason = reason.strip()
        elif t.action == "recommend":
            _refuse_unless_met(locked, user)
        elif t.action == "recognise":
            if locked.unit.parent_id != decision.issuer_id or locked.year_id != decision.year_id:
                raise TransitionRefused(f"Hồ sơ của {locked.unit} không thuộc thẩm quyền của quyết định này.")
            locked.decision = decision

    def after(locked, t):
        title = NOTICES.get(t.action)
        if title:
            notify.notify(
                people_to_notify(locked, t.action),
                title=title.format(unit=locked.unit),
                body=reason.strip(),
                url=reverse("dossiers:detail", args=[locked.public_id]),
            )

    return workflow.perform(dossier, action, user, reason=reason, before=before, after=after)
