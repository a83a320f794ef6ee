import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.criteria import checklist, checklists
from dossiers.models import CheckCode, Criterion, Dossier, DossierStatus, Incident, IncidentKind, Outcome
from tests.dossiers.conftest import make_dossier, register
from tests.factories import UnitFactory, kind


def item(dossier, code):
    fresh = Dossier.objects.with_facts().get(pk=dossier.pk)
    (found,) = [i for i in checklist(fresh).items if i.criterion.check_code == code]
    return found


@pytest.fixture
def commune_dossier(kon_gang, year):
    return make_dossier(kon_gang, year)


def managed_units(kon_gang, year, *, recognised, registered=10, total=10):
    """`total` villages, agencies and schools under Kon Gang; `registered` of them registered,
    the first `recognised` of those recognised."""
    kinds = ["thon", "lang", "co-quan", "co-so-giao-duc", "doanh-nghiep"]
    for n in range(total):
        unit = UnitFactory(name=f"Đơn vị trực thuộc {n}", kind=kind(kinds[n % len(kinds)]), parent=kon_gang, staff=20)
        if n < registered:
            status = DossierStatus.RECOGNISED if n < recognised else DossierStatus.REFUSED
            make_dossier(unit, year, status, documents=False)


@pytest.mark.parametrize(
    ("recognised", "registered", "outcome"),
    [(6, 10, Outcome.FAIL), (7, 10, Outcome.PASS), (7, 9, Outcome.FAIL)],
    ids=["6-of-10-recognised", "7-of-10-recognised", "7-recognised-but-one-never-registered"],
)
def test_commune_needs_all_managed_units_registered_and_seventy_percent_recognised(
    kon_gang, year, commune_dossier, recognised, registered, outcome
):
    managed_units(kon_gang, year, recognised=recognised, registered=registered)

    found = item(commune_dossier, CheckCode.MANAGED_UNITS)

    assert found.outcome == outcome
    assert found.evidence == (
        f"{registered}/10 đơn vị trực thuộc đã đăng ký; {recognised}/10 được công nhận (cần 7, tức 70%)."
    )


def test_units_out_of_scope_and_other_years_do_not_count_toward_the_seventy_percent(
    kon_gang, year, province, commune_dossier
):
    managed_units(kon_gang, year, recognised=7)
    UnitFactory(
        name="Trường mầm non Kon Gang", kind=kind("co-so-giao-duc"), parent=kon_gang, out_of_scope="kindergarten"
    )

    assert item(commune_dossier, CheckCode.MANAGED_UNITS).outcome == Outcome.PASS


def test_disqualifying_incident_in_the_period_fails_its_item_with_a_link(village, year, clerk):
    dossier = make_dossier(village, year)
    incident = Incident.objects.create(
        unit=village,
        occurred_on=datetime.date(2026, 3, 8),
        kind=IncidentKind.FIRE_EXPLOSION,
        description="Cháy nhà kho",
        recorded_by=clerk,
    )

    found = item(dossier, CheckCode.NO_DISQUALIFYING_INCIDENT)

    assert found.outcome == Outcome.FAIL
    assert found.evidence == "1 vụ việc làm mất tiêu chuẩn trong kỳ đánh giá 01/11/2025–31/10/2026."
    assert found.evidence_url == f"/ho-so/vu-viec/{incident.public_id}/"


@pytest.mark.parametrize("day", [datetime.date(2025, 10, 31), datetime.date(2026, 11, 1)])
def test_incident_outside_the_period_does_not_fail_the_item(village, year, clerk, day):
    dossier = make_dossier(village, year)
    Incident.objects.create(
        unit=village, occurred_on=day, kind=IncidentKind.SERIOUS_CRIME, description="Trộm cắp", recorded_by=clerk
    )

    assert item(dossier, CheckCode.NO_DISQUALIFYING_INCIDENT).outcome == Outcome.PASS


def test_deleted_or_minor_incident_does_not_fail_the_item(village, year, clerk):
    dossier = make_dossier(village, year)
    Incident.objects.create(
        unit=village,
        occurred_on=datetime.date(2026, 5, 1),
        kind=IncidentKind.OTHER,
        description="Va chạm nhỏ",
        disqualifying=False,
        recorded_by=clerk,
    )
    deleted = Incident.objects.create(
        unit=village,
        occurred_on=datetime.date(2026, 5, 2),
        kind=IncidentKind.SERIOUS_CRIME,
        description="Nhầm đơn vị",
        recorded_by=clerk,
    )
    deleted.soft_delete(clerk)

    assert item(dossier, CheckCode.NO_DISQUALIFYING_INCIDENT).outcome == Outcome.PASS


def test_facts_from_the_registration_fill_the_village_checklist(village, year):
    dossier = make_dossier(village, year, registration=register(village, year, committed=140))

    assert item(dossier, CheckCode.REGISTERED_IN_WINDOW).outcome == Outcome.PASS
    full = item(dossier, CheckCode.FULL_COMMITMENT)
    assert (full.outcome, full.evidence) == (Outcome.FAIL, "140/142 hộ đăng ký, cam kết.")


def test_registration_without_party_resolution_fails_the_window_item(village, year):
    dossier = make_dossier(village, year, registration=register(village, year, documents=False))

    found = item(dossier, CheckCode.REGISTERED_IN_WINDOW)

    assert found.outcome == Outcome.FAIL
    assert found.evidence == (
        "Đăng ký ngày 01/02/2026; hạn 13/02/2026; thiếu nghị quyết của chi bộ, bản đăng ký phấn đấu."
    )


def test_checklist_is_met_only_when_the_reviewer_confirmed_the_judgement_items(village, year, steering_office):
    unconfirmed = make_dossier(village, year)
    assert checklist(Dossier.objects.with_facts().get(pk=unconfirmed.pk)).outcome_label == "Chưa đạt"

    other = make_dossier(UnitFactory(name="Thôn Mới", parent=village.parent), year, confirmed_by=steering_office)
    result = checklist(Dossier.objects.with_facts().get(pk=other.pk))
    # Điều 4: khoản 1 (two items), khoản 2, khoản 3 điểm a–g, khoản 4, khoản 5.
    assert (result.outcome_label, len(result.items), result.passed_count) == ("Đạt", 12, 12)


def test_a_province_adds_its_own_criterion_for_its_units_only(province, village, dak_doa_village, year):
    other_province = UnitFactory(name="Tỉnh Khác", kind=kind("tinh"))
    Criterion.objects.create(
        province=province, category="residential_area", reference="Kế hoạch 12/KH-UBND mục 3", text="Tiêu chí của tỉnh"
    )
    Criterion.objects.create(
        province=other_province, category="residential_area", reference="KH khác", text="Tiêu chí tỉnh khác"
    )
    dossier = make_dossier(village, year)

    texts = [i.criterion.text for i in checklist(Dossier.objects.with_facts().get(pk=dossier.pk)).items]

    assert (len(texts), texts[-1]) == (13, "Tiêu chí của tỉnh")


def _incident_outcomes(dossiers):
    """{unit name: (outcome, evidence)} of the incident item of each dossier's checklist, read together."""
    fresh = Dossier.objects.with_facts().filter(pk__in=[d.pk for d in dossiers])
    results = checklists(fresh)
    found = {}
    for d in fresh:
        for i in results[d.pk].items:
            if i.criterion.check_code == CheckCode.NO_DISQUALIFYING_INCIDENT:
                found[d.unit.name] = (i.outcome, i.evidence)
    return found


def test_many_dossiers_read_together_each_count_only_the_incidents_under_their_unit_in_their_period(
    kon_gang, village, other_village, dak_doa, dak_doa_village, year, clerk
):
    dossiers = [make_dossier(u, year, DossierStatus.IN_REVIEW) for u in (kon_gang, village, other_village)]
    dossiers.append(make_dossier(dak_doa_village, year, DossierStatus.IN_REVIEW))
    for unit, day in (
        (village, datetime.date(2026, 3, 8)),
        (village, datetime.date(2026, 4, 1)),
        (other_village, datetime.date(2025, 10, 31)),  # before the villages' period
        (dak_doa_village, datetime.date(2026, 6, 1)),
    ):
        Incident.objects.create(
            unit=unit, occurred_on=day, kind=IncidentKind.SERIOUS_CRIME, description="Trộm cắp", recorded_by=clerk
        )

    found = _incident_outcomes(dossiers)

    assert found == {
        "Xã Kon Gang": (
            Outcome.FAIL,
            "2 vụ việc làm mất tiêu chuẩn trên địa bàn trong kỳ đánh giá 16/11/2025–15/11/2026 "
            "(tại Làng Kon Gang Tơ Pơng).",
        ),
        "Làng Kon Gang Tơ Pơng": (
            Outcome.FAIL,
            "2 vụ việc làm mất tiêu chuẩn trong kỳ đánh giá 01/11/2025–31/10/2026.",
        ),
        "Thôn Hà Lòng": (Outcome.PASS, "Không có vụ việc làm mất tiêu chuẩn trong kỳ đánh giá 01/11/2025–31/10/2026."),
        "Thôn 1 Đak Đoa": (Outcome.FAIL, "1 vụ việc làm mất tiêu chuẩn trong kỳ đánh giá 01/11/2025–31/10/2026."),
    }


def test_checklists_of_3_and_of_20_village_dossiers_read_the_same_number_of_queries(kon_gang, year, clerk):
    villages = [UnitFactory(name=f"Thôn {n:02d}", kind=kind("thon"), parent=kon_gang) for n in range(20)]
    dossiers = [make_dossier(v, year, DossierStatus.IN_REVIEW, documents=False) for v in villages]
    for v in villages[::2]:
        Incident.objects.create(
            unit=v, occurred_on=datetime.date(2026, 3, 8), kind=IncidentKind.OTHER, description="x", recorded_by=clerk
        )

    def queries(some):
        with CaptureQueriesContext(connection) as ctx:
            _incident_outcomes(some)
        return len(ctx.captured_queries)

    assert queries(dossiers[:3]) == queries(dossiers)
    assert [outcome for outcome, _ in _incident_outcomes(dossiers).values()].count(Outcome.FAIL) == 10
