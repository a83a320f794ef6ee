import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ansinh.audit import history
from ansinh.errors import Refused
from registrations import services
from registrations.models import DocumentType, InternalRule, MovementModel, Registration, RegistrationDocument
from registrations.requirements import missing_items, required_documents
from tests.factories import UnitFactory, kind
from units.models import OutOfScope

S = Registration.Status
TODAY = "2026-02-05 09:00"


def test_a_second_registration_for_the_same_unit_and_year_is_refused(year, village, clerk, village_head):
    services.start_registration(
        unit=village,
        year=year,
        user=clerk,
        registered_on=datetime.date(2026, 2, 1),
        base_count=142,
        committed_count=142,
    )
    with pytest.raises(Refused) as refused:
        services.start_registration(
            unit=village,
            year=year,
            user=village_head,
            registered_on=datetime.date(2026, 2, 2),
            base_count=142,
            committed_count=140,
        )
    assert str(refused.value) == (
        "Làng Kon Gang Tơ Pơng đã có bản đăng ký năm 2026 (trạng thái: Nháp). "
        "Mỗi đơn vị chỉ đăng ký một lần mỗi năm — hãy mở bản đã có để bổ sung."
    )
    assert Registration.objects.filter(unit=village).count() == 1


@freeze_time(TODAY)
def test_paper_entry_for_an_already_registered_unit_saves_nothing(client, make_registration, village, clerk):
    existing = make_registration(village)
    client.force_login(clerk)
    response = client.post(
        reverse("registrations:paper", args=[village.public_id]) + "?nam=2026",
        {"registered_on": "2026-02-04", "base_count": 142, "committed_count": 142},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("registrations:detail", args=[existing.public_id])
    assert "đã có bản đăng ký năm 2026" in response.content.decode()
    assert Registration.objects.filter(unit=village).count() == 1


@pytest.mark.parametrize(
    ("code", "party", "expected"),
    [
        ("lang", True, [DocumentType.PARTY_RESOLUTION, DocumentType.REGISTRATION_FORM]),
        ("thon", False, [DocumentType.REGISTRATION_FORM]),
        ("xa", True, [DocumentType.PARTY_RESOLUTION, DocumentType.SECURITY_PLAN, DocumentType.REGISTRATION_FORM]),
        ("co-quan", False, [DocumentType.SECURITY_PLAN, DocumentType.REGISTRATION_FORM]),
        (
            "doanh-nghiep",
            True,
            [DocumentType.PARTY_RESOLUTION, DocumentType.SECURITY_PLAN, DocumentType.REGISTRATION_FORM],
        ),
        ("co-so-giao-duc", False, [DocumentType.SECURITY_PLAN, DocumentType.REGISTRATION_FORM]),
    ],
)
def test_required_documents_depend_on_kind_and_party_presence(kon_gang, code, party, expected):
    unit = UnitFactory(kind=kind(code), parent=kon_gang, has_party_org=party)
    assert required_documents(unit) == expected


def test_missing_list_speaks_plain_vietnamese(make_registration, village):
    reg = make_registration(village, base=142, committed=130)
    reg = Registration.objects.prefetch_related("documents", "movement_models").get(pk=reg.pk)
    assert missing_items(village, services_facts(reg)) == [
        "Mới 130/142 hộ đăng ký (92%)",
        "Thiếu nghị quyết của chi bộ",
        "Thiếu bản đăng ký phấn đấu",
    ]


def test_agency_lacks_plan_model_and_internal_rules(make_registration, agency):
    reg = make_registration(agency, base=9, committed=9)
    Registration.objects.filter(pk=reg.pk).update(on_paper=True, paper_party_resolution=True)
    reg.internal_rules.set(InternalRule.objects.filter(code="bao-ve-bi-mat-nha-nuoc"))
    reg = Registration.objects.prefetch_related("documents", "movement_models").get(pk=reg.pk)
    assert missing_items(agency, services_facts(reg)) == [
        "Thiếu kế hoạch bảo đảm an ninh, trật tự",
        "Chưa có mô hình tự phòng, tự quản",
        "Thiếu nội quy, quy chế: bảo vệ cơ quan, doanh nghiệp, bảo vệ chính trị nội bộ, an toàn lao động, "
        "phòng cháy, chữa cháy, bảo vệ môi trường",
    ]


def services_facts(reg):
    from registrations.requirements import facts_of

    return facts_of(reg)


@freeze_time(TODAY)
def test_village_head_registers_from_the_phone_with_photos_and_submits(
    client, year, village, village_head, photo, pdf_file
):
    client.force_login(village_head)
    start = client.get(reverse("registrations:mine"), follow=True)
    assert "Đăng ký phấn đấu năm 2026" in start.content.decode()
    form_page = client.get(reverse("registrations:create", args=[village.public_id]))
    html = form_page.content.decode()
    assert 'capture="environment"' in html
    assert 'value="142"' in html  # households prefilled from the unit
    response = client.post(
        reverse("registrations:create", args=[village.public_id]),
        {
            "base_count": 142,
            "committed_count": 142,
            "note": "",
            "doc_registration_form": [photo],
            "doc_party_resolution": [pdf_file],
            "submit": "1",
        },
    )
    reg = Registration.objects.get(unit=village)
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:detail", args=[reg.public_id])
    assert reg.status == S.SUBMITTED
    assert reg.is_late is False
    assert reg.registered_on == datetime.date(2026, 2, 5)
    assert sorted(RegistrationDocument.objects.filter(registration=reg).values_list("doc_type", flat=True)) == [
        "party_resolution",
        "registration_form",
    ]
    assert [e.action for e in history(reg)] == ["create", "upload", "upload", "submit"]


@freeze_time(TODAY)
def test_commune_registers_its_movement_models(client, year, kon_gang, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("registrations:create", args=[kon_gang.public_id]),
        {
            "base_count": 25,
            "committed_count": 25,
            "note": "",
            "models-TOTAL_FORMS": 1,
            "models-INITIAL_FORMS": 0,
            "models-0-name": "Tổ tự quản an ninh trật tự",
            "models-0-since": "2024-05-01",
            "draft": "1",
        },
    )
    assert response.status_code == 302
    reg = Registration.objects.get(unit=kon_gang)
    assert reg.status == S.DRAFT
    assert list(MovementModel.objects.filter(registration=reg).values_list("name", flat=True)) == [
        "Tổ tự quản an ninh trật tự"
    ]


@freeze_time(TODAY)
def test_more_committed_than_households_is_refused_and_nothing_saved(client, year, village, village_head):
    client.force_login(village_head)
    response = client.post(
        reverse("registrations:create", args=[village.public_id]),
        {"base_count": 142, "committed_count": 150, "note": "", "submit": "1"},
    )
    assert response.status_code == 200
    assert "Số đã đăng ký không được lớn hơn tổng số." in response.content.decode()
    assert Registration.objects.count() == 0


@freeze_time(TODAY)
def test_out_of_scope_unit_cannot_register_and_the_page_says_why(client, year, kon_gang, clerk):
    school = UnitFactory(
        name="Trường Tiểu học Kon Gang",
        kind=kind("co-so-giao-duc"),
        parent=kon_gang,
        households=None,
        staff=27,
        out_of_scope=OutOfScope.PRIMARY_SCHOOL,
    )
    client.force_login(clerk)
    for name in ("registrations:unit", "registrations:create", "registrations:paper"):
        page = client.get(reverse(name, args=[school.public_id]))
        html = page.content.decode()
        assert page.status_code == 200
        assert "Không thuộc diện đăng ký theo Thông tư 124/2021/TT-BCA: Trường tiểu học" in html
        assert "Nộp đăng ký" not in html
    client.post(
        reverse("registrations:create", args=[school.public_id]),
        {"base_count": 27, "committed_count": 27, "submit": "1"},
    )
    with pytest.raises(Refused) as refused:
        services.start_registration(
            unit=school,
            year=year,
            user=clerk,
            registered_on=datetime.date(2026, 2, 1),
            base_count=27,
            committed_count=27,
        )
    assert "Trường tiểu học" in str(refused.value)
    assert Registration.objects.count() == 0


@freeze_time(TODAY)
def test_head_of_another_village_does_not_see_it(client, year, other_village, village_head):
    client.force_login(village_head)
    assert client.get(reverse("registrations:create", args=[other_village.public_id])).status_code == 404


@freeze_time(TODAY)
@pytest.mark.parametrize("role_fixture", ["chairman", "records_clerk", "steering_office"])
def test_roles_that_do_not_register_are_refused(request, client, year, village, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("registrations:create", args=[village.public_id])).status_code == 403
    assert (
        client.post(
            reverse("registrations:paper", args=[village.public_id]),
            {"registered_on": "2026-02-04", "base_count": 1, "committed_count": 1},
        ).status_code
        == 403
    )
    assert Registration.objects.count() == 0


@freeze_time(TODAY)
def test_clerk_of_another_commune_gets_404_on_the_registration(client, make_registration, village, outsider_clerk):
    reg = make_registration(village, S.SUBMITTED)
    client.force_login(outsider_clerk)
    for url in (
        reverse("registrations:detail", args=[reg.public_id]),
        reverse("registrations:edit", args=[reg.public_id]),
        reverse("registrations:unit", args=[village.public_id]),
        reverse("registrations:form_pdf", args=[village.public_id]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("registrations:transition", args=[reg.public_id, "accept"])).status_code == 404
    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


@freeze_time(TODAY)
def test_clerk_enters_a_paper_registration_and_receives_it_at_once(client, year, village, other_village, clerk):
    client.force_login(clerk)
    form = client.get(reverse("registrations:paper", args=[village.public_id]))
    html = form.content.decode()
    assert 'value="05/02/2026"' in html
    assert "autofocus" in html
    response = client.post(
        reverse("registrations:paper", args=[village.public_id]),
        {
            "registered_on": "2026-02-04",
            "base_count": 142,
            "committed_count": 142,
            "paper_party_resolution": "on",
            "note": "",
            "accept_now": "on",
            "next": "1",
        },
    )
    reg = Registration.objects.get(unit=village)
    assert (reg.status, reg.on_paper, reg.is_late, reg.paper_party_resolution) == (S.ACCEPTED, True, False, True)
    # «Lưu và nhập tiếp» opens the next unregistered unit in board order: the commune itself, then its units.
    assert response["Location"] == reverse("registrations:paper", args=[village.parent.public_id]) + "?nam=2026"
    response = client.post(
        response["Location"],
        {"registered_on": "2026-02-05", "base_count": 25, "committed_count": 25, "note": "", "next": "1"},
    )
    assert response["Location"] == reverse("registrations:paper", args=[other_village.public_id]) + "?nam=2026"
    assert Registration.objects.get(unit=village.parent).status == S.SUBMITTED  # the province receives it


@freeze_time(TODAY)
def test_paper_date_in_the_future_is_refused(client, year, village, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("registrations:paper", args=[village.public_id]),
        {"registered_on": "2026-02-06", "base_count": 142, "committed_count": 142, "note": ""},
    )
    assert response.status_code == 200
    assert "Ngày nhận không được sau hôm nay." in response.content.decode()
    assert Registration.objects.count() == 0


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("0001-01-01", "Ngày nhận không được trước ngày 01/01/2025 (năm đánh giá 2026)."),
        ("2024-12-31", "Ngày nhận không được trước ngày 01/01/2025 (năm đánh giá 2026)."),
        ("2062-02-04", "Ngày nhận không được sau hôm nay."),
    ],
)
def test_paper_date_far_from_the_evaluation_year_is_refused(client, year, village, clerk, typed, error):
    client.force_login(clerk)
    response = client.post(
        reverse("registrations:paper", args=[village.public_id]),
        {"registered_on": typed, "base_count": 142, "committed_count": 142, "note": "", "accept_now": "on"},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Registration.objects.count() == 0


@freeze_time(TODAY)
def test_paper_entry_asks_for_each_internal_rule_of_the_kind_and_the_board_names_the_missing_one(
    client, year, agency, kon_gang, clerk
):
    rules = list(InternalRule.objects.for_kind(agency.kind_id))
    client.force_login(clerk)
    form = client.get(reverse("registrations:paper", args=[agency.public_id])).context["form"]
    assert [f.label for f in form.rule_bound_fields()] == [
        "Bảo vệ cơ quan, doanh nghiệp",
        "Bảo vệ bí mật nhà nước",
        "Bảo vệ chính trị nội bộ",
        "An toàn lao động",
        "Phòng cháy, chữa cháy",
        "Bảo vệ môi trường",
    ]

    client.post(
        reverse("registrations:paper", args=[agency.public_id]),
        {
            "registered_on": "2026-02-04",
            "base_count": 9,
            "committed_count": 9,
            "paper_party_resolution": "on",
            "paper_security_plan": "on",
            "movement_model": "Tổ bảo vệ tự quản",
            "note": "",
            "accept_now": "on",
            **{f"rule_{rule.pk}": "on" for rule in rules[:-1]},
        },
    )

    reg = Registration.objects.get(unit=agency)
    assert list(reg.internal_rules.order_by("sort_order")) == rules[:-1]
    rows = client.get(reverse("registrations:board", args=[kon_gang.public_id]), {"nam": 2026}).context["rows"]
    assert [r.missing_list for r in rows if r.pk == agency.pk] == [["Thiếu nội quy, quy chế: bảo vệ môi trường"]]


def test_editing_a_draft_keeps_the_old_and_new_counts_in_the_audit(client, make_registration, village, village_head):
    reg = make_registration(village, S.DRAFT, base=142, committed=120)
    client.force_login(village_head)
    response = client.post(
        reverse("registrations:edit", args=[reg.public_id]),
        {
            "base_count": 142,
            "committed_count": 135,
            "note": "Thêm 15 hộ",
            "models-TOTAL_FORMS": 0,
            "models-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    reg.refresh_from_db()
    assert (reg.committed_count, reg.note, reg.status) == (135, "Thêm 15 hộ", S.DRAFT)
    edit = [e for e in history(reg) if e.action == "edit"]
    assert [(e.actor, e.label, e.changes) for e in edit] == [
        (village_head, "Sửa bản đăng ký", {"committed_count": ["120", "135"], "note": ["", "Thêm 15 hộ"]})
    ]
