"""A village head scores the village on a phone (issue 14): the running total and the class follow the typing,
and the page never scrolls sideways at 390 px."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dossiers.models import DossierStatus
from registrations.services import open_year
from scoring import services
from scoring.models import ScoreSheet, ScoreTemplate
from tests.dossiers.conftest import make_dossier
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_village_head_fills_the_score_sheet_on_a_phone_and_sees_total_and_class(
    phone_page, province, village, village_head
):
    dossier = make_dossier(village, open_year(province, timezone.localdate().year), DossierStatus.DRAFT)
    items = list(ScoreTemplate.objects.get(category="residential_area", version=1).items.order_by("sort_order"))
    page = phone_page
    login(page, "truongthon.konggang")
    page.get_by_role("link", name="Hồ sơ của đơn vị").click()
    page.get_by_role("link", name="Làng Kon Gang Tơ Pơng").first.click()
    page.get_by_role("link", name="Tự chấm điểm").click()
    expect(page.get_by_role("heading", name="Tự chấm · Làng Kon Gang Tơ Pơng")).to_be_visible()
    assert _no_horizontal_scroll(page)

    total, badge = page.locator("[data-score-total]"), page.locator("[data-score-class]")
    for item in items:
        page.get_by_label(f"Điểm mục {item.number} (tối đa", exact=False).fill(str(item.max_points))
    expect(total).to_have_text("100")
    expect(badge).to_have_text("Xuất sắc")

    page.get_by_label("Điểm mục 1.3 (tối đa", exact=False).fill("0")
    page.get_by_label("Điểm mục 3.1 (tối đa", exact=False).fill("2,5")
    expect(total).to_have_text("82,5")
    expect(badge).to_have_text("Khá")
    # The bar with the total stays on screen while the field being typed in is near the top of the sheet.
    page.get_by_label("Điểm mục 1.1 (tối đa", exact=False).focus()
    expect(total).to_be_in_viewport()
    expect(badge).to_be_in_viewport()
    assert _no_horizontal_scroll(page)

    page.get_by_role("button", name="Lưu bảng điểm").click()
    expect(page.get_by_text("Đã lưu tự chấm: 82,5 điểm, xếp loại Khá.")).to_be_visible()
    assert _no_horizontal_scroll(page)
    assert str(ScoreSheet.objects.get(dossier=dossier).total) == "82.5"


def test_standing_office_copies_the_self_assessment_adjusts_one_item_and_sees_the_difference(
    page, province, village, village_head, steering_office
):
    dossier = make_dossier(village, open_year(province, timezone.localdate().year), DossierStatus.IN_REVIEW)
    template = ScoreTemplate.objects.get(category="residential_area", version=1)
    full = {item.pk: str(item.max_points) for item in template.items.all()}
    services.import_sheet(dossier=dossier, kind="self", user=village_head, points=full)
    login(page, "bcd.konggang")
    # Waiting on the home page, in the scoring card.
    page.locator("a[href$='/tham-dinh/']", has_text="Làng Kon Gang Tơ Pơng").click()
    expect(page.get_by_role("heading", name="Thẩm định chấm · Làng Kon Gang Tơ Pơng")).to_be_visible()

    page.get_by_role("button", name="Chép điểm tự chấm vào các ô còn trống").click()
    expect(page.locator("[data-score-total]")).to_have_text("100")
    page.get_by_label("Điểm mục 4.1 (tối đa", exact=False).fill("0")
    expect(page.locator("[data-score-total]")).to_have_text("90")
    expect(page.locator("[data-score-class]")).to_have_text("Xuất sắc")
    page.get_by_label("Điểm mục 4.2 (tối đa", exact=False).fill("7")
    expect(page.locator("[data-score-total]")).to_have_text("89,5")
    expect(page.locator("[data-score-class]")).to_have_text("Khá")
    page.get_by_role("button", name="Lưu bảng điểm").click()

    expect(page.get_by_text("Đã lưu thẩm định chấm: 89,5 điểm, xếp loại Khá.")).to_be_visible()
    expect(page.locator("tr.table-warning")).to_have_count(2)
