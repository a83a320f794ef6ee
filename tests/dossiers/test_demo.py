import pytest
from django.urls import reverse
from django.utils import timezone

from ansinh.audit import history
from dossiers import demo
from dossiers.models import Attendee, Decision, Dossier, DossierStatus, Incident
from registrations import demo as registrations_demo
from registrations.models import Registration, Year
from units import demo as units_demo
from units.demo import ACCOUNTS, DAK_DOA_UNITS, KON_GANG_UNITS
from units.models import Unit


@pytest.mark.django_db
def test_demo_shows_every_state_once_and_runs_again_without_duplicates(demo_province):
    second = demo.seed()

    this_year = timezone.localdate().year
    states = set(Dossier.objects.filter(year__number=this_year).values_list("status", flat=True))
    assert states == set(Dossier.Status.values)
    assert second == (
        f"năm {this_year - 1} hoàn tất (0 hồ sơ mới); năm {this_year}: 0 hồ sơ mới, "
        "1 quyết định công nhận của UBND xã Kon Gang"
    )
    decision = Decision.objects.get(year__number=this_year)
    assert (decision.number_label, decision.issuer.name, decision.dossiers.count()) == ("01/QĐ-UBND", "Xã Kon Gang", 3)
    assert Dossier.objects.get(unit__name="Xã Kon Gang", year__number=this_year).status == Dossier.Status.SUBMITTED
    incident = Incident.objects.get()
    assert incident.unit.dossiers.get(year__number=this_year).status == Dossier.Status.NOT_RECOMMENDED


@pytest.mark.django_db
def test_demo_keeps_last_year_completed_with_numbered_decisions_and_the_year_closed():
    units_demo.seed()
    registrations_demo.seed()
    demo.seed()

    last_year = timezone.localdate().year - 1
    kon_gang = Unit.objects.get(name="Xã Kon Gang")
    units = Unit.objects.filter(parent=kon_gang).participating()
    dossiers = Dossier.objects.filter(year__number=last_year)
    assert set(dossiers.values_list("status", flat=True)) == {Dossier.Status.RECOGNISED}
    assert dossiers.count() == units.count() + 1
    decisions = [
        (d.issuer.name, d.number_label, d.issued_on.strftime("%d/%m"), d.dossiers.count())
        for d in Decision.objects.filter(year__number=last_year).order_by("issued_on")
    ]
    assert decisions == [
        ("Xã Kon Gang", "01/QĐ-UBND", "14/11", units.count()),
        ("Tỉnh Gia Lai", "01/QĐ-UBND", "25/11", 1),
    ]
    assert Year.objects.get(number=last_year).is_open is False
    assert set(Registration.objects.filter(year__number=last_year).values_list("status", flat=True)) == {
        Registration.Status.ACCEPTED
    }


def test_demo_minutes_are_valid_pdfs():
    import io

    from pypdf import PdfReader

    assert PdfReader(io.BytesIO(demo.tiny_pdf("MINUTES 2026"))).pages[0].extract_text() == "MINUTES 2026"


@pytest.mark.django_db
def test_every_demo_dossier_rests_on_a_registration_accepted_through_the_workflow(demo_province):
    for dossier in Dossier.objects.select_related("registration", "unit"):
        registration = dossier.registration
        actions = [e.action for e in history(registration)]
        assert registration.submitted_at is not None, dossier.unit.name
        assert "accept" in actions, dossier.unit.name


@pytest.mark.django_db
def test_demo_lookups_show_no_person(demo_province, client, settings):
    settings.PUBLIC_LOOKUP_MAX = 1000
    people = [full_name for _, _, _, full_name, _ in ACCOUNTS]
    people += [head for *_, head in KON_GANG_UNITS + DAK_DOA_UNITS]
    people += list(Attendee.objects.values_list("name", flat=True))
    assert len(people) > 30
    coded = list(Registration.objects.exclude(receipt_code="")) + list(Dossier.objects.exclude(receipt_code=""))
    assert len(coded) > 10
    assert any(d.status == DossierStatus.RETURNED for d in coded if isinstance(d, Dossier))
    for obj in coded:
        page = client.get(reverse("lookup"), {"ma": obj.receipt_code}).content.decode()
        assert obj.unit.name in page
        assert [name for name in people if name in page] == []
