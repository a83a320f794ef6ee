"""Dossiers and decisions waiting for a person: returned dossiers for the unit's head, dossiers to review
for the standing office, to decide for the chairman, decisions to print for the records clerk.

`at_desk` is the review desk's own selection, so the home page and the desk always list the same rows."""

from django.urls import reverse

from ansinh import access
from ansinh.queues import Item, build
from dossiers.models import Decision, Dossier, DossierStatus
from units.models import Role

S = DossierStatus
TO_REVIEW = (S.SUBMITTED, S.IN_REVIEW)
# A dossier belongs to its unit and to the levels it was submitted to.
DOSSIER_PLACES = ("unit", "reviewing_unit", "recognising_unit")


def at_desk(queryset, user, *roles):
    """Dossiers submitted to, or recommended for recognition at, the levels where the person holds one of
    `roles` (the review desk's rows)."""
    return access.scope_any(queryset, user, *DOSSIER_PLACES).on_desk_of(access.unit_ids_at(user, *roles))


def by_due(queryset):
    """Oldest deadline of the dossier's current step first, each row carrying its `due_on`."""
    return queryset.with_deadlines().select_related("unit", "year").by_due_date()


def returned_to(user):
    units = access.units_at(user, Role.UNIT_HEAD)
    return access.scope(Dossier.objects.filter(unit__in=units, status=S.RETURNED), user)


def to_review(user):
    levels = access.unit_ids_at(user, Role.STEERING_OFFICE)
    return access.scope_any(
        Dossier.objects.filter(reviewing_unit__in=levels, status__in=TO_REVIEW), user, *DOSSIER_PLACES
    )


def to_decide(user):
    levels = access.unit_ids_at(user, Role.CHAIRMAN)
    return access.scope_any(
        Dossier.objects.filter(recognising_unit__in=levels, status=S.RECOMMENDED), user, *DOSSIER_PLACES
    )


def to_print(user):
    """Decisions of the bodies where the person keeps the records, not yet marked printed."""
    issuers = access.units_at(user, Role.RECORDS_CLERK)
    qs = Decision.objects.filter(issuer__in=issuers, printed_at__isnull=True)
    return access.scope(qs, user, unit_field="issuer")


def oldest_first(queryset):
    return queryset.select_related("issuer").order_by("issued_on", "number")


def _dossier_item(dossier, note=""):
    return Item(
        title=f"{dossier.unit.name} · hồ sơ năm {dossier.year.number}",
        url=reverse("dossiers:detail", args=[dossier.public_id]),
        due=dossier.due_on,
        note=note,
    )


def _decision_item(decision):
    return Item(
        title=f"Quyết định số {decision.number_label} ngày {decision.issued_on:%d/%m/%Y}",
        url=reverse("dossiers:decision_detail", args=[decision.public_id]),
        action_url=reverse("dossiers:decision_pdf", args=[decision.public_id]),
        action_label="In",
    )


def for_user(user):
    queues = []
    if access.holds(user, Role.UNIT_HEAD):
        queues.append(
            build(
                "Hồ sơ được yêu cầu bổ sung",
                returned_to(user),
                lambda d: _dossier_item(d, f"Nội dung cần bổ sung: {d.return_reason}"),
                url=reverse("dossiers:list"),
                order=by_due,
                style="warning",
            )
        )
    if access.holds(user, Role.STEERING_OFFICE):
        queues.append(
            build(
                "Hồ sơ chờ thẩm định", to_review(user), _dossier_item, url=reverse("dossiers:review_desk"), order=by_due
            )
        )
    if access.holds(user, Role.CHAIRMAN):
        queues.append(
            build(
                "Hồ sơ chờ quyết định công nhận",
                to_decide(user),
                _dossier_item,
                url=reverse("dossiers:decision_list"),
                order=by_due,
            )
        )
    if access.holds(user, Role.RECORDS_CLERK):
        queues.append(
            build(
                "Quyết định chờ in",
                to_print(user),
                _decision_item,
                url=reverse("dossiers:decision_list"),
                order=oldest_first,
            )
        )
    return queues
