"""The official 2025 commune mergers recorded from the published dataset: a new commune is linked to the
old communes it was formed from, and their recognitions before the merger count in its history and streak."""

import datetime

from django.core.management import call_command
from django.urls import reverse

from ansinh.models import AuditEvent
from registrations.services import open_year
from tests.units.test_lineage import recognise
from units.divisions import record_2025_mergers
from units.lineage import predecessors, recognition_history, recognition_streak
from units.models import LineageKind, Unit, UnitLineage

# Nghị quyết of the Standing Committee on Gia Lai's communes: Xã Kon Gang (23701) was formed from these
# four communes of the former Đak Đoa district.
KON_GANG_BEFORE_2025 = {
    "Xã Đak Krong (cũ, huyện Đak Đoa)",
    "Xã Kon Gang (cũ, huyện Đak Đoa)",
    "Xã Nam Yang (cũ, huyện Đak Đoa)",
    "Xã Hneng (cũ, huyện Đak Đoa)",
}


def test_kon_gang_is_linked_to_the_four_communes_it_was_formed_from(kon_gang):
    assert record_2025_mergers("Gia Lai", commune_codes=["23701"]) == (4, 4)

    links = UnitLineage.objects.filter(successor=kon_gang).select_related("predecessor")
    assert {link.predecessor.name for link in links} == KON_GANG_BEFORE_2025
    assert {(link.kind, link.effective_on) for link in links} == {(LineageKind.MERGED, datetime.date(2025, 7, 1))}
    old_kon_gang = next(link for link in links if link.predecessor.name.startswith("Xã Kon Gang"))
    assert "mã cũ 23689" in old_kon_gang.note
    # The old communes are no longer followed and sit in the same province as their successor.
    assert all(link.predecessor.archived_at is not None for link in links)
    assert {link.predecessor.parent_id for link in links} == {kon_gang.parent_id}


def test_recording_again_changes_nothing(kon_gang):
    record_2025_mergers("Gia Lai", commune_codes=["23701"])
    units = Unit.objects.count()

    assert record_2025_mergers("Gia Lai", commune_codes=["23701"]) == (0, 0)
    assert Unit.objects.count() == units
    assert UnitLineage.objects.count() == 4


def test_an_old_communes_recognition_counts_in_the_new_communes_history(
    client, clerk, province, kon_gang, province_chairman, province_steering_office
):
    record_2025_mergers("Gia Lai", commune_codes=["23701"])
    old = Unit.objects.get(name="Xã Kon Gang (cũ, huyện Đak Đoa)")
    assert old in predecessors(kon_gang)
    recognise([old], open_year(province, 2024), province_chairman, province, datetime.date(2024, 11, 20))
    recognise([kon_gang], open_year(province, 2025), province_chairman, province, datetime.date(2025, 11, 20))

    history = recognition_history(kon_gang)
    assert [(r.year, r.unit_name, r.inherited) for r in history] == [
        (2025, "Xã Kon Gang", False),
        (2024, "Xã Kon Gang (cũ, huyện Đak Đoa)", True),
    ]
    assert recognition_streak(history) == 2
    client.force_login(clerk)
    page = client.get(reverse("units:detail", args=[kon_gang.public_id])).content.decode()
    for expected in KON_GANG_BEFORE_2025 | {"01/07/2025"}:
        assert expected in page
    # The old commune is archived in the province, outside the commune clerk's tree: named, not linked.
    old_page = reverse("units:detail", args=[old.public_id])
    assert old_page not in page
    assert client.get(old_page).status_code == 404
    client.force_login(province_steering_office)
    assert old_page in client.get(reverse("units:detail", args=[kon_gang.public_id])).content.decode()
    assert client.get(old_page).status_code == 200


def test_the_command_records_mergers_for_a_province_it_imports(db):
    call_command("import_divisions", province="Gia Lai", mergers=True)

    kon_gang = Unit.objects.get(code="23701")
    assert {u.name for u in predecessors(kon_gang)} == KON_GANG_BEFORE_2025
    # Every old commune of Gia Lai and Bình Định (merged into Gia Lai) went somewhere, and is archived.
    old = Unit.objects.filter(name__contains="(cũ, ")
    assert old.count() > 300
    assert not old.filter(archived_at__isnull=True).exists()
    assert not old.filter(successor_links__isnull=True).exists()
    # Divided communes too: each old commune's archiving is in the trail.
    assert old.filter(successor_links__kind=LineageKind.SPLIT).exists()
    archived = AuditEvent.objects.filter(action="archive", unit__in=old).values_list("unit", flat=True)
    assert sorted(archived) == sorted(old.values_list("pk", flat=True))
