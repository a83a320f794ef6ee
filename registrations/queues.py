"""Registrations waiting for a person: returned ones for the unit's head, submitted ones for the clerk who
receives them. Oldest deadline first."""

from functools import reduce
from operator import or_

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse

from ansinh import access
from ansinh.queues import Item, build
from registrations.models import Deadline, Registration
from units.models import Role


def by_due(queryset):
    """Oldest registration deadline first, each row carrying its `due_on`."""
    due = Deadline.objects.filter(year=OuterRef("year"), category=OuterRef("unit__kind__category"))
    return (
        queryset.annotate(due_on=Subquery(due.values("registration_due")[:1]))
        .select_related("unit", "year")
        .order_by(F("due_on").asc(nulls_last=True), "submitted_at", "unit__name")
    )


def returned_to(user):
    """Registrations of the units the person heads that were returned, with the reason."""
    units = [g.unit_id for g in access.grants(user) if g.role == Role.UNIT_HEAD]
    qs = Registration.objects.filter(unit__in=units, status=Registration.Status.RETURNED, year__is_open=True)
    return access.scope(qs, user)


def to_receive(user):
    """Submitted registrations of units managed where the person is the commune police clerk."""
    paths = [g.path for g in access.grants(user) if g.role == Role.POLICE_CLERK]
    if not paths:
        return Registration.objects.none()
    under = reduce(or_, (Q(unit__parent__path__startswith=p) for p in paths))
    qs = Registration.objects.filter(under, status=Registration.Status.SUBMITTED, year__is_open=True)
    return access.scope(qs, user)


def _item(reg, note=""):
    return Item(
        title=f"{reg.unit.name} · đăng ký năm {reg.year.number}",
        url=reverse("registrations:detail", args=[reg.public_id]),
        due=reg.due_on,
        note=note,
    )


def for_user(user):
    roles = access.roles_of(user)
    queues = []
    if Role.UNIT_HEAD in roles:
        queues.append(
            build(
                "Bản đăng ký bị trả lại",
                returned_to(user),
                lambda r: _item(r, f"Lý do: {r.return_reason}"),
                url=reverse("registrations:mine"),
                order=by_due,
                style="warning",
            )
        )
    if Role.POLICE_CLERK in roles:
        queues.append(
            build(
                "Bản đăng ký chờ tiếp nhận", to_receive(user), _item, url=reverse("registrations:index"), order=by_due
            )
        )
    return queues
