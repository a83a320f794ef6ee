"""Signed decisions: the PDF is rendered, signed with the issuing body's certificate and stored when the
decision is issued; downloads only read it; the decision page says whether the stored file is still as
signed; without a certificate it is unsigned; a signing failure leaves the decision issued and «chưa ký số»."""

import datetime
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from ansinh.models import AuditEvent
from dossiers import services, signing
from dossiers.models import Decision, DecisionPdf, DossierStatus
from tests.dossiers.conftest import make_dossier

PASSPHRASE = "mat-khau-thu"


@pytest.fixture
def signing_key(settings, tmp_path):
    path = signing.make_demo_key(tmp_path / "ubnd-kon-gang.p12", PASSPHRASE, issuer_name="UBND xã Kon Gang")
    settings.DECISION_SIGNERS = {"23701": {"pkcs12": str(path), "passphrase": PASSPHRASE}}
    return path


def _download(client, decision):
    response = client.get(reverse("dossiers:decision_pdf", args=[decision.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def _trust_root(path):
    _, cert, _ = pkcs12.load_key_and_certificates(path.read_bytes(), PASSPHRASE.encode())
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def test_issued_decision_is_signed_and_verifies_with_pyhanko(client, records_clerk, signing_key, decision):
    client.force_login(records_clerk)
    data = _download(client, decision)

    signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert len(signatures) == 1
    status = validate_pdf_signature(
        signatures[0], ValidationContext(trust_roots=[_trust_root(signing_key)], allow_fetching=False)
    )
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Số: 01/QĐ-UBND" in text
    # A visible signature: the field has a real rectangle (in the signer's block) and an appearance.
    field = signatures[0].sig_field
    left, bottom, right, top = (float(v) for v in field["/Rect"])
    assert (signatures[0].field_name, right - left > 100, top - bottom > 40) == ("ChuKySo", True, True)
    assert "/AP" in field


def test_every_download_returns_the_stored_bytes(client, records_clerk, signing_key, decision):
    client.force_login(records_clerk)
    first = _download(client, decision)
    second = _download(client, decision)
    assert first == second
    assert DecisionPdf.objects.filter(decision=decision).count() == 1
    assert AuditEvent.objects.filter(action="store_pdf").count() == 1


def test_page_says_intact_and_then_not_after_a_byte_changes(client, records_clerk, signing_key, decision):
    client.force_login(records_clerk)
    _download(client, decision)
    page = client.get(reverse("dossiers:decision_detail", args=[decision.public_id])).content.decode()
    assert "Chữ ký số nguyên vẹn" in page
    assert "CHỨNG THƯ THỬ NGHIỆM" in page

    # Someone with access to the file store (disk or bucket) changes one byte.
    name = DecisionPdf.objects.get(decision=decision).file.name
    with default_storage.open(name, "rb") as handle:
        data = bytearray(handle.read())
    data[len(data) // 3] ^= 0x01
    default_storage.delete(name)
    assert default_storage.save(name, ContentFile(bytes(data))) == name

    page = client.get(reverse("dossiers:decision_detail", args=[decision.public_id])).content.decode()
    assert "không còn nguyên vẹn" in page
    assert "Chữ ký số nguyên vẹn" not in page


def test_without_a_certificate_the_decision_is_unsigned_and_the_page_says_so(client, records_clerk, decision):
    client.force_login(records_clerk)
    data = _download(client, decision)

    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []
    page = client.get(reverse("dossiers:decision_detail", args=[decision.public_id])).content.decode()
    assert "không được ký số" in page


def test_a_wrong_passphrase_leaves_the_decision_issued_unsigned_and_a_post_signs_it_later(
    client, settings, records_clerk, signing_key, kon_gang, other_village, year, chairman
):
    settings.DECISION_SIGNERS = {"default": {"pkcs12": str(signing_key), "passphrase": "sai"}}
    dossier = make_dossier(other_village, year, DossierStatus.RECOMMENDED)
    decision = services.issue_decision(
        issuer=kon_gang,
        dossiers=[dossier],
        user=chairman,
        issued_on=datetime.date(2026, 11, 14),
        signer_name="Nguyễn Văn An",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )
    dossier.refresh_from_db()
    assert (dossier.status, DecisionPdf.objects.count()) == (DossierStatus.RECOGNISED, 0)
    failed = AuditEvent.objects.get(action="store_pdf_failed")
    assert "Không mở được chứng thư số" in failed.reason
    client.force_login(records_clerk)
    page = client.get(reverse("dossiers:decision_detail", args=[decision.public_id])).content.decode()
    assert "chưa ký số" in page
    assert "Ký số và lưu bản PDF" in page
    # Printing before it is signed says why and stores nothing.
    response = client.get(reverse("dossiers:decision_pdf", args=[decision.public_id]), follow=True)
    assert "chưa ký số" in response.content.decode()
    assert DecisionPdf.objects.count() == 0

    response = client.post(reverse("dossiers:decision_sign", args=[decision.public_id]), follow=True)
    assert "Không mở được chứng thư số" in response.content.decode()
    assert DecisionPdf.objects.count() == 0

    settings.DECISION_SIGNERS = {"default": {"pkcs12": str(signing_key), "passphrase": PASSPHRASE}}
    client.post(reverse("dossiers:decision_sign", args=[decision.public_id]))
    stored = DecisionPdf.objects.get()
    assert stored.signed
    assert AuditEvent.objects.get(action="store_pdf").actor == records_clerk
    assert PdfFileReader(io.BytesIO(_download(client, decision))).embedded_signatures != []


def test_issuing_stores_the_signed_pdf_and_printing_writes_nothing(
    client, chairman, records_clerk, kon_gang, village, year, signing_key
):
    dossier = make_dossier(village, year, DossierStatus.RECOMMENDED)
    client.force_login(chairman)
    client.post(
        reverse("dossiers:decision_create", args=[kon_gang.public_id]),
        {
            "dossiers": [dossier.pk],
            "issued_on": "2026-11-14",
            "symbol": "QĐ-UBND",
            "capacity": "chairman",
            "signer_name": "Nguyễn Văn An",
            # Confirmed on the preview: number 01.
            "number": 1,
            "confirm": "1",
        },
    )
    stored = DecisionPdf.objects.get()
    assert stored.signed
    assert "UBND xã Kon Gang" in stored.signer_name
    client.force_login(records_clerk)
    events = AuditEvent.objects.count()
    _download(client, Decision.objects.get())
    assert (DecisionPdf.objects.count(), AuditEvent.objects.count()) == (1, events)


def test_only_the_issuers_chairman_or_records_clerk_may_sign(client, steering_office, settings, decision):
    DecisionPdf.objects.all().delete()
    client.force_login(steering_office)
    assert client.post(reverse("dossiers:decision_sign", args=[decision.public_id])).status_code == 403
    assert DecisionPdf.objects.count() == 0


def test_village_head_cannot_download_the_stored_decision(client, village_head, signing_key, decision):
    client.force_login(village_head)
    assert client.get(reverse("dossiers:decision_pdf", args=[decision.public_id])).status_code == 404


def test_a_stored_decision_whose_file_is_gone_is_not_intact_and_its_download_is_404(
    client, records_clerk, signing_key, decision
):
    client.force_login(records_clerk)
    _download(client, decision)
    # A restore that brought back the database without the private files.
    default_storage.delete(DecisionPdf.objects.get(decision=decision).file.name)

    page = client.get(reverse("dossiers:decision_detail", args=[decision.public_id]))
    assert page.status_code == 200
    assert "không còn nguyên vẹn" in page.content.decode()
    assert client.get(reverse("dossiers:decision_pdf", args=[decision.public_id])).status_code == 404
