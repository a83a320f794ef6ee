"""Units across mergers: a clerk records that villages merged (audited); the merged unit's page lists its
predecessors and their recognitions, past years keep their own names, and streaks follow the lineage."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ansinh.models import AuditEvent
from dossiers import services
from dossiers.models import DossierStatus
from dossiers.workflow import transition
from registrations.services import open_year
from tests.dossiers.conftest import make_dossier
from tests.factories import UnitFactory, kind
from units.lineage import HistoryRow, predecessors, recognition_history, recognition_streak
from units.models import LineageKind, Unit, UnitLineage


def recognise(units, year, chairman, issuer, day):
    dossiers = [make_dossier(u, year, DossierStatus.RECOMMENDED) for u in units]
    return services.issue_decision(
        issuer=issuer,
        dossiers=dossiers,
        user=chairman,
        issued_on=day,
        signer_name="Nguyễn Văn An",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )


@pytest.fixture
def villages(kon_gang):
    old_a = UnitFactory(name="Thôn Đê Kjiêng", kind=kind("thon"), parent=kon_gang)
    old_b = UnitFactory(name="Thôn Tơ Rơng", kind=kind("thon"), parent=kon_gang)
    merged = UnitFactory(name="Thôn Hợp Nhất", kind=kind("thon"), parent=kon_gang)
    return old_a, old_b, merged


def _record(client, unit, other, day="01/07/2025", kind_value=LineageKind.MERGED):
    return client.post(
        reverse("units:lineage", args=[unit.public_id]),
        {"kind": kind_value, "other": other.pk, "effective_on": day, "note": "Nghị quyết 15/NQ-HĐND"},
    )


def test_unit_merged_in_2025_shows_its_predecessors_recognitions(client, clerk, chairman, province, kon_gang, villages):
    old_a, old_b, merged = villages
    recognise([old_a, old_b], open_year(province, 2024), chairman, kon_gang, datetime.date(2024, 11, 14))
    client.force_login(clerk)

    assert _record(client, merged, old_a).status_code == 302
    assert _record(client, merged, old_b).status_code == 302
    recognise([merged], open_year(province, 2025), chairman, kon_gang, datetime.date(2025, 11, 14))

    history = recognition_history(merged)
    assert [(r.year, r.unit_name, r.inherited, r.is_recognised) for r in history] == [
        (2025, "Thôn Hợp Nhất", False, True),
        (2024, "Thôn Tơ Rơng", True, True),
        (2024, "Thôn Đê Kjiêng", True, True),
    ]
    assert recognition_streak(history) == 2
    page = client.get(reverse("units:detail", args=[merged.public_id])).content.decode()
    for expected in ("Thôn Đê Kjiêng", "Thôn Tơ Rơng", "đơn vị trước", "Số 01/QĐ-UBND ngày 14/11/2024", "01/07/2025"):
        assert expected in page
    # The merged villages stop being followed; every step is in the audit trail.
    assert Unit.objects.filter(pk__in=[old_a.pk, old_b.pk], archived_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action="lineage").count() == 4
    predecessor_page = client.get(reverse("units:detail", args=[old_a.public_id])).content.decode()
    assert "đã sáp nhập vào" in predecessor_page


def test_a_predecessors_years_after_the_merger_do_not_count(chairman, province, kon_gang, villages, clerk):
    old_a, _, merged = villages
    UnitLineage.objects.create(
        predecessor=old_a, successor=merged, kind=LineageKind.SPLIT, effective_on=datetime.date(2025, 7, 1)
    )
    recognise([old_a], open_year(province, 2024), chairman, kon_gang, datetime.date(2024, 11, 14))
    recognise([old_a], open_year(province, 2025), chairman, kon_gang, datetime.date(2025, 11, 14))

    assert [(r.year, r.unit_name) for r in recognition_history(merged)] == [(2024, "Thôn Đê Kjiêng")]


def test_lineage_is_followed_through_several_mergers(kon_gang, villages):
    old_a, old_b, merged = villages
    UnitLineage.objects.create(
        predecessor=old_a, successor=old_b, kind=LineageKind.MERGED, effective_on=datetime.date(2020, 1, 1)
    )
    UnitLineage.objects.create(
        predecessor=old_b, successor=merged, kind=LineageKind.MERGED, effective_on=datetime.date(2025, 7, 1)
    )
    assert predecessors(merged) == {old_b: datetime.date(2025, 7, 1), old_a: datetime.date(2020, 1, 1)}


def test_past_years_keep_the_name_the_unit_had_when_it_submitted(clerk, province, villages):
    old_a, _, _ = villages
    dossier = make_dossier(old_a, open_year(province, 2024))
    dossier = transition(dossier, "submit", clerk)
    old_a.name = "Thôn Đê Kjiêng Mới"
    old_a.save()

    assert [r.unit_name for r in recognition_history(old_a)] == ["Thôn Đê Kjiêng"]
    assert dossier.unit_parent == old_a.parent


def test_a_cycle_or_a_repeat_is_refused_with_a_message(client, clerk, villages):
    old_a, _, merged = villages
    client.force_login(clerk)
    _record(client, merged, old_a, kind_value=LineageKind.SPLIT)

    repeat = _record(client, merged, old_a, kind_value=LineageKind.SPLIT)
    cycle = _record(client, old_a, merged, kind_value=LineageKind.SPLIT)

    assert "Đã ghi nhận quan hệ" in repeat.content.decode()
    assert "không thể ghi nhận ngược lại" in cycle.content.decode()
    assert UnitLineage.objects.count() == 1


def test_a_bad_date_is_refused_and_nothing_saved(client, clerk, villages):
    old_a, _, merged = villages
    client.force_login(clerk)
    for day in ("31/02/2025", "01/01/2999"):
        response = _record(client, merged, old_a, day=day)
        assert response.status_code == 200
    assert UnitLineage.objects.count() == 0
    assert "Ngày có hiệu lực không được sau ngày hôm nay." in response.content.decode()


def test_village_head_may_not_record_and_outsider_gets_404(client, village_head, outsider_clerk, villages):
    old_a, _, merged = villages
    client.force_login(village_head)
    assert _record(client, merged, old_a).status_code in (403, 404)
    client.force_login(outsider_clerk)
    assert _record(client, merged, old_a).status_code == 404
    assert UnitLineage.objects.count() == 0


def test_unit_page_shows_the_form_to_the_clerk_only(client, clerk, steering_office, villages):
    _, _, merged = villages
    client.force_login(clerk)
    assert (
        reverse("units:lineage", args=[merged.public_id])
        in client.get(reverse("units:detail", args=[merged.public_id])).content.decode()
    )
    client.force_login(steering_office)
    assert (
        reverse("units:lineage", args=[merged.public_id])
        not in client.get(reverse("units:detail", args=[merged.public_id])).content.decode()
    )


def _row(year, status):
    return HistoryRow(year, None, "", status, "", None, False)


def test_streak_skips_the_year_under_way_and_stops_at_a_gap_or_a_refusal():
    assert recognition_streak([_row(2026, "in_review"), _row(2025, "recognised"), _row(2024, "recognised")]) == 2
    assert recognition_streak([_row(2026, "recognised"), _row(2024, "recognised")]) == 1
    assert recognition_streak([_row(2026, "recognised"), _row(2025, "refused"), _row(2024, "recognised")]) == 1
    assert recognition_streak([_row(2026, "draft")]) == 0


def test_unit_page_queries_do_not_grow_with_predecessors(client, clerk, kon_gang, province, chairman, villages):
    _, _, merged = villages
    client.force_login(clerk)
    url = reverse("units:detail", args=[merged.public_id])
    year = open_year(province, 2024)

    def add_predecessor(n):
        old = UnitFactory(name=f"Thôn cũ {n}", kind=kind("thon"), parent=kon_gang)
        recognise([old], year, chairman, kon_gang, datetime.date(2024, 11, n + 1))
        UnitLineage.objects.create(
            predecessor=old, successor=merged, kind=LineageKind.MERGED, effective_on=datetime.date(2025, 7, 1)
        )

    add_predecessor(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in (2, 3, 4):
        add_predecessor(n)
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert "Thôn cũ 4" in page
    assert len(four) == len(one)
