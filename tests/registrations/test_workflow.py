import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ansinh.audit import history
from ansinh.errors import Refused
from ansinh.models import Notification
from registrations import workflow
from registrations.models import Registration
from units.models import OutOfScope

S = Registration.Status
ALL_STATES = [S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.RETURNED]
ALL_ACTIONS = ["submit", "resubmit", "accept", "return"]
STATE_WORDS = {S.DRAFT: "Nháp", S.SUBMITTED: "Đã nộp", S.ACCEPTED: "Đã tiếp nhận", S.RETURNED: "Trả lại"}
LEGAL = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.RETURNED, "resubmit"): S.SUBMITTED,
    (S.SUBMITTED, "accept"): S.ACCEPTED,
    (S.SUBMITTED, "return"): S.RETURNED,
}


def test_the_workflow_knows_exactly_these_actions_and_states():
    assert sorted(workflow.ACTIONS) == sorted(ALL_ACTIONS)
    assert dict(S.choices) == STATE_WORDS


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_every_state_and_action_pair_moves_or_is_refused_without_writing(
    state, action, make_registration, village, clerk
):
    reg = make_registration(village, state)
    events_before = history(reg).count()
    if (state, action) in LEGAL:
        moved = workflow.perform(reg, action, clerk, reason="Bổ sung nghị quyết")
        assert moved.status == LEGAL[(state, action)]
        assert history(reg).count() == events_before + 1
    else:
        with pytest.raises(Refused) as refused:
            workflow.perform(reg, action, clerk, reason="Bổ sung nghị quyết")
        # A registration is called «bản đăng ký» to the person, never «hồ sơ» (that is the dossier).
        assert str(refused.value) == (
            f"Không thể thực hiện thao tác này khi bản đăng ký đang ở trạng thái «{STATE_WORDS[state]}»."
        )
        reg.refresh_from_db()
        assert reg.status == state
        assert history(reg).count() == events_before


def test_village_head_cannot_accept_own_registration(make_registration, village, village_head):
    reg = make_registration(village, S.SUBMITTED)
    with pytest.raises(Refused) as refused:
        workflow.perform(reg, "accept", village_head)
    assert str(refused.value) == "Bạn không có quyền thực hiện thao tác này đối với đơn vị này."
    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


@pytest.mark.parametrize("role_fixture", ["chairman", "records_clerk", "outsider_clerk"])
def test_other_roles_cannot_return_a_registration(request, role_fixture, make_registration, village):
    reg = make_registration(village, S.SUBMITTED)
    with pytest.raises(Refused):
        workflow.perform(reg, "return", request.getfixturevalue(role_fixture), reason="Thiếu")
    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


def test_head_of_another_village_cannot_submit(make_registration, other_village, village_head):
    reg = make_registration(other_village)
    with pytest.raises(Refused):
        workflow.perform(reg, "submit", village_head)


def test_commune_clerk_cannot_receive_the_commune_own_registration(
    make_registration, kon_gang, clerk, province_steering_office
):
    reg = make_registration(kon_gang, S.SUBMITTED)
    with pytest.raises(Refused):
        workflow.perform(reg, "accept", clerk)
    assert workflow.perform(reg, "accept", province_steering_office).status == S.ACCEPTED


def test_return_requires_a_reason(make_registration, village, clerk):
    reg = make_registration(village, S.SUBMITTED)
    with pytest.raises(Refused) as refused:
        workflow.perform(reg, "return", clerk, reason="  ")
    assert str(refused.value) == "Vui lòng ghi rõ lý do."


def test_returned_with_reason_cycle_shows_the_reason_to_the_village_head(
    client, make_registration, village, village_head, clerk
):
    reg = make_registration(village, S.DRAFT, user=village_head)
    reg = workflow.perform(reg, "submit", village_head)
    reg = workflow.perform(reg, "return", clerk, reason="Thiếu chữ ký của bí thư chi bộ")
    assert reg.return_reason == "Thiếu chữ ký của bí thư chi bộ"
    assert Notification.objects.filter(recipient=village_head, body__contains="Thiếu chữ ký").count() == 0  # on_commit

    client.force_login(village_head)
    page = client.get(reverse("registrations:detail", args=[reg.public_id]))
    assert page.status_code == 200
    assert "Lý do: Thiếu chữ ký của bí thư chi bộ" in page.content.decode()
    assert "Nộp lại" in page.content.decode()

    response = client.post(reverse("registrations:transition", args=[reg.public_id, "resubmit"]))
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED
    assert reg.return_reason == ""
    assert [e.reason for e in history(reg) if e.action == "return"] == ["Thiếu chữ ký của bí thư chi bộ"]


def test_return_notifies_the_unit_head(
    django_capture_on_commit_callbacks, make_registration, village, village_head, clerk
):
    reg = make_registration(village, S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(reg, "return", clerk, reason="Thiếu kế hoạch")
    note = Notification.objects.get(recipient=village_head)
    assert (note.title, note.body) == (
        "Bản đăng ký năm 2026 của Làng Kon Gang Tơ Pơng bị trả lại",
        "Lý do: Thiếu kế hoạch",
    )


def test_submission_by_the_village_head_notifies_the_commune_clerk(
    django_capture_on_commit_callbacks, make_registration, village, village_head, clerk
):
    reg = make_registration(village, user=village_head)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(reg, "submit", village_head)
    assert list(Notification.objects.values_list("recipient__username", "title")) == [
        ("congan.konggang", "Làng Kon Gang Tơ Pơng đã nộp bản đăng ký năm 2026")
    ]


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        ("2026-02-13 16:59", False),  # 23:59 on the due day in Asia/Ho_Chi_Minh
        ("2026-02-13 17:01", True),  # 00:01 on 14/02 local time
        ("2026-03-20 08:00", True),
    ],
)
def test_late_mark_follows_the_deadline_in_local_time(moment, late, make_registration, village, clerk):
    reg = make_registration(village)
    with freeze_time(moment):
        reg = workflow.perform(reg, "submit", clerk)
    assert reg.is_late is late


def test_late_mark_follows_a_deadline_the_province_changed(make_registration, village, clerk, year):
    year.deadlines.filter(category="residential_area").update(registration_due=datetime.date(2026, 3, 31))
    reg = make_registration(village)
    with freeze_time("2026-03-20 08:00"):
        reg = workflow.perform(reg, "submit", clerk)
    assert reg.is_late is False


def test_paper_registration_is_late_by_the_day_the_paper_arrived(make_registration, village, clerk):
    reg = make_registration(village)
    Registration.objects.filter(pk=reg.pk).update(on_paper=True, registered_on=datetime.date(2026, 2, 12))
    with freeze_time("2026-03-20 08:00"):
        reg = workflow.perform(reg, "submit", clerk)
    assert reg.is_late is False
    assert reg.registered_on == datetime.date(2026, 2, 12)


def test_unit_taken_out_of_scope_cannot_submit(make_registration, village, clerk):
    reg = make_registration(village)
    village.out_of_scope = OutOfScope.ARMED_FORCES
    village.save()
    with pytest.raises(Refused) as refused:
        workflow.perform(reg, "submit", clerk)
    assert "Đơn vị thuộc lực lượng vũ trang" in str(refused.value)
