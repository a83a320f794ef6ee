import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from ansinh.errors import Refused
from ansinh.models import AuditEvent
from dossiers.models import DossierStatus
from scoring import services
from scoring.models import ScoreEntry, ScoreSheet
from tests.dossiers.conftest import make_dossier
from tests.scoring.conftest import form_data, points_for

pytestmark = pytest.mark.django_db


def _url(dossier, slug="tu-cham"):
    return f"/cham-diem/ho-so/{dossier.public_id}/{slug}/"


def test_village_head_enters_the_self_assessment_and_sees_the_class(client, village_head, dossier, village_template):
    client.force_login(village_head)
    response = client.post(_url(dossier), form_data(village_template, "84.5"))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(dossier=dossier)
    assert (sheet.kind, sheet.total, sheet.entered_by) == ("self", Decimal("84.5"), village_head)
    page = client.get(response["Location"]).content.decode()
    assert "84,5" in page
    assert "Khá" in page


def test_a_score_of_7_3_is_refused_naming_the_item_and_nothing_is_saved(
    client, village_head, dossier, village_template
):
    client.force_login(village_head)
    data = form_data(village_template, 100)
    first = village_template.items.order_by("sort_order").first()
    data[f"item_{first.pk}"] = "7.3"
    response = client.post(_url(dossier), data)
    assert response.status_code == 200
    assert (
        "Mục 1.1 «Chi bộ có nghị quyết lãnh đạo thực hiện phong trào trong qu…»: 7,3 điểm không hợp lệ — "
        "chỉ chấm từ 0 đến 5 điểm, theo bước 0,5 điểm."
    ) in response.content.decode()
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize("bad", ["5.5", "-1", "abc", "NaN", "1e9", ""])
def test_a_score_above_the_maximum_negative_or_not_a_number_is_refused(village_head, dossier, village_template, bad):
    points = points_for(village_template, 100)
    first = village_template.items.order_by("sort_order").first()
    points[first.pk] = bad
    with pytest.raises(Refused, match=r"^Mục 1\.1 «"):
        services.enter_scores(dossier=dossier, kind="self", user=village_head, points=points)
    assert not ScoreEntry.objects.exists()


def test_a_score_typed_with_a_decimal_comma_is_accepted(village_head, dossier, village_template):
    points = points_for(village_template, 100)
    first = village_template.items.order_by("sort_order").first()
    points[first.pk] = "4,5"
    sheet = services.enter_scores(dossier=dossier, kind="self", user=village_head, points=points)
    assert sheet.total == Decimal("99.5")


def test_the_reviewers_score_counts_over_the_self_assessment(
    client, village_head, steering_office, village, year, village_template
):
    dossier = make_dossier(village, year, DossierStatus.DRAFT)
    services.enter_scores(dossier=dossier, kind="self", user=village_head, points=points_for(village_template, 92))
    dossier.status = DossierStatus.IN_REVIEW
    dossier.save()
    client.force_login(steering_office)
    response = client.post(_url(dossier, "tham-dinh"), form_data(village_template, "69.5"))
    assert response.status_code == 302

    table = services.sheet_table(dossier)
    assert (table.self_total, table.self_band.label, table.review_total, table.band.label) == (
        Decimal("92"),
        "Xuất sắc",
        Decimal("69.5"),
        "Trung bình",
    )
    (row,) = services.rows(services.scored_dossiers(steering_office, 2026))
    assert (row.band.label, row.band.award) == ("Trung bình", "")
    page = client.get(f"/cham-diem/ho-so/{dossier.public_id}/").content.decode()
    assert "table-warning" in page  # the items the reviewer scored differently stand out


def test_clerk_of_another_commune_gets_404_when_entering_a_score(client, outsider_clerk, dossier, village_template):
    client.force_login(outsider_clerk)
    assert client.get(_url(dossier)).status_code == 404
    assert client.post(_url(dossier), form_data(village_template, 90)).status_code == 404
    assert client.get(f"/cham-diem/ho-so/{dossier.public_id}/pdf/").status_code == 404
    assert not ScoreSheet.objects.exists()


def test_village_head_cannot_enter_the_reviewers_score(client, village_head, reviewed_dossier, village_template):
    client.force_login(village_head)
    response = client.post(_url(reviewed_dossier, "tham-dinh"), form_data(village_template, 100))
    assert response.status_code == 403
    assert not ScoreSheet.objects.exists()


def test_the_commune_steering_office_cannot_enter_the_communes_own_self_assessment(
    client, steering_office, kon_gang, year, village_template
):
    dossier = make_dossier(kon_gang, year, DossierStatus.DRAFT)
    client.force_login(steering_office)
    assert client.post(_url(dossier), {}).status_code == 403


def test_the_reviewer_scores_only_during_review(steering_office, dossier, village_template):
    with pytest.raises(Refused, match="đang được thẩm định"):
        services.enter_scores(
            dossier=dossier, kind="review", user=steering_office, points=points_for(village_template, 80)
        )


@pytest.mark.parametrize("status", [DossierStatus.RECOGNISED, DossierStatus.REFUSED])
def test_a_score_cannot_change_after_the_decision_and_the_attempt_is_audited(
    client, steering_office, reviewed_dossier, village_template, status
):
    services.enter_scores(
        dossier=reviewed_dossier, kind="review", user=steering_office, points=points_for(village_template, 91)
    )
    reviewed_dossier.status = status
    reviewed_dossier.save()
    client.force_login(steering_office)

    response = client.post(_url(reviewed_dossier, "tham-dinh"), form_data(village_template, 60))

    assert response.status_code == 200
    assert "Không thể sửa điểm: hồ sơ của Làng Kon Gang Tơ Pơng đã có quyết định" in response.content.decode()
    assert ScoreSheet.objects.get().total == Decimal("91")
    refused = AuditEvent.objects.get(action="score_refused")
    assert (refused.actor, refused.object_id, refused.unit) == (
        steering_office,
        reviewed_dossier.pk,
        reviewed_dossier.unit,
    )


def test_the_score_sheet_pdf_shows_every_item_the_total_and_the_class(
    client, village_head, steering_office, reviewed_dossier, village_template
):
    services.import_sheet(
        dossier=reviewed_dossier, kind="self", user=village_head, points=points_for(village_template, 95)
    )
    services.enter_scores(
        dossier=reviewed_dossier, kind="review", user=steering_office, points=points_for(village_template, "88.5")
    )
    client.force_login(village_head)
    response = client.get(f"/cham-diem/ho-so/{reviewed_dossier.public_id}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "BẢNG CHẤM ĐIỂM" in text
    assert "Tổng điểm thẩm định: 88,5 – xếp loại: Khá" in text
    assert "Tổng điểm tự chấm: 95 – đơn vị đề xuất xếp loại Xuất sắc" in text
    assert "5.2" in text
    assert "NGƯỜI ĐỨNG ĐẦU ĐƠN VỊ" in text


def test_the_dossier_page_shows_the_scores_and_the_way_to_enter_them(client, village_head, dossier):
    client.force_login(village_head)
    page = client.get(f"/ho-so/{dossier.public_id}/").content.decode()
    assert "Chấm điểm, xếp loại phong trào" in page
    assert _url(dossier) in page


def test_the_reviewer_sees_the_units_own_score_beside_each_field(
    client, village_head, steering_office, reviewed_dossier, village_template
):
    services.import_sheet(
        dossier=reviewed_dossier, kind="self", user=village_head, points=points_for(village_template, "99.5")
    )
    client.force_login(steering_office)
    page = client.get(_url(reviewed_dossier, "tham-dinh")).content.decode()
    assert "Đơn vị tự chấm: 4,5" in page
    assert "Chép điểm tự chấm vào các ô còn trống" in page


@pytest.mark.parametrize("slug", ["tu-cham", "tham-dinh"])
def test_the_records_clerk_may_read_the_sheet_but_not_score(client, records_clerk, reviewed_dossier, slug):
    client.force_login(records_clerk)
    assert client.get(f"/cham-diem/ho-so/{reviewed_dossier.public_id}/").status_code == 200
    assert client.get(_url(reviewed_dossier, slug)).status_code == 403


def test_a_signed_out_visitor_is_sent_to_sign_in(client, dossier):
    response = client.get(_url(dossier))
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/dang-nhap/")
