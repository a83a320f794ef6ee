"""The home page card "Chấm điểm, xếp loại phong trào": what waits for this person's score, counted and named
from the stored levels, never from the province's other dossiers."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import DossierStatus
from tests.factories import UnitFactory, kind, person
from tests.scoring.test_lists import scored
from units.models import Role

pytestmark = pytest.mark.django_db
S = DossierStatus


def _card(client, user):
    client.force_login(user)
    home = client.get("/").content.decode()
    review = re.search(r'text-bg-warning">(\d+)</span> hồ sơ đang thẩm định chờ chấm điểm thẩm định', home)
    own = re.search(r'text-bg-warning">(\d+)</span> hồ sơ chưa tự chấm điểm', home)
    return {
        "review": int(review.group(1)) if review else 0,
        "self": int(own.group(1)) if own else 0,
        "review_links": re.findall(r"/cham-diem/ho-so/([0-9a-f-]+)/tham-dinh/", home),
        "self_links": re.findall(r"/cham-diem/ho-so/([0-9a-f-]+)/tu-cham/", home),
    }


def _villages(commune, n, prefix):
    return [UnitFactory(name=f"{prefix} {i:02d}", kind=kind("thon"), parent=commune) for i in range(n)]


@pytest.fixture
def desk(kon_gang, dak_doa, year):
    """Kon Gang: 7 village dossiers in review without the reviewer's score, one scored, one recognised, two
    drafts without a self-assessment; the commune's own dossier in review (reviewed by the province); one
    Đak Đoa village in review."""
    waiting = [scored(u, year, S.IN_REVIEW, self="80") for u in _villages(kon_gang, 7, "Thôn chờ")]
    scored(UnitFactory(name="Thôn đã chấm", kind=kind("thon"), parent=kon_gang), year, S.IN_REVIEW, review="90")
    scored(UnitFactory(name="Thôn xong", kind=kind("thon"), parent=kon_gang), year, S.RECOGNISED, review="90")
    drafts = [scored(u, year, S.DRAFT) for u in _villages(kon_gang, 2, "Thôn nháp")]
    own = scored(kon_gang, year, S.IN_REVIEW, self="85")
    scored(UnitFactory(name="Thôn Đak Đoa", kind=kind("thon"), parent=dak_doa), year, S.IN_REVIEW)
    return waiting, drafts, own


def test_the_commune_office_counts_the_seven_waiting_at_its_desk_and_names_the_first_five(
    client, steering_office, desk
):
    waiting, _, _ = desk
    card = _card(client, steering_office)
    assert card["review"] == 7
    # In tree order (the villages were created in name order).
    assert card["review_links"] == [str(d.public_id) for d in waiting[:5]]
    assert card["self"] == 0


def test_the_province_office_sees_only_the_commune_it_reviews(client, province_steering_office, desk):
    _, _, own = desk
    card = _card(client, province_steering_office)
    assert card["review"] == 1
    assert card["review_links"] == [str(own.public_id)]


def test_the_commune_police_and_a_village_head_see_the_drafts_they_prepare(client, clerk, desk):
    _, drafts, _ = desk
    card = _card(client, clerk)
    assert card["self"] == 2
    assert card["self_links"] == [str(d.public_id) for d in drafts]
    assert card["review"] == 0


def test_a_village_head_sees_only_the_own_village(client, desk):
    _, drafts, _ = desk
    head = person(Role.UNIT_HEAD, drafts[1].unit, "truongthon.nhap")
    card = _card(client, head)
    assert card["self"] == 1
    assert card["self_links"] == [str(drafts[1].public_id)]


def test_the_card_reads_as_many_queries_for_6_as_for_40_waiting(client, steering_office, kon_gang, year):
    client.force_login(steering_office)
    units = _villages(kon_gang, 40, "Thôn")
    for unit in units[:6]:
        scored(unit, year, S.IN_REVIEW)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for unit in units[6:]:
        scored(unit, year, S.IN_REVIEW)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/").content.decode()
    assert 'text-bg-warning">40</span> hồ sơ đang thẩm định' in page
    assert len(many.captured_queries) == len(few.captured_queries)
