"""Refusals that name what fails, disabled buttons with their reason, overdue warnings, reviewers hearing
about arrivals, and each role's home page leading with what waits for it."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ansinh.errors import Refused
from ansinh.models import Notification
from dossiers import services
from dossiers.models import Decision, DossierDocument, DossierStatus
from dossiers.workflow import transition
from registrations import workflow as registration_workflow
from tests.dossiers.conftest import make_dossier, register
from tests.factories import Role, UnitFactory, kind, person

S = DossierStatus
SHORTFALL = "Điều 4 khoản 1 (100% hộ gia đình đang cư trú trên địa bàn đăng ký tham gia xây dựng khu dân cư …)"


@pytest.fixture
def short_dossier(village, year, steering_office):
    """In review, every judgement item confirmed, but only 120 of the 142 households registered."""
    register(village, year, committed=120)
    return make_dossier(village, year, S.IN_REVIEW, confirmed_by=steering_office)


def test_recommending_a_dossier_with_a_failing_criterion_is_refused_naming_it(short_dossier, steering_office):
    with pytest.raises(Refused) as refused:
        transition(short_dossier, "recommend", steering_office)

    assert str(refused.value) == f"Chưa thể đề nghị công nhận — tiêu chí không đạt: {SHORTFALL}."
    short_dossier.refresh_from_db()
    assert short_dossier.status == S.IN_REVIEW


def test_recommend_button_is_disabled_with_the_failing_criterion(client, short_dossier, steering_office):
    client.force_login(steering_office)

    page = client.get(reverse("dossiers:detail", args=[short_dossier.public_id])).content.decode()

    assert (
        '<button class="btn btn-success" type="submit" disabled aria-describedby="why-not-recommend">'
        "Đề nghị công nhận</button>"
    ) in page
    assert f"Chưa thể đề nghị công nhận — tiêu chí không đạt: {SHORTFALL}." in page


def test_posting_recommend_anyway_shows_the_refusal(client, short_dossier, steering_office):
    client.force_login(steering_office)

    response = client.post(
        reverse("dossiers:transition", args=[short_dossier.public_id]), {"action": "recommend"}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        f"Chưa thể đề nghị công nhận — tiêu chí không đạt: {SHORTFALL}."
    ]


def test_recommending_rechecks_that_the_documents_are_still_there(village, year, steering_office):
    dossier = make_dossier(village, year, S.IN_REVIEW, confirmed_by=steering_office)
    DossierDocument.objects.filter(dossier=dossier, doc_type="minutes").update(
        deleted_at=datetime.datetime.now(datetime.UTC)
    )

    with pytest.raises(Refused) as refused:
        transition(dossier, "recommend", steering_office)

    assert str(refused.value) == "Chưa thể đề nghị công nhận: hồ sơ còn thiếu Biên bản cuộc họp."


def test_submit_button_is_disabled_while_documents_are_missing(client, village, year, village_head):
    dossier = make_dossier(village, year, documents=False)
    client.force_login(village_head)

    page = client.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()

    assert 'disabled aria-describedby="why-not-submit">Nộp hồ sơ</button>' in page
    assert "Chưa thể nộp: hồ sơ còn thiếu Tờ trình đề nghị công nhận, Báo cáo kết quả thực hiện" in page


@freeze_time("2026-11-02 09:00")
def test_dossier_page_warns_before_a_late_submission(client, village, year, village_head):
    dossier = make_dossier(village, year)
    client.force_login(village_head)

    page = client.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()

    assert "Đã quá hạn gửi hồ sơ 29/10/2026 — hồ sơ sẽ đến cấp thẩm định muộn." in page


@freeze_time("2026-11-12 09:00")
def test_dossier_page_warns_the_reviewer_after_the_review_deadline(client, village, year, steering_office):
    dossier = make_dossier(village, year, S.SUBMITTED)
    client.force_login(steering_office)

    page = client.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()

    assert "Đã quá hạn thẩm định 10/11/2026" in page


@freeze_time("2026-10-20 09:00")
def test_no_warning_before_the_deadline(client, village, year, village_head):
    dossier = make_dossier(village, year)
    client.force_login(village_head)

    assert "Đã quá hạn" not in client.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()


def test_reviewer_is_notified_on_submit_and_on_resubmit(
    village, year, village_head, steering_office, province_steering_office, django_capture_on_commit_callbacks
):
    dossier = make_dossier(village, year)
    url = f"/ho-so/{dossier.public_id}/"

    with django_capture_on_commit_callbacks(execute=True):
        transition(dossier, "submit", village_head)
    with django_capture_on_commit_callbacks(execute=True):
        transition(dossier, "return", steering_office, reason="Thiếu chữ ký trên biên bản")
    Notification.objects.exclude(recipient=steering_office).delete()
    with django_capture_on_commit_callbacks(execute=True):
        transition(dossier, "submit", village_head)

    assert list(Notification.objects.order_by("pk").values_list("recipient__username", "title", "url")) == [
        ("bcd.konggang", "Hồ sơ của Làng Kon Gang Tơ Pơng đã được nộp, chờ thẩm định", url),
        ("bcd.konggang", "Hồ sơ của Làng Kon Gang Tơ Pơng đã được nộp lại sau khi bổ sung, chờ thẩm định", url),
    ]


def test_a_communes_dossier_is_announced_to_the_provinces_standing_office(
    kon_gang, year, clerk, steering_office, province_steering_office, django_capture_on_commit_callbacks
):
    dossier = make_dossier(kon_gang, year)

    with django_capture_on_commit_callbacks(execute=True):
        transition(dossier, "submit", clerk)

    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["bcd.gialai"]


# Home pages ------------------------------------------------------------------------------------------


def queues_of(response):
    return [(q.title, q.count, [i.title for i in q.items]) for q in response.context["queues"]]


def test_village_head_sees_returned_registration_and_dossier_with_their_reasons(
    client, village, year, village_head, clerk, steering_office
):
    other = UnitFactory(name="Thôn Plei Bông", kind=kind("thon"), parent=village.parent)
    person(Role.UNIT_HEAD, other, "truongthon.pleibong")
    registration = register(other, year, status="submitted")
    registration_workflow.perform(registration, "return", clerk, reason="Thiếu chữ ký của trưởng thôn")
    dossier = make_dossier(village, year, S.IN_REVIEW)
    transition(dossier, "return", steering_office, reason="Biên bản chưa ghi số thành viên nhất trí")
    RoleAssignment = type(village_head.role_assignments.first())
    RoleAssignment.objects.create(user=village_head, role=Role.UNIT_HEAD, unit=other)
    client.force_login(village_head)

    response = client.get(reverse("home"))

    assert queues_of(response) == [
        ("Bản đăng ký bị trả lại", 1, ["Thôn Plei Bông · đăng ký năm 2026"]),
        ("Hồ sơ được yêu cầu bổ sung", 1, ["Làng Kon Gang Tơ Pơng · hồ sơ năm 2026"]),
    ]
    page = response.content.decode()
    assert "Lý do: Thiếu chữ ký của trưởng thôn" in page
    assert "Nội dung cần bổ sung: Biên bản chưa ghi số thành viên nhất trí" in page


def test_standing_office_sees_dossiers_to_review_oldest_deadline_first(
    client, kon_gang, village, year, steering_office
):
    school = UnitFactory(
        name="Trường THCS Kon Gang", kind=kind("co-so-giao-duc"), parent=kon_gang, households=None, staff=40
    )
    make_dossier(school, year, S.SUBMITTED)
    make_dossier(village, year, S.IN_REVIEW)
    make_dossier(UnitFactory(name="Thôn Đê Kjiêng", parent=kon_gang), year, S.RECOMMENDED)
    client.force_login(steering_office)

    response = client.get(reverse("home"))

    # The village's review is due 10/11, the school's later in November.
    assert queues_of(response) == [
        ("Hồ sơ chờ thẩm định", 2, ["Làng Kon Gang Tơ Pơng · hồ sơ năm 2026", "Trường THCS Kon Gang · hồ sơ năm 2026"])
    ]


def test_chairman_sees_dossiers_to_decide(client, kon_gang, village, year, chairman):
    make_dossier(village, year, S.RECOMMENDED)
    make_dossier(UnitFactory(name="Thôn Đê Kjiêng", parent=kon_gang), year, S.IN_REVIEW)
    client.force_login(chairman)

    assert queues_of(client.get(reverse("home"))) == [
        ("Hồ sơ chờ quyết định công nhận", 1, ["Làng Kon Gang Tơ Pơng · hồ sơ năm 2026"])
    ]


@pytest.fixture
def decision(kon_gang, village, year, chairman):
    return services.issue_decision(
        issuer=kon_gang,
        dossiers=[make_dossier(village, year, S.RECOMMENDED)],
        user=chairman,
        issued_on=datetime.date(2026, 11, 14),
        signer_name="Nguyễn Văn An",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )


def test_records_clerk_sees_decisions_to_print_until_marked_printed(client, records_clerk, decision):
    client.force_login(records_clerk)
    home = client.get(reverse("home"))
    assert queues_of(home) == [("Quyết định chờ in", 1, ["Quyết định số 01/QĐ-UBND ngày 14/11/2026"])]
    pdf_url = reverse("dossiers:decision_pdf", args=[decision.public_id])
    assert f'href="{pdf_url}"' in home.content.decode()

    listing = client.get(reverse("dossiers:decision_list")).content.decode()
    assert f'href="{pdf_url}"' in listing
    client.post(reverse("dossiers:decision_printed", args=[decision.public_id]))

    decision.refresh_from_db()
    assert decision.printed_by == records_clerk
    assert queues_of(client.get(reverse("home"))) == []


def test_chairman_cannot_mark_a_decision_printed(client, chairman, decision):
    client.force_login(chairman)

    response = client.post(reverse("dossiers:decision_printed", args=[decision.public_id]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Chỉ văn thư của cơ quan ban hành được ghi nhận đã in quyết định."
    ]
    assert Decision.objects.get().printed_at is None


def test_outsider_cannot_mark_a_decision_printed(client, outsider_clerk, decision):
    client.force_login(outsider_clerk)

    assert client.post(reverse("dossiers:decision_printed", args=[decision.public_id])).status_code == 404


def test_clerk_sees_registrations_to_receive(client, clerk, village, other_village, year):
    register(village, year, status="submitted")
    register(other_village, year, status="accepted")
    client.force_login(clerk)

    assert queues_of(client.get(reverse("home"))) == [
        ("Bản đăng ký chờ tiếp nhận", 1, ["Làng Kon Gang Tơ Pơng · đăng ký năm 2026"])
    ]


def test_nothing_waiting_says_so(client, clerk, year):
    client.force_login(clerk)

    assert "Không có việc nào đang chờ bạn." in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("n", [1, 8])
def test_home_page_reads_in_constant_queries(client, kon_gang, year, steering_office, n, django_assert_max_num_queries):
    for i in range(n):
        make_dossier(UnitFactory(name=f"Thôn {i}", parent=kon_gang), year, S.SUBMITTED)
    client.force_login(steering_office)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("home"))

    assert queues_of(response)[0][1] == n


def test_reviewer_is_emailed_when_email_is_configured(
    village, year, village_head, steering_office, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_NOTIFICATIONS = True
    steering_office.email = "bcd.konggang@example.gov.vn"
    steering_office.save(update_fields=["email"])
    dossier = make_dossier(village, year)

    with django_capture_on_commit_callbacks(execute=True):
        transition(dossier, "submit", village_head)

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["bcd.konggang@example.gov.vn"], "Hồ sơ của Làng Kon Gang Tơ Pơng đã được nộp, chờ thẩm định")
    ]
