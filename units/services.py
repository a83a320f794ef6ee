"""Changes to the unit tree and to people's roles a person makes in the portal: add, edit, archive and
move units, grant and revoke roles. Each function checks the permission on the locked row, writes, and
leaves one audit row, in one transaction; it refuses with ansinh.errors.Refused (a Vietnamese message,
nothing written). The Excel import lives in units.importing."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ansinh import access, audit
from ansinh.errors import Refused
from ansinh.forms import clean_reason, text_problem
from ansinh.text import fold
from units.forms import UnitForm
from units.models import ADMINISTRATIVE_CATEGORIES, Category, Role, RoleAssignment, Unit

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
    if unit.parent_id is None:
        raise Refused("Không thể ngừng theo dõi đơn vị cấp cao nhất.")
    reason = clean_reason(
        reason, required_message="Vui lòng ghi lý do ngừng theo dõi đơn vị (ví dụ: sáp nhập, giải thể)."
    )
    with transaction.atomic():
        locked = Unit.objects.select_for_update(of=("self",)).select_related("kind", "parent").get(pk=unit.pk)
        if not user.has_perm("units.change_unit", locked):
            raise Refused("Bạn không có quyền sửa đơn vị này.")
        locked.archived_at = timezone.now()
        Unit.objects.filter(pk=locked.pk).update(archived_at=locked.archived_at)
        audit.record(locked, actor=user, action="archive", label="Ngừng theo dõi đơn vị", reason=reason)
    return locked


SEARCH_LIMIT = 20
# An administrator may not revoke these from themselves (the portal would lose its last way in).
ADMINISTERING_ROLES = (Role.ADMIN,)


def administered_units(user):
    """Units under the places where the person is Quản trị (everything for a superuser)."""
    if user.is_superuser:
        return Unit.objects.all()
    return access.units_where(user, Role.ADMIN)


def search_units(user, text, *, administrative=False):
    """Units the person administers whose name contains `text` (any case, with or without diacritics)."""
    text = fold(text or "")
    if not text:
        return Unit.objects.none()
    units = administered_units(user).filter(search_name__contains=text).select_related("kind", "parent")
    if administrative:
        units = units.filter(kind__category__in=ADMINISTRATIVE_CATEGORIES)
    return units.order_by("depth", "search_name")[:SEARCH_LIMIT]


def search_users(text):
    """Active accounts whose user name or full name contains `text`."""
    text = (text or "").strip()
    if not text:
        return get_user_model().objects.none()
    users = get_user_model().objects.filter(is_active=True)
    q = Q(username__icontains=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text)
    return users.filter(q).order_by("username")[:SEARCH_LIMIT]


def user_by_username(username):
    """The active account named `username`; Refused when there is none."""
    user = get_user_model().objects.filter(is_active=True, username=(username or "").strip()).first()
    if user is None:
        raise Refused("Không tìm thấy người dùng đã chọn.")
    return user


def move_unit(*, unit, new_parent, actor, reason=""):
    """Give `unit` a new managing unit; everything under it moves along.

    Side effects in one transaction: the unit row is locked, its parent changes and the paths of its
    subtree are rewritten (Unit.save); one audit row keeps the old and the new managing unit. Dossiers
    already submitted keep the reviewing and recognising units stored on them."""
    if not (actor.has_perm("units.move_unit", unit) and actor.has_perm("units.move_unit", new_parent)):
        raise Refused("Chỉ quản trị của cả hai nơi mới chuyển được đơn vị.")
    if not new_parent.kind.is_administrative:
        raise Refused(f"{new_parent} không quản lý đơn vị nào (chỉ tỉnh, huyện, xã mới là đơn vị quản lý).")
    if new_parent.is_under(unit):
        raise Refused(f"Không thể chuyển {unit} vào chính nó hoặc một đơn vị thuộc nó.")
    if unit.kind.category == Category.COMMUNE and new_parent.kind.category == Category.COMMUNE:
        raise Refused("Một xã không thể thuộc một xã khác.")
    if unit.parent_id == new_parent.pk:
        raise Refused(f"{unit} đã thuộc {new_parent}.")
    if Unit.objects.filter(parent=new_parent, name=unit.name).exists():
        raise Refused(f"{new_parent} đã có một đơn vị tên «{unit.name}».")
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        old_parent = locked.parent
        locked.parent = new_parent
        locked.save()
        audit.record(
            locked,
            actor=actor,
            action="move",
            label="Chuyển đơn vị quản lý",
            reason=clean_reason(reason),
            changes={"parent": (old_parent, new_parent)},
        )
    return locked


def grant_role(*, user, role, unit, title, actor):
    """Give `user` the `role` at `unit` (re-activating an old grant of the same role there).

    Side effects in one transaction: one RoleAssignment row written and one audit row."""
    problem = text_problem(title, max_length=RoleAssignment._meta.get_field("title").max_length)
    if problem:
        raise Refused(f"Chức danh: {problem}")
    if not actor.has_perm("units.grant_role", unit):
        raise Refused("Bạn chỉ phân quyền được tại đơn vị thuộc phạm vi quản trị của mình.")
    if role not in Role.values:
        raise Refused("Vai trò không hợp lệ.")
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.select_for_update().get_or_create(
            user=user, role=role, unit=unit, defaults={"title": title}
        )
        if not created and assignment.is_active and assignment.title == title:
            raise Refused(f"{user.get_username()} đã có vai trò này tại {unit}.")
        before = {
            "is_active": assignment.is_active if not created else False,
            "title": "" if created else assignment.title,
        }
        assignment.is_active, assignment.title = True, title
        assignment.save(update_fields=["is_active", "title"])
        audit.record(
            assignment,
            actor=actor,
            unit=unit,
            action="grant",
            label=f"Phân quyền {assignment.get_role_display()} cho {user.get_username()}",
            changes=audit.diff(before, {"is_active": True, "title": title}, ["is_active", "title"]),
        )
    return assignment


def revoke_role(*, assignment, actor, reason=""):
    """Side effects in one transaction: the grant is kept but no longer active; one audit row."""
    if not actor.has_perm("units.grant_role", assignment.unit):
        raise Refused("Bạn chỉ thu hồi được quyền tại đơn vị thuộc phạm vi quản trị của mình.")
    if assignment.user_id == actor.pk and assignment.role in ADMINISTERING_ROLES:
        raise Refused("Không thể tự thu hồi quyền quản trị của chính mình.")
    with transaction.atomic():
        RoleAssignment.objects.filter(pk=assignment.pk).update(is_active=False)
        audit.record(
            assignment,
            actor=actor,
            unit=assignment.unit,
            action="revoke",
            label=f"Thu hồi quyền {assignment.get_role_display()} của {assignment.user.get_username()}",
            reason=clean_reason(reason),
            changes={"is_active": (True, False)},
        )
