"""The administrator's audit trail: who did what, when and from where, filtered and exported; reading a
private document is in it too."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from ansinh.models import AuditEvent
from registrations import services
from registrations.models import RegistrationDocument
from tests.dossiers.conftest import TINY_PDF


def archive(client, unit, reason, address):
    client.post(
        reverse("units:archive", args=[unit.public_id]),
        {"reason": reason},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


@freeze_time("2026-03-02 09:00")
def test_administrator_sees_who_did_what_when_and_from_where(
    client, settings, village, other_village, clerk, province_admin
):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    client.force_login(clerk)
    archive(client, village, "Sáp nhập", "203.0.113.7")
    client.force_login(province_admin)
    page = client.get(reverse("audit_log"))
    rows = [(e.actor.username, e.address, e.unit.name, e.action) for e in page.context["page"]]
    assert rows == [("congan.konggang", "203.0.113.7", village.name, "archive")]
    html = page.content.decode()
    assert "02/03/2026 16:00" in html
    assert "Sáp nhập" in html


def test_filters_narrow_by_unit_person_action_and_dates(client, village, other_village, clerk, province_admin):
    with freeze_time("2026-03-02 09:00"):
        client.force_login(clerk)
        archive(client, village, "Sáp nhập", "203.0.113.7")
    with freeze_time("2026-04-10 09:00"):
        client.force_login(province_admin)
        archive(client, other_village, "Giải thể", "198.51.100.4")
    client.force_login(province_admin)

    def names(**query):
        return [e.unit.name for e in client.get(reverse("audit_log"), query).context["page"]]

    assert names() == [other_village.name, village.name]
    assert names(don_vi="ha long") == [other_village.name]
    assert names(nguoi="congan") == [village.name]
    assert names(thao_tac="archive") == [other_village.name, village.name]
    assert names(tu_ngay="01/04/2026") == [other_village.name]
    assert names(den_ngay="31/03/2026") == [village.name]


def test_export_carries_the_filtered_rows(client, village, other_village, clerk, province_admin):
    client.force_login(clerk)
    archive(client, village, '=HYPERLINK("x")', "203.0.113.7")
    archive(client, other_village, "Giải thể", "203.0.113.7")
    client.force_login(province_admin)
    response = client.get(reverse("audit_log"), {"don_vi": "kon gang", "xuat": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [(r[2], r[3], r[4], r[5], r[7]) for r in rows] == [
        ("congan.konggang", "127.0.0.1", village.name, "archive", '=HYPERLINK("x")')
    ]
    assert ws["H3"].data_type == "s"


def test_only_administrators_open_the_audit_trail(client, clerk, chairman):
    assert client.get(reverse("audit_log"))["Location"].startswith(reverse("login"))
    for person in (clerk, chairman):
        client.force_login(person)
        assert client.get(reverse("audit_log")).status_code == 403


def test_reading_a_document_is_audited_with_the_address(client, settings, province, village, clerk):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    year = services.open_year(province, 2026)
    registration = services.start_registration(
        unit=village, year=year, user=clerk, registered_on="2026-02-01", base_count=5, committed_count=5
    )
    services.add_documents(
        registration=registration,
        doc_type="other",
        files=[SimpleUploadedFile("ke-hoach.pdf", TINY_PDF, "application/pdf")],
        user=clerk,
    )
    document = RegistrationDocument.objects.get()
    client.force_login(clerk)
    client.get(reverse("registrations:document", args=[document.public_id]), HTTP_X_FORWARDED_FOR="192.0.2.55")
    event = AuditEvent.objects.get(action="download")
    assert (event.actor, event.address, event.unit, event.label) == (
        clerk,
        "192.0.2.55",
        village,
        "Tải xuống: ke-hoach.pdf",
    )
