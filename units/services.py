"""Changes to the tree and to people's roles that the administrator makes from the portal."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from ansinh import access, audit
from ansinh.errors import Refused
from ansinh.text import fold
from units.models import ADMINISTRATIVE_CATEGORIES, Category, Role, RoleAssignment, Unit

SEARCH_LIMIT = 20


def administered_units(user):
    """Units under the places where the person is Quản trị (everything for a superuser)."""
    if user.is_superuser:
        return Unit.objects.all()
    paths = [g.path for g in access.grants(user) if g.role == Role.ADMIN]
    if not paths:
        return Unit.objects.none()
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return Unit.objects.filter(q)


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
            reason=reason.strip(),
            changes={"parent": (old_parent, new_parent)},
        )
    return locked


def grant_role(*, user, role, unit, title, actor):
    """Give `user` the `role` at `unit` (re-activating an old grant of the same role there).

    Side effects in one transaction: one RoleAssignment row written and one audit row."""
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
    if assignment.user_id == actor.pk and assignment.role == Role.ADMIN:
        raise Refused("Không thể tự thu hồi quyền quản trị của chính mình.")
    with transaction.atomic():
        RoleAssignment.objects.filter(pk=assignment.pk).update(is_active=False)
        audit.record(
            assignment,
            actor=actor,
            unit=assignment.unit,
            action="revoke",
            label=f"Thu hồi quyền {assignment.get_role_display()} của {assignment.user.get_username()}",
            reason=reason.strip(),
            changes={"is_active": (True, False)},
        )
