"""Changes to the unit tree a person makes in the portal: add, edit, archive. Each function checks the
permission on the locked row, writes, and leaves one audit row, in one transaction; it refuses with
ansinh.errors.Refused (a Vietnamese message, nothing written). The Excel import lives in units.importing."""

from django.db import transaction
from django.utils import timezone

from ansinh import audit
from ansinh.errors import Refused
from units.forms import UnitForm
from units.models import Unit

# What a person edits on a unit, as its form shows it; the audit row keeps the old and new values of these.
AUDITED_FIELDS = [*UnitForm.Meta.fields, "households", "staff"]


def create_unit(*, unit, user):
    """Save the unsaved `unit` (its parent set) added by `user`. Side effects: the Unit row and one audit row."""
    if not user.has_perm("units.add_child", unit.parent):
        raise Refused("Bạn không có quyền thêm đơn vị vào đây.")
    with transaction.atomic():
        unit.save()
        audit.record(unit, actor=user, action="create", label="Thêm đơn vị")
    return unit


def edit_unit(*, unit, user):
    """Save the edited `unit` (an instance whose fields a form has changed). Side effects: the row is
    locked and written, one audit row with each changed field's old and new value."""
    with transaction.atomic():
        before = Unit.objects.select_for_update(of=("self",)).select_related("kind", "parent").get(pk=unit.pk)
        if not user.has_perm("units.change_unit", before):
            raise Refused("Bạn không có quyền sửa đơn vị này.")
        changes = audit.diff(before, unit, AUDITED_FIELDS)
        unit.save()
        audit.record(unit, actor=user, action="edit", label="Sửa thông tin đơn vị", changes=changes)
    return unit


def archive_unit(*, unit, user, reason: str):
    """Stop following a unit (merged, dissolved); units are never deleted, so their registrations and
    dossiers stay readable. Side effects: `archived_at` set on the locked row, one audit row with the reason."""
    reason = (reason or "").strip()
    if unit.parent_id is None:
        raise Refused("Không thể ngừng theo dõi đơn vị cấp cao nhất.")
    if not reason:
        raise Refused("Vui lòng ghi lý do ngừng theo dõi đơn vị (ví dụ: sáp nhập, giải thể).")
    with transaction.atomic():
        locked = Unit.objects.select_for_update(of=("self",)).select_related("kind", "parent").get(pk=unit.pk)
        if not user.has_perm("units.change_unit", locked):
            raise Refused("Bạn không có quyền sửa đơn vị này.")
        locked.archived_at = timezone.now()
        Unit.objects.filter(pk=locked.pk).update(archived_at=locked.archived_at)
        audit.record(locked, actor=user, action="archive", label="Ngừng theo dõi đơn vị", reason=reason)
    return locked
