import pytest

from ansinh.audit import history
from dossiers import demo
from dossiers.models import Decision, Dossier, Incident
from registrations import demo as registrations_demo
from units import demo as units_demo


@pytest.mark.django_db
def test_demo_shows_every_state_once_and_runs_again_without_duplicates():
    units_demo.seed()
    registrations_demo.seed()
    demo.seed()
    second = demo.seed()

    states = set(Dossier.objects.values_list("status", flat=True))
    assert states == set(Dossier.Status.values)
    assert second == "0 hồ sơ mới, 1 quyết định công nhận của UBND xã Kon Gang"
    decision = Decision.objects.get(year__number=Dossier.objects.get(unit__name="Xã Kon Gang").year.number)
    assert (decision.number_label, decision.issuer.name, decision.dossiers.count()) == ("01/QĐ-UBND", "Xã Kon Gang", 3)
    assert Dossier.objects.get(unit__name="Xã Kon Gang").status == Dossier.Status.SUBMITTED
    incident = Incident.objects.get()
    assert incident.unit.dossiers.get().status == Dossier.Status.NOT_RECOMMENDED


def test_demo_minutes_are_valid_pdfs():
    import io

    from pypdf import PdfReader

    assert PdfReader(io.BytesIO(demo.tiny_pdf("MINUTES 2026"))).pages[0].extract_text() == "MINUTES 2026"


@pytest.mark.django_db
def test_every_demo_dossier_rests_on_a_registration_accepted_through_the_workflow():
    units_demo.seed()
    registrations_demo.seed()
    demo.seed()

    for dossier in Dossier.objects.select_related("registration", "unit"):
        registration = dossier.registration
        actions = [e.action for e in history(registration)]
        assert registration.submitted_at is not None, dossier.unit.name
        assert "accept" in actions, dossier.unit.name
