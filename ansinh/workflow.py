"""The transition machinery shared by registrations and dossiers.

Each app declares its table of `Transition`s as data; `perform` is the only code that assigns a state.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from ansinh import audit
from ansinh.errors import Refused
from ansinh.forms import clean_reason


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    permission: str
    label: str
    reason_required: bool = False
    style: str = "primary"
    extra: dict = field(default_factory=dict)


class Workflow:
    """`noun` names the thing in refusals ("bản đăng ký", "hồ sơ"), as a person would say it."""

    def __init__(self, model, transitions: Iterable[Transition], *, noun: str, state_field="status"):
        self.model = model
        self.noun = noun
        self.state_field = state_field
        self.table = {(t.source, t.action): t for t in transitions}

    def state_label(self, state):
        return dict(self.model._meta.get_field(self.state_field).choices).get(state, state)

    def find(self, state, action):
        return self.table.get((state, action))

    def available(self, obj, user):
        """Transitions this person may take now, for the buttons on a page."""
        state = getattr(obj, self.state_field)
        return [t for (source, _), t in self.table.items() if source == state and user.has_perm(t.permission, obj)]

    def perform(
        self,
        obj,
        action: str,
        user,
        *,
        reason: str = "",
        before: Callable | None = None,
        after: Callable | None = None,
    ):
        """Move `obj` by `action` and return the fresh row; raises Refused (nothing written).

        Side effects, all in one transaction: the row is re-read under a lock, `before(locked, t)` may
        refuse or set more fields, the state is written, one audit row is added, `after(locked, t)`
        runs (notifications are queued there with on_commit).
        """
        reason = clean_reason(reason)
        with transaction.atomic():
            locked = self.model.objects.select_for_update().get(pk=obj.pk)
            state = getattr(locked, self.state_field)
            t = self.find(state, action)
            if t is None:
                raise Refused(
                    f"Không thể thực hiện thao tác này khi {self.noun} đang ở trạng thái «{self.state_label(state)}»."
                    if any(a == action for (_, a) in self.table)
                    else "Thao tác không hợp lệ."
                )
            if not user.has_perm(t.permission, locked):
                raise Refused("Bạn không có quyền thực hiện thao tác này đối với đơn vị này.")
            if t.reason_required and not reason:
                raise Refused("Vui lòng ghi rõ lý do.")
            if before is not None:
                before(locked, t)
            setattr(locked, self.state_field, t.target)
            locked.save()
            audit.record(
                locked, actor=user, action=t.action, label=t.label, from_state=state, to_state=t.target, reason=reason
            )
            if after is not None:
                after(locked, t)
        return locked
