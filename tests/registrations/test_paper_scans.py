"""Nhận bản giấy đã ký: the registration form carries a QR code; a scan of the signed page is matched to
its registration by that code, shown to the clerk, and filed only when the clerk confirms."""

import io
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from ansinh.models import AuditEvent
from registrations.models import DocumentType, Registration, RegistrationDocument
from tests.registrations.conftest import png_bytes

TODAY = "2026-03-02"


def _form_pdf(client, unit):
    response = client.get(reverse("registrations:form_pdf", args=[unit.public_id]) + "?nam=2026")
    assert response.status_code == 200
    return response.content


def _scan(pdf: bytes) -> bytes:
    """What a scanner gives back: the printed page as a 150 dpi PNG (pdftoppm, as the tests' scanner)."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", "-", f"{folder}/scan"],  # noqa: S607
            input=pdf,
            capture_output=True,
            check=True,
        )
        return Path(folder, "scan.png").read_bytes()


def _upload(client, content, name="ban-dang-ky-da-ky.png", content_type="image/png"):
    return client.post(
        reverse("registrations:paper_scan"), {"file": SimpleUploadedFile(name, content, content_type=content_type)}
    )


@pytest.fixture
def registrations(make_registration, village, other_village):
    return (
        make_registration(village, Registration.Status.SUBMITTED),
        make_registration(other_village, Registration.Status.SUBMITTED),
    )


@freeze_time(TODAY)
def test_a_scanned_signed_page_is_attached_to_its_registration_by_its_qr_code(client, clerk, registrations):
    village_reg, other_reg = registrations
    client.force_login(clerk)
    scan = _scan(_form_pdf(client, village_reg.unit))

    preview = _upload(client, scan)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Làng Kon Gang Tơ Pơng" in page
    assert village_reg.receipt_code in page
    assert RegistrationDocument.objects.count() == 0  # nothing filed before the confirmation

    response = client.post(reverse("registrations:paper_scan_confirm"))

    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:detail", args=[village_reg.public_id])
    doc = RegistrationDocument.objects.get()
    assert (doc.registration_id, doc.doc_type, doc.original_name) == (
        village_reg.pk,
        DocumentType.REGISTRATION_FORM,
        "ban-dang-ky-da-ky.png",
    )
    assert AuditEvent.objects.filter(object_id=village_reg.pk, action="upload").count() == 1
    assert not other_reg.documents.exists()


@freeze_time(TODAY)
def test_a_form_printed_before_submission_is_matched_by_unit_and_year(client, clerk, make_registration, village):
    draft = make_registration(village)  # a draft has no receipt code yet
    assert draft.receipt_code == ""
    client.force_login(clerk)

    # A PDF from the scanner works as well as a photo.
    preview = _upload(client, _form_pdf(client, village), "scan.pdf", "application/pdf")

    assert "Làng Kon Gang Tơ Pơng" in preview.content.decode()
    client.post(reverse("registrations:paper_scan_confirm"))
    assert RegistrationDocument.objects.get().registration_id == draft.pk


@freeze_time(TODAY)
def test_a_form_of_a_unit_without_registration_asks_for_the_paper_entry_first(client, clerk, village, year):
    client.force_login(clerk)
    response = _upload(client, _scan(_form_pdf(client, village)))
    assert "Hãy nhập bản giấy cho đơn vị đó trước" in response.content.decode()
    assert RegistrationDocument.objects.count() == 0


@freeze_time(TODAY)
def test_clerk_of_another_commune_is_told_the_code_matches_nothing(client, clerk, outsider_clerk, registrations):
    client.force_login(clerk)
    scan = _scan(_form_pdf(client, registrations[0].unit))
    client.force_login(outsider_clerk)

    response = _upload(client, scan)

    page = response.content.decode()
    assert "không khớp với bản đăng ký nào" in page
    assert "Làng Kon Gang Tơ Pơng" not in page
    assert client.post(reverse("registrations:paper_scan_confirm")).status_code == 302
    assert RegistrationDocument.objects.count() == 0


@freeze_time(TODAY)
def test_an_image_without_a_code_gets_a_vietnamese_error(client, clerk, registrations):
    client.force_login(clerk)
    response = _upload(client, png_bytes())
    assert "Không đọc được mã QR" in response.content.decode()
    assert RegistrationDocument.objects.count() == 0


@freeze_time(TODAY)
def test_a_word_file_is_refused(client, clerk, registrations):
    client.force_login(clerk)
    response = _upload(client, b"plain text, not a scan", "ghi-chu.txt", "text/plain")
    assert "không phải định dạng được chấp nhận" in response.content.decode()


def test_village_head_cannot_open_the_page(client, village_head):
    client.force_login(village_head)
    assert client.get(reverse("registrations:paper_scan")).status_code == 403


def test_board_links_to_the_page(client, clerk, kon_gang, year):
    client.force_login(clerk)
    board = client.get(reverse("registrations:board", args=[kon_gang.public_id])).content.decode()
    assert reverse("registrations:paper_scan") in board


def _age(path, days):
    """Make a parked scan look `days` old (storage reports the file's modification time)."""
    when = time.time() - days * 86400
    os.utime(default_storage.path(path), (when, when))


@freeze_time(TODAY)
def _park(client, unit):
    _upload(client, _scan(_form_pdf(client, unit)))
    return client.session["paper-scan"]["pending"]


def test_scans_never_confirmed_are_discarded_after_the_days_with_a_trace(client, clerk, registrations, settings):
    village_reg, other_reg = registrations
    settings.PAPER_SCAN_PENDING_DAYS = 7
    client.force_login(clerk)
    stale = _park(client, village_reg.unit)
    other = Client()
    other.force_login(clerk)
    fresh = _park(other, other_reg.unit)
    _age(stale, 8)
    _age(fresh, 2)
    untracked = default_storage.save("registrations/scans-pending/" + "a" * 32 + ".png", ContentFile(b"x"))
    _age(untracked, 30)
    out = io.StringIO()

    call_command("discard_pending_scans", stdout=out)

    assert (default_storage.exists(stale), default_storage.exists(fresh), default_storage.exists(untracked)) == (
        False,
        True,
        True,
    )
    assert "Đã hủy 1 bản quét chờ xác nhận quá 7 ngày." in out.getvalue()
    assert f"Giữ lại (không rõ người gửi, cần quản trị xem xét): {untracked}" in out.getvalue()
    trail = list(
        AuditEvent.objects.filter(object_id=village_reg.pk, action__startswith="scan_").values_list(
            "action", "actor", "label"
        )
    )
    assert trail == [
        ("scan_pending", clerk.pk, "Nhận bản quét chờ xác nhận: ban-dang-ky-da-ky.png"),
        ("scan_discarded", None, "Hủy bản quét không được xác nhận sau 7 ngày"),
    ]
    # The clerk who comes back to confirm is told to upload again; nothing is filed (sessions live in
    # the frozen day the scans were sent).
    with freeze_time(TODAY):
        response = client.post(reverse("registrations:paper_scan_confirm"), follow=True)
        assert "Phiên nhận bản giấy đã hết hạn" in response.content.decode()
        assert RegistrationDocument.objects.count() == 0
        # The fresh one is still confirmed as usual.
        other.post(reverse("registrations:paper_scan_confirm"))
    assert RegistrationDocument.objects.get().registration_id == other_reg.pk
