"""Units across mergers and splits: recording that units merged into (or were split from) others on a date,
walking those links back, and the recognition history that follows them.

A link says: from `effective_on`, the predecessor lives on in the successor. The successor's history holds
the predecessor's years before that date, under the predecessor's own name of the time.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ansinh import access, audit
from ansinh.errors import Refused
from units.models import LineageKind, Unit, UnitLineage


def keep_names(obj):
    """Keep the unit's name and managing unit on a registration or dossier at its first submission (a later
    merger or renaming does not rewrite the past). Call on the locked row inside the submit transition."""
    if not obj.unit_name:
        obj.unit_name = obj.unit.name
        obj.unit_parent_id = obj.unit.parent_id


def predecessors(unit) -> dict:
    """Every unit `unit` descends from, with the date until which its own years count: {Unit: date}.
    Walks the links level by level (one query per level); a unit reached twice keeps the later date."""
    found: dict[Unit, datetime.date] = {}
    frontier = {unit.pk: datetime.date.max}
    seen = {unit.pk}
    while frontier:
        links = UnitLineage.objects.filter(successor_id__in=frontier).select_related("predecessor")
        next_frontier = {}
        for link in links:
            until = min(link.effective_on, frontier[link.successor_id])
            previous = found.get(link.predecessor)
            if previous is None or until > previous:
                found[link.predecessor] = until
            if link.predecessor_id not in seen:
                seen.add(link.predecessor_id)
                next_frontier[link.predecessor_id] = until
        frontier = next_frontier
    return found


# Outcomes that close a year: the chairman recognised the unit or refused to.
FINAL_STATES = ("recognised", "refused")


@dataclass(frozen=True)
class HistoryRow:
    year: int
    unit: Unit
    unit_name: str
    status: str
    status_label: str
    decision: object
    inherited: bool

    @property
    def is_recognised(self):
        return self.status == "recognised"


def recognition_history(unit) -> list[HistoryRow]:
    """The recognition dossiers of `unit` and of its predecessors (for the years before each link took
    effect, or a recognition decided before that date), newest year first. Two queries plus one per
    level of links."""
    from dossiers.models import Dossier

    earlier = predecessors(unit)
    condition = Q(unit=unit)
    for predecessor, until in earlier.items():
        condition |= Q(unit=predecessor) & (Q(year__number__lt=until.year) | Q(decision__issued_on__lt=until))
    dossiers = (
        Dossier.objects.filter(condition)
        .select_related("unit", "year", "decision")
        .order_by("-year__number", "unit__name")
    )
    return [
        HistoryRow(
            year=d.year.number,
            unit=d.unit,
            unit_name=d.unit_name or d.unit.name,
            status=d.status,
            status_label=d.get_status_display(),
            decision=d.decision,
            inherited=d.unit_id != unit.pk,
        )
        for d in dossiers
    ]


def recognition_streak(history: list[HistoryRow]) -> int:
    """Consecutive years, back from the newest decided year in `history`, in which every dossier of the
    unit and its predecessors was recognised (a year without any dossier ends the streak). Years still
    under way at the top (no dossier recognised or refused yet) neither count nor break it."""
    by_year: dict[int, list[HistoryRow]] = {}
    for row in history:
        by_year.setdefault(row.year, []).append(row)
    decided = [y for y, rows in by_year.items() if any(r.status in FINAL_STATES for r in rows)]
    if not decided:
        return 0
    streak, year = 0, max(decided)
    while year in by_year and all(row.is_recognised for row in by_year[year]):
        streak += 1
        year -= 1
    return streak


def record(*, predecessor, successor, kind, effective_on, note="", user) -> UnitLineage:
    """Record that `predecessor` merged into `successor` (kind MERGED) or that `successor` was split from
    `predecessor` (kind SPLIT) on `effective_on`.

    Refuses (nothing written) a link to the unit itself, one already recorded, or one that would make a unit
    its own predecessor. Side effects in one transaction: the link row; an audit row on both units; a merged
    predecessor stops being followed (archived) with its own audit row."""
    if predecessor.pk == successor.pk:
        raise Refused("Không thể ghi nhận đơn vị sáp nhập hoặc tách từ chính nó.")
    if effective_on > timezone.localdate():
        raise Refused("Ngày có hiệu lực không được sau ngày hôm nay.")
    with transaction.atomic():
        # Lock both units in a fixed order so two clerks recording the same pair cannot cross.
        list(Unit.objects.select_for_update().filter(pk__in=[predecessor.pk, successor.pk]).order_by("pk"))
        if UnitLineage.objects.filter(predecessor=predecessor, successor=successor).exists():
            raise Refused(f"Đã ghi nhận quan hệ giữa {predecessor} và {successor}.")
        if successor in predecessors(predecessor):
            raise Refused(f"{successor} đã là đơn vị trước của {predecessor}; không thể ghi nhận ngược lại.")
        link = UnitLineage.objects.create(
            predecessor=predecessor,
            successor=successor,
            kind=kind,
            effective_on=effective_on,
            note=note.strip(),
            recorded_by=user,
        )
        when = f"từ ngày {effective_on:%d/%m/%Y}"
        if kind == LineageKind.MERGED:
            text_successor, text_predecessor = f"{predecessor} sáp nhập vào", f"Sáp nhập vào {successor}"
        else:
            text_successor, text_predecessor = f"Tách ra từ {predecessor}", f"Chia tách, thành lập {successor}"
        audit.record(successor, actor=user, action="lineage", label=f"{text_successor} {when}", reason=note)
        audit.record(predecessor, actor=user, action="lineage", label=f"{text_predecessor} {when}", reason=note)
        if kind == LineageKind.MERGED:
            stop_following(predecessor, user=user, reason=f"Sáp nhập vào {successor}")
    return link


def stop_following(unit, *, user, reason):
    """Archive a unit that lives on in others (call inside the transaction that linked it), with its own
    audit row; one already archived is left as it is."""
    if Unit.objects.filter(pk=unit.pk, archived_at__isnull=True).update(archived_at=timezone.now()):
        audit.record(unit, actor=user, action="archive", label="Ngừng theo dõi đơn vị", reason=reason)


@dataclass
class Lineage:
    """What the unit page shows: where the unit came from, where it went, and its history."""

    predecessor_links: list
    successor_links: list
    history: list
    streak: int
    # Linked units the viewer may open; the others are named without a link (an old commune archived
    # in the province is outside a commune clerk's tree, though its years show in the history).
    visible_ids: set


def for_unit_page(unit, user) -> Lineage:
    history = recognition_history(unit)
    predecessor_links = list(unit.predecessor_links.select_related("predecessor__kind"))
    successor_links = list(unit.successor_links.select_related("successor__kind"))
    linked = [link.predecessor for link in predecessor_links] + [link.successor for link in successor_links]
    return Lineage(
        predecessor_links=predecessor_links,
        successor_links=successor_links,
        history=history,
        streak=recognition_streak(history),
        visible_ids={u.pk for u in linked if access.sees(user, u)},
    )
