from decimal import Decimal

import pytest
from django.db.models import Sum

from ansinh.errors import Refused
from scoring import services
from scoring.models import ScoreSheet, ScoreTemplate
from tests.factories import UserFactory
from tests.scoring.conftest import points_for

pytestmark = pytest.mark.django_db


def test_a_default_template_ships_for_every_kind_adding_up_to_100_and_marked_for_adjustment():
    shipped = ScoreTemplate.objects.filter(is_default=True).annotate(total=Sum("items__max_points"))
    assert sorted((t.category, t.total) for t in shipped) == [
        ("agency", Decimal("100")),
        ("commune", Decimal("100")),
        ("enterprise", Decimal("100")),
        ("residential_area", Decimal("100")),
        ("school", Decimal("100")),
    ]
    assert all("tỉnh cần rà soát" in t.note for t in shipped)
    assert all(item.reference.startswith("Điều ") for t in shipped for item in t.items.all())


def _items(template):
    return [
        {name: getattr(item, name) for name in services.ITEM_FIELDS} for item in template.items.order_by("sort_order")
    ]


def test_a_template_summing_to_99_5_is_refused_with_the_sum(village_template, province_admin):
    items = _items(village_template)
    items[0]["max_points"] -= Decimal("0.5")
    with pytest.raises(Refused, match=r"phải bằng đúng 100; hiện là 99,5 điểm"):
        services.revise_template(village_template, user=province_admin, items=items)
    assert village_template.items.aggregate(s=Sum("max_points"))["s"] == Decimal("100")


def test_editing_a_template_in_use_creates_a_new_version_and_old_sheets_keep_their_totals(
    village_template, dossier, village_head, province_admin
):
    old_sheet = services.enter_scores(
        dossier=dossier, kind="self", user=village_head, points=points_for(village_template, "87.5")
    )
    items = _items(village_template)
    items[0]["max_points"] += Decimal("5")
    items[2]["max_points"] -= Decimal("5")

    new = services.revise_template(village_template, user=province_admin, items=items, name="Mẫu khu dân cư 2026")

    village_template.refresh_from_db()
    old_sheet.refresh_from_db()
    assert (new.pk != village_template.pk, new.version, new.previous, new.name) == (
        True,
        2,
        village_template,
        "Mẫu khu dân cư 2026",
    )
    assert (village_template.is_active, village_template.items.first().max_points) == (False, Decimal("5"))
    assert (old_sheet.template, old_sheet.total) == (village_template, Decimal("87.5"))
    assert new.items.order_by("sort_order").first().max_points == Decimal("10")
    # The dossier already scored stays on its template; the next one is scored on the new version.
    assert services.template_for(dossier) == village_template


def test_a_template_not_in_use_is_edited_in_place(village_template, province_admin):
    items = _items(village_template)
    items[0]["text"] = "Chi bộ ra nghị quyết trong quý I."
    same = services.revise_template(village_template, user=province_admin, items=items)
    assert (same.pk, same.version, same.items.order_by("sort_order").first().text) == (
        village_template.pk,
        1,
        "Chi bộ ra nghị quyết trong quý I.",
    )


def _admin_post(template, items, **fields):
    data = {
        "name": template.name,
        "category": template.category,
        "province": "",
        "first_year": template.first_year,
        "is_default": "on",
        "is_active": "on",
        "note": template.note,
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": sum(1 for i in items if i.get("id")),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for n, item in enumerate(items):
        for name, value in item.items():
            data[f"items-{n}-{name}"] = value
        data[f"items-{n}-template"] = template.pk or ""
    return data


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _admin_items(template):
    return [
        {"id": item.pk, **{name: getattr(item, name) for name in services.ITEM_FIELDS}}
        for item in template.items.order_by("sort_order")
    ]


def test_admin_refuses_a_template_whose_items_do_not_add_up_to_100(client, superuser):
    client.force_login(superuser)
    template = ScoreTemplate(name="Mẫu thử", category="school", first_year=2026)
    items = [
        {"sort_order": 1, "group": "I", "number": "1", "text": "Mục một", "max_points": "60", "reference": "Điều 7"},
        {"sort_order": 2, "group": "I", "number": "2", "text": "Mục hai", "max_points": "39.5", "reference": "Điều 7"},
    ]
    response = client.post("/quan-tri/scoring/scoretemplate/add/", _admin_post(template, items, name="Mẫu thử"))
    assert response.status_code == 200
    assert "hiện là 99,5 điểm" in response.content.decode()
    assert not ScoreTemplate.objects.filter(name="Mẫu thử").exists()


def test_admin_saving_a_template_in_use_makes_a_new_version(client, superuser, village_template, dossier, village_head):
    services.enter_scores(dossier=dossier, kind="self", user=village_head, points=points_for(village_template, 90))
    client.force_login(superuser)
    items = _admin_items(village_template)
    items[0]["text"] = "Chi bộ có nghị quyết chuyên đề về an ninh, trật tự."
    response = client.post(
        f"/quan-tri/scoring/scoretemplate/{village_template.pk}/change/", _admin_post(village_template, items)
    )
    new = ScoreTemplate.objects.get(previous=village_template)
    assert response.status_code == 302
    assert response["Location"] == f"/quan-tri/scoring/scoretemplate/{new.pk}/change/"
    assert new.items.order_by("sort_order").first().text == "Chi bộ có nghị quyết chuyên đề về an ninh, trật tự."
    assert village_template.items.order_by("sort_order").first().text.startswith("Chi bộ có nghị quyết lãnh đạo")
    assert ScoreSheet.objects.get().template == village_template


def _copy(template, **fields):
    copy = ScoreTemplate.objects.create(
        name=fields.pop("name", "Mẫu của tỉnh"), category=template.category, first_year=2026, **fields
    )
    for item in template.items.all():
        item.pk, item.template = None, copy
        item.save()
    return copy


def test_the_provinces_own_template_is_preferred_over_the_national_default(
    village_template, dossier, province, village_head
):
    own = _copy(village_template, province=province)
    sheet = services.enter_scores(dossier=dossier, kind="self", user=village_head, points=points_for(own, 80))
    assert sheet.template == own


def test_scoring_on_a_template_that_does_not_add_up_is_refused(village_template, dossier, province, village_head):
    broken = _copy(village_template, province=province)
    first = broken.items.order_by("sort_order").first()
    first.max_points -= Decimal("0.5")
    first.save()
    with pytest.raises(Refused, match="hiện là 99,5 điểm"):
        services.enter_scores(dossier=dossier, kind="self", user=village_head, points=points_for(broken, 80))
    assert not ScoreSheet.objects.exists()
