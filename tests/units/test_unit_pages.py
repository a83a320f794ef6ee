from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ansinh.models import AuditEvent
from tests.factories import UnitFactory, kind
from units.models import OutOfScope, Unit


def test_commune_page_lists_its_units_with_kind_and_size(client, clerk, kon_gang, village, other_village):
    client.force_login(clerk)
    page = client.get(reverse("units:detail", args=[kon_gang.public_id])).content.decode()
    assert "Làng Kon Gang Tơ Pơng" in page
    assert "Thôn Hà Lòng" in page
    assert "142" in page


def test_search_narrows_the_list(client, clerk, kon_gang, village, other_village):
    client.force_login(clerk)
    response = client.get(reverse("units:detail", args=[kon_gang.public_id]), {"q": "Hà Lòng"})
    assert [u.name for u in response.context["page"]] == ["Thôn Hà Lòng"]


def test_filter_by_category(client, clerk, kon_gang, village):
    UnitFactory(name="Trường THCS Kon Gang", kind=kind("co-so-giao-duc"), parent=kon_gang, staff=38, households=None)
    client.force_login(clerk)
    response = client.get(reverse("units:detail", args=[kon_gang.public_id]), {"category": "school"})
    assert [u.name for u in response.context["page"]] == ["Trường THCS Kon Gang"]


def test_out_of_scope_unit_says_why(client, clerk, kon_gang):
    school = UnitFactory(
        name="Trường Tiểu học Kon Gang",
        kind=kind("co-so-giao-duc"),
        parent=kon_gang,
        staff=27,
        out_of_scope=OutOfScope.PRIMARY_SCHOOL,
    )
    client.force_login(clerk)
    page = client.get(reverse("units:detail", args=[school.public_id])).content.decode()
    assert "Không thuộc diện đăng ký theo Thông tư 124/2021/TT-BCA: Trường tiểu học." in page
    assert Unit.objects.participating().filter(pk=school.pk).exists() is False


def _units(n, parent):
    start = Unit.objects.filter(parent=parent).count()
    Unit.objects.bulk_create(
        [Unit(name=f"Thôn {start + i}", kind=kind("thon"), parent=parent, households=100 + i) for i in range(n)]
    )
    for unit in Unit.objects.filter(parent=parent, path=""):
        unit.save()


def test_unit_browser_query_count_does_not_grow_with_units(client, clerk, kon_gang):
    client.force_login(clerk)
    url = reverse("units:detail", args=[kon_gang.public_id])
    counts = {}
    for n in (30, 300):
        _units(n - Unit.objects.filter(parent=kon_gang).count(), kon_gang)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts[n] = len(queries)
        assert response.context["page"].paginator.count == n
    assert counts[30] == counts[300]


def test_clerk_adds_a_village_and_it_is_audited(client, clerk, kon_gang):
    client.force_login(clerk)
    response = client.post(
        reverse("units:add_child", args=[kon_gang.public_id]),
        {"name": "Làng Mới", "kind": kind("lang").pk, "size": "85", "has_party_org": "on", "out_of_scope": ""},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Làng Mới")
    assert (unit.parent, unit.households, unit.staff) == (kon_gang, 85, None)
    assert AuditEvent.objects.filter(object_id=unit.pk, action="create", actor=clerk).count() == 1


def test_negative_household_count_is_refused_in_vietnamese(client, clerk, kon_gang):
    client.force_login(clerk)
    response = client.post(
        reverse("units:add_child", args=[kon_gang.public_id]),
        {"name": "Làng Âm", "kind": kind("lang").pk, "size": "-3"},
    )
    assert response.status_code == 200
    assert "Số lượng không được âm." in response.content.decode()
    assert not Unit.objects.filter(name="Làng Âm").exists()


def test_duplicate_name_in_same_commune_is_refused(client, clerk, kon_gang, village):
    client.force_login(clerk)
    response = client.post(
        reverse("units:add_child", args=[kon_gang.public_id]),
        {"name": "làng kon gang tơ pơng", "kind": kind("lang").pk, "size": "10"},
    )
    assert "Đã có đơn vị «làng kon gang tơ pơng» trong Xã Kon Gang." in response.content.decode()
    assert Unit.objects.filter(parent=kon_gang).count() == 1


def test_clerk_edits_a_village_and_the_audit_keeps_the_old_and_new_values(client, clerk, village):
    client.force_login(clerk)
    client.post(
        reverse("units:edit", args=[village.public_id]),
        {"name": village.name, "kind": village.kind.pk, "size": "150", "has_party_org": "on", "phone": "0905 111 222"},
    )
    village.refresh_from_db()
    assert (village.households, village.phone) == (150, "0905 111 222")
    event = AuditEvent.objects.get(object_id=village.pk, action="edit")
    assert (event.actor, event.label) == (clerk, "Sửa thông tin đơn vị")
    assert event.changes == {"households": ["142", "150"], "phone": ["", "0905 111 222"]}


def test_clerk_may_not_edit_the_commune_record(client, clerk, kon_gang):
    client.force_login(clerk)
    assert client.get(reverse("units:edit", args=[kon_gang.public_id])).status_code == 403


def test_archiving_keeps_the_unit(client, clerk, village):
    client.force_login(clerk)
    client.post(reverse("units:archive", args=[village.public_id]), {"reason": "Sáp nhập vào làng Groi"})
    village.refresh_from_db()
    assert village.archived_at is not None
    assert Unit.objects.participating().filter(pk=village.pk).exists() is False
    event = AuditEvent.objects.get(object_id=village.pk, action="archive")
    assert (event.actor, event.reason) == (clerk, "Sáp nhập vào làng Groi")


def test_archiving_without_a_reason_is_refused_and_the_unit_stays(client, clerk, village):
    client.force_login(clerk)
    response = client.post(reverse("units:archive", args=[village.public_id]), {"reason": "  "}, follow=True)
    assert "Vui lòng ghi lý do ngừng theo dõi đơn vị (ví dụ: sáp nhập, giải thể)." in response.content.decode()
    village.refresh_from_db()
    assert village.archived_at is None
    assert not AuditEvent.objects.filter(object_id=village.pk, action="archive").exists()


def test_search_ignores_diacritics_typed_or_not(client, clerk, kon_gang, village, other_village):
    client.force_login(clerk)
    for typed in ("ha long", "Hà Lòng", "HA LONG"):
        response = client.get(reverse("units:detail", args=[kon_gang.public_id]), {"q": typed})
        assert [u.name for u in response.context["page"]] == ["Thôn Hà Lòng"]


def test_huge_size_is_a_form_error_not_a_crash(client, clerk, village):
    client.force_login(clerk)
    response = client.post(
        reverse("units:edit", args=[village.public_id]),
        {"name": village.name, "kind": village.kind.pk, "size": str(10**20)},
    )
    assert "Số này quá lớn (tối đa 2.147.483.647)." in response.content.decode()
    village.refresh_from_db()
    assert village.households == 142


def test_nothing_can_be_added_under_a_village(client, clerk, village):
    client.force_login(clerk)
    response = client.post(
        reverse("units:add_child", args=[village.public_id]),
        {"name": "Xã Giả", "kind": kind("xa").pk, "size": "1"},
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(name="Xã Giả").exists()


def test_admin_role_elsewhere_gives_no_rights_here(client, kon_gang, dak_doa, village):
    from tests.factories import Role, person

    user = person(Role.POLICE_CLERK, kon_gang, "hai.noi")
    person(Role.ADMIN, dak_doa, "hai.noi")
    client.force_login(user)
    assert client.get(reverse("units:edit", args=[kon_gang.public_id])).status_code == 403


def test_the_top_unit_cannot_be_archived(client, province, kon_gang):
    from tests.factories import Role, person

    admin = person(Role.ADMIN, province, "quantri")
    client.force_login(admin)
    response = client.post(reverse("units:archive", args=[province.public_id]), {"reason": "thử"}, follow=True)
    assert "Không thể ngừng theo dõi đơn vị cấp cao nhất." in response.content.decode()
    province.refresh_from_db()
    assert province.archived_at is None


def test_duplicate_name_check_folds_vietnamese_capitals(client, clerk, kon_gang):
    UnitFactory(name="Làng Đê Kôn", kind=kind("lang"), parent=kon_gang)
    client.force_login(clerk)
    response = client.post(
        reverse("units:add_child", args=[kon_gang.public_id]),
        {"name": "LÀNG ĐÊ KÔN", "kind": kind("lang").pk, "size": "10"},
    )
    assert "Đã có đơn vị «LÀNG ĐÊ KÔN» trong Xã Kon Gang." in response.content.decode()


def test_the_filter_form_keeps_what_was_typed_and_chosen_and_each_row_links_to_its_page(
    client, clerk, kon_gang, village, other_village
):
    client.force_login(clerk)
    page = client.get(
        reverse("units:detail", args=[kon_gang.public_id]), {"q": "Hà <b>", "category": "residential_area"}
    ).content.decode()
    assert '<input type="text" name="q" id="id_q" value="Hà &lt;b&gt;" class="form-control">' in page
    assert '<option value="residential_area" selected>Khu dân cư</option>' in page
    assert '<option value="" selected>Tất cả loại</option>' in page

    page = client.get(reverse("units:detail", args=[kon_gang.public_id])).content.decode()
    for unit in (village, other_village):
        assert f'<a href="/don-vi/{unit.public_id}/">{unit.name}</a>' in page
