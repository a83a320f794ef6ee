"""A closed year (khóa sổ) is read-only: nothing is registered, edited, uploaded or moved in it."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ansinh.audit import history
from ansinh.errors import Refused
from registrations import workflow
from registrations.models import Registration, RegistrationDocument

S = Registration.Status
TODAY = "2026-02-05 09:00"
CLOSED = "Năm đánh giá 2026 đã khóa sổ."


def close(year):
    year.is_open = False
    year.save(update_fields=["is_open"])


@freeze_time(TODAY)
def test_nobody_registers_in_a_closed_year(client, year, village, village_head, clerk):
    close(year)
    client.force_login(village_head)
    response = client.post(
        reverse("registrations:create", args=[village.public_id]) + "?nam=2026",
        {"base_count": 142, "committed_count": 142, "note": "", "submit": "1"},
        follow=True,
    )
    assert CLOSED in response.content.decode()
    assert "Đăng ký phấn đấu năm 2026</a>" not in response.content.decode()
    client.force_login(clerk)
    response = client.post(
        reverse("registrations:paper", args=[village.public_id]) + "?nam=2026",
        {"registered_on": "2026-02-04", "base_count": 142, "committed_count": 142, "note": "", "accept_now": "on"},
        follow=True,
    )
    assert CLOSED in response.content.decode()
    assert not Registration.objects.exists()


@freeze_time(TODAY)
def test_a_registration_of_a_closed_year_is_not_edited_or_given_files(
    client, year, make_registration, village, village_head, photo
):
    reg = make_registration(village, S.DRAFT, base=142, committed=100)
    close(year)
    client.force_login(village_head)
    response = client.post(
        reverse("registrations:edit", args=[reg.public_id]),
        {"base_count": 142, "committed_count": 142, "note": "Sửa sau khóa sổ"},
        follow=True,
    )
    assert CLOSED in response.content.decode()
    response = client.post(
        reverse("registrations:upload", args=[reg.public_id]),
        {"doc_type": "registration_form", "files": [photo]},
        follow=True,
    )
    assert CLOSED in response.content.decode()
    reg.refresh_from_db()
    assert (reg.committed_count, reg.note) == (100, "")
    assert not RegistrationDocument.objects.exists()
    page = client.get(reverse("registrations:detail", args=[reg.public_id])).content.decode()
    assert "đã khóa sổ" in page
    assert "Nộp đăng ký</button>" not in page


@freeze_time(TODAY)
def test_no_transition_runs_in_a_closed_year(client, year, make_registration, village, other_village, kon_gang, clerk):
    draft = make_registration(village, S.DRAFT)
    submitted = make_registration(other_village, S.SUBMITTED)
    close(year)
    client.force_login(clerk)
    response = client.post(reverse("registrations:transition", args=[draft.public_id, "submit"]), follow=True)
    assert CLOSED in response.content.decode()
    response = client.post(
        reverse("registrations:board_accept", args=[kon_gang.public_id]),
        {"registration": [str(submitted.public_id)], "back": "nam=2026"},
        follow=True,
    )
    assert CLOSED in response.content.decode()
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert (draft.status, submitted.status) == (S.DRAFT, S.SUBMITTED)
    assert [e.action for e in history(submitted)] == ["create", "submit"]


@pytest.mark.parametrize(("status", "action"), [(S.DRAFT, "submit"), (S.SUBMITTED, "accept"), (S.RETURNED, "resubmit")])
def test_workflow_refuses_submitting_or_accepting_in_a_closed_year(
    make_registration, village, clerk, year, status, action
):
    reg = make_registration(village, status)
    close(year)
    with pytest.raises(Refused, match=CLOSED):
        workflow.perform(reg, action, clerk)
    reg.refresh_from_db()
    assert reg.status == status
