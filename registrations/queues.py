"""Registrations waiting for a person: returned ones for the unit's head, submitted ones for the clerk who
receives them. Oldest deadline first."""

from django.db.models import F, OuterRef, Subquery
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
    units = access.units_at(user, Role.UNIT_HEAD)
    qs = Registration.objects.filter(unit__in=units, status=Registration.Status.RETURNED, year__is_open=True)
    return access.scope(qs, user)


def to_receive(user):
    """Submitted registrations of units managed where the person is the commune police clerk."""
    clerk_units = access.units_where(user, Role.POLICE_CLERK)
    qs = Registration.objects.filter(
        unit__parent__in=clerk_units, status=Registration.Status.SUBMITTED, year__is_open=True
    )
    return access.scope(qs, user)


def _item(reg, note=""):
    return Item(
        title=f"{reg.unit.name} · đăng ký năm {reg.year.number}",
        url=reverse("registrations:detail", args=[reg.public_id]),
        due=reg.due_on,
        note=note,
    )


def for_user(user):
    queues = []
    if access.holds(user, Role.UNIT_HEAD):
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
    if access.holds(user, Role.POLICE_CLERK):
        queues.append(
            build(
                "Bản đăng ký chờ tiếp nhận", to_receive(user), _item, url=reverse("registrations:index"), order=by_due
            )
        )
    return queues
