"""The administrator moves units and grants roles from portal pages, finding both by name."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ansinh.models import AuditEvent
from tests.factories import Role, UserFactory, person
from units.models import Authority, RoleAssignment


def test_admin_home_links_to_roles_and_moving(client, province_admin):
    client.force_login(province_admin)
    page = client.get(reverse("home")).content.decode()
    assert reverse("units:roles") in page
    assert reverse("units:move") in page


def test_admin_finds_a_village_without_diacritics_and_moves_it(client, province_admin, village, kon_gang, dak_doa):
    client.force_login(province_admin)
    found = client.get(reverse("units:move"), {"don_vi": "kon gang to pong", "cap_tren": "dak doa"}).context
    assert ([u.name for u in found["units"]], [u.name for u in found["parents"]]) == (
        ["Làng Kon Gang Tơ Pơng"],
        ["Xã Đak Đoa"],
    )

    response = client.post(
        reverse("units:move"), {"unit": village.public_id, "new_parent": dak_doa.public_id, "reason": "Sáp nhập"}
    )

    village.refresh_from_db()
    assert (response.status_code, village.parent, village.path.startswith(dak_doa.path)) == (302, dak_doa, True)
    event = AuditEvent.objects.get(action="move")
    assert (event.changes, event.reason) == ({"parent": ["Xã Kon Gang", "Xã Đak Đoa"]}, "Sáp nhập")


def test_a_unit_cannot_move_under_a_village(client, province_admin, village, other_village):
    client.force_login(province_admin)
    response = client.post(reverse("units:move"), {"unit": village.public_id, "new_parent": other_village.public_id})
    village.refresh_from_db()
    assert [str(m) for m in response.context["messages"]] == [
        "Thôn Hà Lòng không quản lý đơn vị nào (chỉ tỉnh, huyện, xã mới là đơn vị quản lý)."
    ]
    assert village.parent.name == "Xã Kon Gang"


@pytest.mark.parametrize("page", ["units:move", "units:roles"])
def test_a_police_clerk_cannot_open_the_admin_pages(client, clerk, page):
    client.force_login(clerk)
    assert client.get(reverse(page)).status_code == 403


def test_commune_admin_gets_404_moving_a_unit_of_another_commune(client, kon_gang, dak_doa_village, village):
    client.force_login(person(Role.ADMIN, kon_gang, "quantri.konggang"))
    response = client.post(reverse("units:move"), {"unit": dak_doa_village.public_id, "new_parent": kon_gang.pk})
    assert response.status_code == 404


def test_admin_grants_and_revokes_a_role_found_by_name(client, province_admin, village):
    head = UserFactory(username="a.nguyen", first_name="Nguyễn", last_name="An")
    client.force_login(province_admin)
    found = client.get(reverse("units:roles"), {"nguoi": "nguyễn", "don_vi": "tơ pơng"}).context
    assert ([u.username for u in found["users"]], [u.name for u in found["units"]]) == (
        ["a.nguyen"],
        ["Làng Kon Gang Tơ Pơng"],
    )

    client.post(
        reverse("units:roles"),
        {"user": "a.nguyen", "unit": village.public_id, "role": Role.UNIT_HEAD, "title": "Trưởng thôn"},
    )
    grant = RoleAssignment.objects.get(user=head)
    assert (grant.role, grant.unit, grant.title, grant.is_active) == (Role.UNIT_HEAD, village, "Trưởng thôn", True)

    client.post(reverse("units:role_revoke", args=[grant.pk]), {"reason": "Nghỉ việc"})
    grant.refresh_from_db()
    assert grant.is_active is False
    assert list(AuditEvent.objects.filter(unit=village).values_list("action", flat=True).order_by("pk")) == [
        "grant",
        "revoke",
    ]


def test_an_unknown_role_is_refused_and_nothing_is_granted(client, province_admin, village):
    UserFactory(username="a.nguyen")
    client.force_login(province_admin)
    response = client.post(reverse("units:roles"), {"user": "a.nguyen", "unit": village.public_id, "role": "god"})
    assert [str(m) for m in response.context["messages"]] == ["Vai trò không hợp lệ."]
    assert RoleAssignment.objects.filter(user__username="a.nguyen").count() == 0


def test_a_delegation_to_a_village_is_refused_in_the_admin(client, village, province):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "x"))
    response = client.post(
        reverse("admin:units_authority_add"),
        {
            "province": province.pk,
            "managing_unit": village.pk,
            "managing_category": "",
            "category": "agency",
            "reviewer": "province",
            "recogniser": "province",
            "source": "",
        },
    )
    assert response.context["adminform"].form.errors == {
        "managing_unit": ["Đơn vị quản lý phải là tỉnh, huyện hoặc xã."]
    }
    assert Authority.objects.filter(managing_unit=village).count() == 0


@pytest.mark.parametrize("page", ["admin:units_unit_add", "admin:units_roleassignment_add", "admin:auth_user_add"])
def test_the_django_admin_picks_units_and_people_by_name_not_by_raw_id(client, db, page):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "x"))
    html = client.get(reverse(page)).content.decode()
    assert "vForeignKeyRawIdAdminField" not in html


def test_a_nul_byte_in_a_move_reason_or_a_title_is_refused_and_nothing_changes(
    client, province_admin, village, kon_gang, dak_doa
):
    UserFactory(username="b.tran")
    client.force_login(province_admin)

    moved = client.post(
        reverse("units:move"), {"unit": village.public_id, "new_parent": dak_doa.public_id, "reason": "Sáp\x00nhập"}
    )
    granted = client.post(
        reverse("units:roles"),
        {"user": "b.tran", "unit": village.public_id, "role": Role.UNIT_HEAD, "title": "Trưởng\x00thôn"},
        follow=True,
    )

    village.refresh_from_db()
    assert (moved.status_code, village.parent) == (200, kon_gang)
    assert "Lý do:" in moved.content.decode()
    assert not AuditEvent.objects.filter(action__in=["move", "grant"]).exists()
    assert RoleAssignment.objects.filter(user__username="b.tran").count() == 0
    assert any(str(m).startswith("Chức danh:") for m in granted.context["messages"])
