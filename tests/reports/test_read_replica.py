"""With REPLICA_DATABASE_URL, the report pages read from the replica and nothing else does: sessions and
login throttling are read where they are written, and every write goes to the primary."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from ansinh.replica import Router, replica_reads
from dossiers.models import Dossier
from registrations.models import Registration, RegistrationDocument, Year
from registrations.services import open_year, start_registration
from units.models import Unit


def test_reads_go_to_the_replica_only_inside_a_report():
    router = Router()
    assert router.db_for_read(Registration) == "default"
    with replica_reads():
        assert router.db_for_read(Registration) == "replica"
        assert router.db_for_read(Unit) == "replica"
        assert router.db_for_read(Session) == "default"
        assert router.db_for_write(Registration) == "default"
    assert router.db_for_read(Dossier) == "default"


def test_the_replica_is_never_migrated():
    router = Router()
    assert router.allow_migrate("replica", "registrations") is False
    assert router.allow_migrate("default", "registrations") is True


class Recorder(Router):
    """Answers like the router, but reads everything from the test database (which has no replica) and
    remembers where each model would have been read."""

    asked = []

    def db_for_read(self, model, **hints):
        Recorder.asked.append((model, super().db_for_read(model, **hints)))
        return "default"

    def db_for_write(self, model, **hints):
        Recorder.asked.append((model, "write:" + super().db_for_write(model, **hints)))
        return "default"


@pytest.fixture
def recorder(settings):
    settings.DATABASE_ROUTERS = ["tests.reports.test_read_replica.Recorder"]
    Recorder.asked = []
    return Recorder.asked


def test_the_dashboard_reads_its_figures_from_the_replica(client, recorder, province, province_steering_office):
    open_year(province, 2026)
    client.force_login(province_steering_office)
    recorder.clear()
    response = client.get(reverse("reports:dashboard", args=[province.public_id]) + "?nam=2026")
    assert response.status_code == 200
    on_replica = {model for model, db in recorder if db == "replica"}
    assert {Unit, Dossier, Year} <= on_replica
    assert (Session, "default") in recorder
    assert Session not in on_replica


def test_a_registration_page_reads_the_primary(client, recorder, province, village, clerk):
    registration = start_registration(
        unit=village,
        year=open_year(province, 2026),
        user=clerk,
        registered_on="2026-02-01",
        base_count=5,
        committed_count=5,
    )
    client.force_login(clerk)
    recorder.clear()
    response = client.get(reverse("registrations:detail", args=[registration.public_id]))
    assert response.status_code == 200
    assert RegistrationDocument in {model for model, _ in recorder}
    assert all(db != "replica" for _, db in recorder)
