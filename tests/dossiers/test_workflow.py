import datetime
import re

import pytest
from django.db import connection

from ansinh.errors import Refused
from ansinh.models import AuditEvent, Notification
from dossiers import services
from dossiers import workflow as dossier_workflow
from dossiers.models import Decision, Dossier, DossierStatus
from dossiers.workflow import transition
from tests.dossiers.conftest import make_dossier
from tests.factories import Role, UnitFactory, person
from tests.threads import in_threads

S = DossierStatus
# The states as a person reads them, and the table of Thông tư 124's round, written out here rather than
# read from dossiers.workflow so that a wrong row there fails.
STATE_WORDS = {
    "draft": "Nháp",
    "submitted": "Đã nộp",
    "in_review": "Đang thẩm định",
    "returned": "Yêu cầu bổ sung",
    "recommended": "Đề nghị công nhận",
    "not_recommended": "Không đề nghị",
    "recognised": "Đã công nhận",
    "refused": "Không công nhận",
}
ACTIONS = ["submit", "start_review", "return", "recommend", "not_recommend", "recognise", "refuse"]
LEGAL = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "start_review"): "in_review",
    ("submitted", "return"): "returned",
    ("in_review", "return"): "returned",
    ("in_review", "recommend"): "recommended",
    ("in_review", "not_recommend"): "not_recommended",
    ("recommended", "recognise"): "recognised",
    ("recommended", "refuse"): "refused",
    ("not_recommended", "refuse"): "refused",
}
ACTOR = {
    "submit": "village_head",
    "start_review": "steering_office",
    "return": "steering_office",
    "recommend": "steering_office",
    "not_recommend": "steering_office",
    "recognise": "chairman",
    "refuse": "chairman",
}


def act(dossier, action, user, reason="Lý do cụ thể"):
    if action == "recognise":
        return services.issue_decision(
            issuer=dossier.unit.parent,
            dossiers=[dossier],
            user=user,
            issued_on=datetime.date(2026, 11, 14),
            signer_name="Nguyễn Văn A",
            capacity="on_behalf",
            symbol="QĐ-UBND",
        ).dossiers.get()
    return transition(dossier, action, user, reason=reason)


def test_the_workflow_knows_exactly_these_actions_and_states():
    assert sorted({t.action for t in dossier_workflow.TRANSITIONS}) == sorted(ACTIONS)
    assert dict(S.choices) == STATE_WORDS


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", list(STATE_WORDS))
def test_every_state_and_action_pair_follows_the_table(request, village, year, state, action):
    user = request.getfixturevalue(ACTOR[action])
    dossier = make_dossier(village, year, state, confirmed_by=request.getfixturevalue("steering_office"))
    events = AuditEvent.objects.count()

    if (state, action) in LEGAL:
        moved = act(dossier, action, user)
        assert moved.status == LEGAL[(state, action)]
        assert Dossier.objects.get(pk=dossier.pk).status == LEGAL[(state, action)]
        assert AuditEvent.objects.filter(to_state=moved.status, action=action).count() == 1
    else:
        with pytest.raises(Refused) as refused:
            act(dossier, action, user)
        assert str(refused.value) == (
            f"Không thể thực hiện thao tác này khi hồ sơ đang ở trạng thái «{STATE_WORDS[state]}»."
        )
        assert Dossier.objects.get(pk=dossier.pk).status == state
        assert AuditEvent.objects.count() == events
        assert Decision.objects.count() == 0


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        (S.DRAFT, "submit", "steering_office"),
        (S.DRAFT, "submit", "outsider_clerk"),
        (S.SUBMITTED, "start_review", "village_head"),
        (S.SUBMITTED, "start_review", "clerk"),
        (S.IN_REVIEW, "recommend", "clerk"),
        (S.IN_REVIEW, "recommend", "records_clerk"),
        (S.RECOMMENDED, "refuse", "steering_office"),
        (S.IN_REVIEW, "return", "province_steering_office"),
    ],
)
def test_wrong_role_or_level_is_refused_and_nothing_is_written(request, village, year, state, action, actor):
    dossier = make_dossier(village, year, state)
    events = AuditEvent.objects.count()

    with pytest.raises(Refused) as refused:
        transition(dossier, action, request.getfixturevalue(actor), reason="Lý do")

    assert str(refused.value) == "Bạn không có quyền thực hiện thao tác này đối với đơn vị này."
    assert Dossier.objects.get(pk=dossier.pk).status == state
    assert AuditEvent.objects.count() == events


def test_commune_is_reviewed_by_the_province_not_by_its_own_standing_office(
    kon_gang, year, steering_office, province_steering_office
):
    dossier = make_dossier(kon_gang, year, S.SUBMITTED)

    with pytest.raises(Refused):
        transition(dossier, "start_review", steering_office)
    moved = transition(dossier, "start_review", province_steering_office)

    assert moved.status == S.IN_REVIEW


def test_submitting_an_incomplete_dossier_is_refused_with_the_missing_documents(village, year, village_head):
    dossier = make_dossier(village, year, documents=False)

    with pytest.raises(Refused) as refused:
        transition(dossier, "submit", village_head)

    assert str(refused.value) == (
        "Chưa thể nộp: hồ sơ còn thiếu Tờ trình đề nghị công nhận, Báo cáo kết quả thực hiện, Biên bản cuộc họp."
    )
    assert Dossier.objects.get(pk=dossier.pk).status == S.DRAFT


def test_recommending_needs_every_judgement_item_confirmed(village, year, steering_office):
    dossier = make_dossier(village, year, S.IN_REVIEW)

    with pytest.raises(Refused) as refused:
        transition(dossier, "recommend", steering_office)

    message = str(refused.value)
    assert message.startswith("Chưa thể đề nghị công nhận — tiêu chí chưa được xác nhận: Điều 4 khoản 2 (")
    # The judgement items of Điều 4 (điểm f is checked from the incidents), each named by its article.
    assert re.findall(r"(?:: |; )(Điều \d+ khoản \d+(?: điểm [a-g])?) \(", message) == [
        "Điều 4 khoản 2",
        *(f"Điều 4 khoản 3 điểm {letter}" for letter in "abcdeg"),
        "Điều 4 khoản 5",
    ]


def test_return_needs_a_reason_and_keeps_it_on_the_dossier(
    village, year, steering_office, village_head, clerk, django_capture_on_commit_callbacks
):
    dossier = make_dossier(village, year, S.IN_REVIEW)
    with pytest.raises(Refused) as refused:
        transition(dossier, "return", steering_office, reason="  ")
    assert str(refused.value) == "Vui lòng ghi rõ lý do."

    with django_capture_on_commit_callbacks(execute=True):
        moved = transition(dossier, "return", steering_office, reason="Bổ sung biên bản có chữ ký")

    assert (moved.status, moved.return_reason) == (S.RETURNED, "Bổ sung biên bản có chữ ký")
    assert sorted(Notification.objects.values_list("recipient__username", "title")) == [
        ("congan.konggang", "Hồ sơ của Làng Kon Gang Tơ Pơng được yêu cầu bổ sung"),
        ("truongthon.konggang", "Hồ sơ của Làng Kon Gang Tơ Pơng được yêu cầu bổ sung"),
    ]


def test_recognition_happens_only_through_a_decision(village, year, chairman, steering_office):
    dossier = make_dossier(village, year, S.RECOMMENDED, confirmed_by=steering_office)

    with pytest.raises(Refused) as refused:
        transition(dossier, "recognise", chairman)

    assert str(refused.value) == "Việc công nhận được thực hiện bằng cách ban hành quyết định công nhận."


def test_decision_refuses_a_unit_another_level_manages(kon_gang, village, year, province_chairman):
    dossier = make_dossier(village, year, S.RECOMMENDED)

    with pytest.raises(Refused):
        services.issue_decision(
            issuer=kon_gang.parent,
            dossiers=[dossier],
            user=province_chairman,
            issued_on=datetime.date(2026, 11, 14),
            signer_name="Trần B",
            capacity="chairman",
            symbol="QĐ-UBND",
        )

    assert (Decision.objects.count(), Dossier.objects.get(pk=dossier.pk).status) == (0, S.RECOMMENDED)


def test_issuing_a_decision_numbers_it_and_recognises_its_dossiers(kon_gang, village, other_village, year, chairman):
    dossiers = [make_dossier(u, year, S.RECOMMENDED) for u in (village, other_village)]
    first = services.issue_decision(
        issuer=kon_gang,
        dossiers=dossiers[:1],
        user=chairman,
        issued_on=datetime.date(2026, 11, 14),
        signer_name="Nguyễn Văn A",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )
    second = services.issue_decision(
        issuer=kon_gang,
        dossiers=dossiers[1:],
        user=chairman,
        issued_on=datetime.date(2026, 11, 15),
        signer_name="Nguyễn Văn A",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )

    assert (first.number_label, second.number_label) == ("01/QĐ-UBND", "02/QĐ-UBND")
    assert list(Dossier.objects.order_by("pk").values_list("status", "decision__number")) == [
        (S.RECOGNISED, 1),
        (S.RECOGNISED, 2),
    ]


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Row locks (select_for_update) need PostgreSQL; SQLite serialises writes"
)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_recommendations_one_wins_the_other_is_told(province, kon_gang, village):
    from registrations.services import open_year

    year = open_year(province, 2026)
    office = person(Role.STEERING_OFFICE, kon_gang, "bcd.konggang")
    other = person(Role.STEERING_OFFICE, kon_gang, "bcd2.konggang")
    dossier = make_dossier(village, year, S.IN_REVIEW, confirmed_by=office)

    results = in_threads(
        lambda: transition(dossier, "recommend", office), lambda: transition(dossier, "recommend", other)
    )

    assert sorted(kind for kind, _ in results) == ["ok", "refused"]
    assert [msg for kind, msg in results if kind == "refused"] == [
        "Không thể thực hiện thao tác này khi hồ sơ đang ở trạng thái «Đề nghị công nhận»."
    ]
    assert AuditEvent.objects.filter(action="recommend").count() == 1


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_decisions_issued_at_once_get_consecutive_numbers(province, kon_gang):
    from registrations.services import open_year

    year = open_year(province, 2026)
    chairman = person(Role.CHAIRMAN, kon_gang, "chutich.konggang", title="Chủ tịch")
    deputy = person(Role.CHAIRMAN, kon_gang, "phochutich.konggang", title="Phó Chủ tịch")
    first = make_dossier(UnitFactory(name="Thôn 1", parent=kon_gang), year, S.RECOMMENDED)
    second = make_dossier(UnitFactory(name="Thôn 2", parent=kon_gang), year, S.RECOMMENDED)

    def issue(dossier, user, capacity):
        return lambda: (
            services.issue_decision(
                issuer=kon_gang,
                dossiers=[dossier],
                user=user,
                issued_on=datetime.date(2026, 11, 14),
                signer_name=user.username,
                capacity=capacity,
                symbol="QĐ-UBND",
            ).number
        )

    results = in_threads(issue(first, chairman, "on_behalf"), issue(second, deputy, "deputy"))

    assert sorted(n for _, n in results) == [1, 2]
    assert sorted(Decision.objects.values_list("number", flat=True)) == [1, 2]
