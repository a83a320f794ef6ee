"""Rules held as rows and edited in the admin: the portal follows them. Also the one source of a unit's
missing registration requirements (the board and the checklist agree) and the commune's incident roll-up."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from ansinh.errors import Refused
from dossiers import services
from dossiers.criteria import checklist
from dossiers.models import (
    CheckCode,
    Dossier,
    DossierRequirement,
    DossierStatus,
    Incident,
    IncidentKind,
    LegalBasis,
    Outcome,
    RecognitionShare,
)
from dossiers.workflow import transition
from registrations.models import Deadline, InternalRule, Registration
from registrations.requirements import facts_of, missing_items
from tests.dossiers.conftest import make_dossier, register
from tests.factories import UnitFactory, kind

S = DossierStatus


def item(dossier, code, reference=None):
    fresh = Dossier.objects.with_facts().get(pk=dossier.pk)
    found = [
        i
        for i in checklist(fresh).items
        if i.criterion.check_code == code and (reference is None or i.criterion.reference == reference)
    ]
    (only,) = found
    return only


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.com", "x")


def test_an_incident_in_a_village_fails_its_communes_article_5_clause_2_item(
    kon_gang, village, dak_doa_village, year, clerk
):
    dossier = make_dossier(kon_gang, year, S.IN_REVIEW)
    assert item(dossier, CheckCode.NO_DISQUALIFYING_INCIDENT).outcome == Outcome.PASS
    Incident.objects.create(
        unit=dak_doa_village, occurred_on=datetime.date(2026, 3, 1), kind=IncidentKind.FIRE_EXPLOSION, description="x"
    )
    assert item(dossier, CheckCode.NO_DISQUALIFYING_INCIDENT).outcome == Outcome.PASS

    Incident.objects.create(
        unit=village, occurred_on=datetime.date(2026, 3, 1), kind=IncidentKind.SERIOUS_CRIME, description="Cướp tài sản"
    )

    found = item(dossier, CheckCode.NO_DISQUALIFYING_INCIDENT)
    assert (found.criterion.reference, found.outcome, found.evidence) == (
        "Điều 5 khoản 2",
        Outcome.FAIL,
        "1 vụ việc làm mất tiêu chuẩn trên địa bàn trong kỳ đánh giá 16/11/2025–15/11/2026 "
        "(tại Làng Kon Gang Tơ Pơng).",
    )


def test_the_health_station_board_and_checklist_name_the_same_missing_documents(client, kon_gang, year, clerk):
    station = UnitFactory(
        name="Trạm Y tế xã Kon Gang", kind=kind("co-quan"), parent=kon_gang, has_party_org=True, staff=9
    )
    # Signed on paper: the form itself counts as filed, the Party resolution and the plan do not.
    registration = register(station, year, documents=False)
    Registration.objects.filter(pk=registration.pk).update(on_paper=True)
    registration.internal_rules.set(InternalRule.objects.for_kind(station.kind_id))
    dossier = make_dossier(station, year, S.IN_REVIEW)

    client.force_login(clerk)
    rows = client.get(reverse("registrations:board", args=[kon_gang.public_id]), {"nam": 2026}).context["rows"]
    (row,) = [r for r in rows if r.pk == station.pk]
    found = item(dossier, CheckCode.REGISTERED_IN_WINDOW)

    assert row.missing_list == ["Thiếu nghị quyết của tổ chức Đảng", "Thiếu kế hoạch bảo đảm an ninh, trật tự"]
    assert (found.outcome, found.evidence) == (
        Outcome.FAIL,
        "Đăng ký ngày 01/02/2026; hạn 13/02/2026; thiếu nghị quyết của tổ chức Đảng, "
        "kế hoạch bảo đảm an ninh, trật tự.",
    )


@pytest.mark.parametrize(
    "model",
    [
        "units/authority",
        "dossiers/recognitionshare",
        "dossiers/dossierrequirement",
        "dossiers/legalbasis",
        "dossiers/criterion",
        "registrations/internalrule",
        "registrations/deadlinedefault",
        "registrations/year",
    ],
)
def test_every_rule_table_opens_in_the_admin_for_listing_and_adding(client, superuser, model):
    client.force_login(superuser)
    app, name = model.split("/")
    assert client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app}_{name}_add")).status_code == 200


def _commune_with_recognised_villages(kon_gang, year, recognised, total):
    for i in range(total):
        unit = UnitFactory(name=f"Thôn {i + 1}", kind=kind("thon"), parent=kon_gang)
        if i < recognised:
            make_dossier(unit, year, S.RECOGNISED)
        else:
            register(unit, year)
    return make_dossier(kon_gang, year, S.IN_REVIEW)


def test_raising_the_share_to_80_percent_in_the_admin_fails_a_commune_at_70(client, superuser, kon_gang, year):
    dossier = _commune_with_recognised_villages(kon_gang, year, recognised=7, total=10)
    assert item(dossier, CheckCode.MANAGED_UNITS).outcome == Outcome.PASS
    share = RecognitionShare.objects.get(province=None)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:dossiers_recognitionshare_change", args=[share.pk]),
        {"province": "", "percent": "80", "source": share.source},
    )

    assert response.status_code == 302
    found = item(dossier, CheckCode.MANAGED_UNITS)
    assert (found.outcome, found.evidence) == (
        Outcome.FAIL,
        "10/10 đơn vị trực thuộc đã đăng ký; 7/10 được công nhận (cần 8, tức 80%).",
    )


def test_a_province_share_applies_to_its_communes_only(province, kon_gang, year):
    other = UnitFactory(name="Tỉnh Khác", kind=kind("tinh"))
    RecognitionShare.objects.create(province=other, percent=100)
    dossier = _commune_with_recognised_villages(kon_gang, year, recognised=7, total=10)
    assert item(dossier, CheckCode.MANAGED_UNITS).outcome == Outcome.PASS


def test_a_province_that_scores_requires_the_score_sheet_from_its_villages(
    client, superuser, province, village, year, village_head
):
    dossier = make_dossier(village, year)
    client.force_login(superuser)
    client.post(
        reverse("admin:dossiers_dossierrequirement_add"),
        {
            "province": province.pk,
            "kind": village.kind_id,
            "doc_type": "score_sheet",
            "is_required": "on",
            "sort_order": 40,
            "source": "Kế hoạch chấm điểm của tỉnh",
        },
    )
    assert DossierRequirement.objects.filter(province=province).count() == 1

    with pytest.raises(Refused) as refused:
        transition(dossier, "submit", village_head)

    assert str(refused.value) == "Chưa thể nộp: hồ sơ còn thiếu Bảng tự chấm điểm."
    assert Dossier.objects.get(pk=dossier.pk).status == S.DRAFT


def test_a_rule_added_for_agencies_is_asked_of_every_agency(kon_gang, year):
    agency = UnitFactory(name="Trường THPT Kon Gang", kind=kind("co-quan"), parent=kon_gang, staff=40)
    registration = register(agency, year)
    registration.internal_rules.set(InternalRule.objects.for_kind(agency.kind_id))
    assert missing_items(agency, facts_of(registration)) == []

    rule = InternalRule.objects.create(code="an-ninh-mang", name="bảo đảm an ninh mạng", sort_order=70)
    rule.kinds.add(agency.kind)

    assert missing_items(agency, facts_of(Registration.objects.get(pk=registration.pk))) == [
        "Thiếu nội quy, quy chế: bảo đảm an ninh mạng"
    ]


def test_an_issuing_bodys_own_legal_basis_prints_on_its_decision(client, kon_gang, village, year, chairman):
    LegalBasis.objects.create(issuer=kon_gang, text="Căn cứ Kế hoạch số 12/KH-UBND của UBND xã Kon Gang;", sort_order=5)
    decision = services.issue_decision(
        issuer=kon_gang,
        dossiers=[make_dossier(village, year, S.RECOMMENDED)],
        user=chairman,
        issued_on=datetime.date(2026, 11, 14),
        signer_name="Nguyễn Văn An",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )
    client.force_login(chairman)

    response = client.get(reverse("dossiers:decision_pdf", args=[decision.public_id]))

    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
        ).split()
    )
    assert "Căn cứ Kế hoạch số 12/KH-UBND của UBND xã Kon Gang;" in text
    # The body's own lines replace the default ones.
    assert "Căn cứ Thông tư số 124/2021/TT-BCA" not in text


def test_a_commune_override_moves_its_villages_dates_only(kon_gang, village, dak_doa_village, year):
    row = year.deadlines.get(category="residential_area", commune=None)
    Deadline.objects.create(
        year=year,
        commune=kon_gang,
        category="residential_area",
        registration_due=datetime.date(2026, 3, 31),
        registration_compiled_due=row.registration_compiled_due,
        period_start=row.period_start,
        period_end=row.period_end,
        dossier_due=datetime.date(2026, 10, 25),
        results_compiled_due=row.results_compiled_due,
        review_due=row.review_due,
        recognition_due=row.recognition_due,
        classification_due=row.classification_due,
    )
    year = type(year).objects.get(pk=year.pk)

    assert year.deadline_for(village).registration_due == datetime.date(2026, 3, 31)
    assert year.deadline_for(dak_doa_village).registration_due == datetime.date(2026, 2, 13)
    ours, theirs = make_dossier(village, year), make_dossier(dak_doa_village, year)
    dues = dict(Dossier.objects.with_deadlines().values_list("pk", "dossier_due"))
    assert (dues[ours.pk], dues[theirs.pk]) == (datetime.date(2026, 10, 25), datetime.date(2026, 10, 29))


def test_an_opened_year_carries_every_step_with_its_source(year):
    rows = {d.category: d for d in year.deadlines.all()}
    village, agency = rows["residential_area"], rows["agency"]
    assert [
        (d.dossier_due, d.results_compiled_due, d.recognition_due, d.classification_due) for d in (village, agency)
    ] == [
        (
            datetime.date(2026, 10, 29),
            datetime.date(2026, 10, 31),
            datetime.date(2026, 11, 15),
            datetime.date(2026, 11, 20),
        ),
        (
            datetime.date(2026, 11, 13),
            datetime.date(2026, 11, 15),
            datetime.date(2026, 11, 20),
            datetime.date(2026, 11, 30),
        ),
    ]
    assert "KH UBND xã Kon Gang 2022, mục IV.3.1" in village.source
    assert "giả định của cổng" in agency.source
