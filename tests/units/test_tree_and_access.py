import pytest
from django.urls import reverse

from ansinh import access
from tests.factories import Role, UnitFactory, kind, person
from units.models import Unit


def test_under_returns_the_whole_subtree_in_one_query(kon_gang, village, django_assert_num_queries):
    house_group = UnitFactory(name="Tổ 1", kind=kind("thon"), parent=village)
    with django_assert_num_queries(1):
        names = sorted(Unit.objects.under(kon_gang).values_list("name", flat=True))
    assert names == sorted(["Xã Kon Gang", village.name, house_group.name])


def test_moving_a_unit_moves_its_subtree(kon_gang, dak_doa, village):
    child = UnitFactory(name="Tổ 1", kind=kind("thon"), parent=village)
    village.parent = dak_doa
    village.save()
    child.refresh_from_db()
    assert child.path.startswith(dak_doa.path)
    assert list(Unit.objects.under(kon_gang, include_self=False)) == []


def test_clerk_sees_own_commune_only(clerk, kon_gang, village, dak_doa_village):
    assert set(access.visible_units(clerk)) == {kon_gang, village}


def test_village_head_sees_only_their_village(village_head, village, other_village):
    assert list(access.visible_units(village_head)) == [village]


@pytest.mark.parametrize("url_name", ["units:detail", "units:edit", "units:add_child", "units:import"])
def test_clerk_of_other_commune_gets_404_on_kon_gang_urls(client, outsider_clerk, village, url_name):
    client.force_login(outsider_clerk)
    assert client.get(reverse(url_name, args=[village.public_id])).status_code == 404


def test_clerk_of_other_commune_gets_404_on_a_child_object(client, outsider_clerk, village):
    grandchild = UnitFactory(name="Nhóm hộ 1", kind=kind("thon"), parent=village)
    client.force_login(outsider_clerk)
    assert client.get(reverse("units:detail", args=[grandchild.public_id])).status_code == 404


def test_village_head_gets_404_on_the_neighbouring_village(client, village_head, other_village):
    client.force_login(village_head)
    assert client.get(reverse("units:detail", args=[other_village.public_id])).status_code == 404


def test_village_head_may_not_edit_their_village(client, village_head, village):
    client.force_login(village_head)
    assert client.get(reverse("units:edit", args=[village.public_id])).status_code == 403


def test_a_person_with_two_roles_sees_both_places(kon_gang, dak_doa, village, dak_doa_village):
    user = person(Role.POLICE_CLERK, kon_gang, "hai.vai")
    person(Role.STEERING_OFFICE, dak_doa, "hai.vai")
    access.forget(user)
    assert set(access.visible_units(user)) == {kon_gang, village, dak_doa, dak_doa_village}


def test_anonymous_visitor_is_sent_to_login(client, village):
    response = client.get(reverse("units:detail", args=[village.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_not_found_page_speaks_vietnamese(client, outsider_clerk, village, settings):
    settings.DEBUG = False
    client.force_login(outsider_clerk)
    response = client.get(reverse("units:detail", args=[village.public_id]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page
    assert village.name not in page


def test_forbidden_page_says_why(client, village_head, village):
    client.force_login(village_head)
    response = client.get(reverse("units:edit", args=[village.public_id]))
    assert "Bạn không có quyền thực hiện thao tác này" in response.content.decode()
