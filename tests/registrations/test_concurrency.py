import datetime
import threading
import time

import pytest
from django.conf import settings
from django.urls import reverse

from ansinh.errors import Refused
from registrations import services, workflow
from registrations.models import Registration

# Skipped before the database is touched, so the flush of a transactional test never runs on SQLite.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks and concurrent inserts need PostgreSQL; SQLite serialises writers",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_together(*calls):
    """Run the calls in threads released at the same moment; return each result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        from django.db import connections

        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each side got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_people_registering_the_same_unit_at_once_leave_one_registration(village, clerk, village_head):
    year = services.open_year(village.parent.parent, 2026)

    def register(user):
        return lambda: services.start_registration(
            unit=village,
            year=year,
            user=user,
            registered_on=datetime.date(2026, 2, 5),
            base_count=142,
            committed_count=142,
        )

    results = run_together(register(clerk), register(village_head))
    # Whether the second saw the first or lost the insert race, it hears the same refusal.
    assert sorted(type(r).__name__ for r in results) == ["Refused", "Registration"]
    refused = next(r for r in results if isinstance(r, Refused))
    assert str(refused) == (
        "Làng Kon Gang Tơ Pơng đã có bản đăng ký năm 2026 (trạng thái: Nháp). "
        "Mỗi đơn vị chỉ đăng ký một lần mỗi năm — hãy mở bản đã có để bổ sung."
    )
    assert Registration.objects.filter(unit=village).count() == 1


def test_two_clerks_receiving_the_same_registration_write_one_audit_row(village, clerk, steering_office):
    from ansinh.audit import history

    year = services.open_year(village.parent.parent, 2026)
    reg = services.start_registration(
        unit=village,
        year=year,
        user=clerk,
        registered_on=datetime.date(2026, 2, 5),
        base_count=142,
        committed_count=142,
    )
    reg = workflow.perform(reg, "submit", clerk)
    results = run_together(
        lambda: workflow.perform(reg, "accept", clerk), lambda: workflow.perform(reg, "accept", steering_office)
    )
    assert sorted(type(r).__name__ for r in results) == ["Refused", "Registration"]
    refused = next(r for r in results if isinstance(r, Refused))
    assert str(refused) == "Không thể thực hiện thao tác này khi bản đăng ký đang ở trạng thái «Đã tiếp nhận»."
    assert [e.action for e in history(reg)] == ["create", "submit", "accept"]


def while_row_is_held(registration, change, request, hold=0.5):
    """Hold the row lock while `change` moves the registration, let `request` read the old row and run into
    the lock, then commit; return what `request` returned (or raised)."""
    from django.db import connections, transaction

    held, result = threading.Event(), {}

    def other_person():
        try:
            with transaction.atomic():
                Registration.objects.select_for_update().get(pk=registration.pk)
                change()
                held.set()
                time.sleep(hold)
        finally:
            held.set()
            connections.close_all()

    def this_person():
        held.wait()
        try:
            result["value"] = request()
        except Exception as exc:  # noqa: BLE001 - the test inspects what the person got
            result["value"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=other_person), threading.Thread(target=this_person)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result["value"]


def draft_of(village, clerk):
    year = services.open_year(village.parent.parent, 2026)
    return services.start_registration(
        unit=village,
        year=year,
        user=clerk,
        registered_on=datetime.date(2026, 2, 5),
        base_count=142,
        committed_count=100,
    )


def test_an_edit_saved_while_the_clerk_receives_it_does_not_undo_the_receipt(village, clerk, village_head):
    from django.test import Client

    reg = workflow.perform(draft_of(village, clerk), "submit", village_head)
    reg = workflow.perform(reg, "return", clerk, reason="Thiếu chữ ký")
    client = Client()
    client.force_login(village_head)

    def receive_again():
        workflow.perform(Registration.objects.get(pk=reg.pk), "resubmit", village_head)
        workflow.perform(Registration.objects.get(pk=reg.pk), "accept", clerk)

    response = while_row_is_held(
        reg,
        receive_again,
        lambda: client.post(
            reverse("registrations:edit", args=[reg.public_id]),
            {"base_count": 142, "committed_count": 142, "note": "Sửa muộn"},
            follow=True,
        ),
    )
    reg.refresh_from_db()
    assert (reg.status, reg.committed_count, reg.note) == (Registration.Status.ACCEPTED, 100, "")
    assert "không còn sửa được" in response.content.decode()


def test_a_transition_that_ran_from_a_state_changed_meanwhile_reports_its_own_label(village, clerk, village_head):
    from django.test import Client

    reg = draft_of(village, clerk)
    client = Client()
    client.force_login(village_head)

    def submit_and_return():
        workflow.perform(Registration.objects.get(pk=reg.pk), "submit", village_head)
        workflow.perform(Registration.objects.get(pk=reg.pk), "return", clerk, reason="Thiếu chữ ký")

    # The page still shows a draft; by the time the lock is free the registration was returned, so what
    # runs is the resubmission.
    response = while_row_is_held(
        reg,
        submit_and_return,
        lambda: client.post(reverse("registrations:transition", args=[reg.public_id, "resubmit"]), follow=True),
    )
    assert not isinstance(response, Exception), response
    assert response.status_code == 200
    assert f"Nộp lại: {village.name}." in response.content.decode()
    reg.refresh_from_db()
    assert reg.status == Registration.Status.SUBMITTED
