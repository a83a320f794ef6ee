"""Who reviews and recognises a unit is data (units.Authority), stored on the dossier when it is submitted."""

import datetime

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.models import Dossier, DossierStatus
from dossiers.workflow import transition
from tests.dossiers.conftest import make_dossier
from tests.factories import Role, UnitFactory, kind, person
from units import services as unit_services
from units.authority import levels_for
from units.models import Authority, AuthorityLevel

S = DossierStatus


@pytest.fixture
def health_station(kon_gang):
    return UnitFactory(name="Trạm Y tế xã Kon Gang", kind=kind("co-quan"), parent=kon_gang, households=None, staff=9)


@pytest.fixture
def agency_head(health_station):
    return person(Role.UNIT_HEAD, health_station, "truongtram.konggang")


def test_the_managing_unit_reviews_and_recognises_by_default(village, kon_gang, province, health_station):
    assert (levels_for(village).reviewing, levels_for(village).recognising) == (kon_gang, kon_gang)
    assert (levels_for(health_station).reviewing, levels_for(health_station).recognising) == (kon_gang, kon_gang)
    assert (levels_for(kon_gang).reviewing, levels_for(kon_gang).recognising) == (province, province)


def test_submitting_stores_the_reviewing_and_recognising_units(village_head, village, kon_gang, year):
    dossier = make_dossier(village, year)

    transition(dossier, "submit", village_head)

    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.reviewing_unit, stored.recognising_unit) == (kon_gang, kon_gang)


def test_a_unit_moved_to_another_commune_keeps_its_past_dossiers_reviewing_level(
    client, village_head, village, kon_gang, dak_doa, year, province_admin, steering_office
):
    dossier = make_dossier(village, year)
    transition(dossier, "submit", village_head)
    dak_doa_office = person(Role.STEERING_OFFICE, dak_doa, "bcd.dakdoa")

    unit_services.move_unit(unit=village, new_parent=dak_doa, actor=province_admin, reason="Điều chỉnh địa giới")

    village.refresh_from_db()
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (village.parent, stored.reviewing_unit, stored.recognising_unit) == (dak_doa, kon_gang, kon_gang)
    client.force_login(steering_office)
    assert [d.pk for d, _ in client.get(reverse("dossiers:review_desk")).context["rows"]] == [dossier.pk]
    client.force_login(dak_doa_office)
    assert list(client.get(reverse("dossiers:review_desk")).context["rows"]) == []


def test_a_province_override_routes_an_agencys_dossier_to_the_province(
    client, agency_head, health_station, kon_gang, province, year, steering_office, province_steering_office
):
    Authority.objects.create(
        province=province,
        managing_category="commune",
        category="agency",
        reviewer=AuthorityLevel.PROVINCE,
        recogniser=AuthorityLevel.PROVINCE,
        source="Quyết định ủy quyền của UBND tỉnh",
    )
    dossier = make_dossier(health_station, year)
    transition(dossier, "submit", agency_head)

    client.force_login(province_steering_office)
    assert [d.pk for d, _ in client.get(reverse("dossiers:review_desk")).context["rows"]] == [dossier.pk]
    client.force_login(steering_office)
    assert list(client.get(reverse("dossiers:review_desk")).context["rows"]) == []
    client.post(reverse("dossiers:transition", args=[dossier.public_id]), {"action": "start_review"})
    assert Dossier.objects.get(pk=dossier.pk).status == S.SUBMITTED
    assert (
        steering_office.has_perm("dossiers.review", dossier),
        province_steering_office.has_perm("dossiers.review", dossier),
    ) == (False, True)


def test_a_delegation_of_one_commune_beats_the_province_rule_and_the_national_default(
    health_station, kon_gang, dak_doa, province
):
    Authority.objects.create(
        province=province, category="agency", reviewer=AuthorityLevel.PROVINCE, recogniser=AuthorityLevel.PROVINCE
    )
    Authority.objects.create(
        managing_unit=kon_gang, category="agency", reviewer=AuthorityLevel.MANAGING, recogniser=AuthorityLevel.MANAGING
    )
    dak_doa_agency = UnitFactory(name="Trạm Y tế xã Đak Đoa", kind=kind("co-quan"), parent=dak_doa)

    assert levels_for(health_station).recognising == kon_gang
    assert levels_for(dak_doa_agency).recognising == province


def test_only_the_recognising_chairman_can_put_a_dossier_in_a_decision(
    agency_head, health_station, kon_gang, province, year, chairman, province_chairman
):
    Authority.objects.create(
        province=province,
        managing_category="commune",
        category="agency",
        reviewer=AuthorityLevel.MANAGING,
        recogniser=AuthorityLevel.ABOVE_MANAGING,
    )
    dossier = make_dossier(health_station, year, S.RECOMMENDED)
    waiting = make_dossier(UnitFactory(name="Bưu điện xã", kind=kind("co-quan"), parent=kon_gang), year, S.SUBMITTED)

    # The province decides, but the commune reviews: the province sees only what waits for its decision.
    assert list(Dossier.objects.on_desk_of([province])) == [dossier]
    assert list(Dossier.objects.on_desk_of([kon_gang]).order_by("pk")) == [dossier, waiting]
    assert list(Dossier.objects.recommended_at(kon_gang)) == []
    decision = services.issue_decision(
        issuer=province,
        dossiers=Dossier.objects.recommended_at(province),
        user=province_chairman,
        issued_on=datetime.date(2026, 11, 18),
        signer_name="Nguyễn Văn B",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )
    assert list(decision.dossiers.all()) == [dossier]
    assert chairman.has_perm("dossiers.decide", dossier) is False
