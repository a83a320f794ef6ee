import datetime
import threading

import pytest
from django.conf import settings

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
    refused = [r for r in results if isinstance(r, services.RegistrationRefused)]
    assert Registration.objects.filter(unit=village).count() == 1
    assert len(refused) in (0, 1)  # the second either saw the first or lost the insert race
    assert all(isinstance(r, Registration | services.RegistrationRefused) for r in results)


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
    assert sorted(type(r).__name__ for r in results) == ["Registration", "TransitionRefused"]
    assert [e.action for e in history(reg)] == ["create", "submit", "accept"]
