"""Signed decisions: the PDF is rendered, signed with the issuing body's certificate and stored once; the
decision page says whether the stored file is still as signed; without a certificate it is unsigned."""

import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from ansinh.models import AuditEvent
from dossiers import signing
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

    stored = DecisionPdf.objects.get(decision=decision)
    path = stored.file.path
    with open(path, "rb") as handle:
        data = bytearray(handle.read())
    data[len(data) // 3] ^= 0x01
    with open(path, "wb") as handle:
        handle.write(bytes(data))

    page = client.get(reverse("dossiers:decision_detail", args=[decision.public_id])).content.decode()
    assert "không còn nguyên vẹn" in page
    assert "Chữ ký số nguyên vẹn" not in page


def test_without_a_certificate_the_decision_is_unsigned_and_the_page_says_so(client, records_clerk, decision):
    client.force_login(records_clerk)
    page = client.get(reverse("dossiers:decision_detail", args=[decision.public_id])).content.decode()
    assert "Chưa lập bản PDF lưu trữ" in page

    data = _download(client, decision)

    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []
    page = client.get(reverse("dossiers:decision_detail", args=[decision.public_id])).content.decode()
    assert "không được ký số" in page


def test_a_wrong_passphrase_stores_nothing_and_says_why(client, settings, records_clerk, signing_key, decision):
    settings.DECISION_SIGNERS = {"default": {"pkcs12": str(signing_key), "passphrase": "sai"}}
    client.force_login(records_clerk)

    response = client.get(reverse("dossiers:decision_pdf", args=[decision.public_id]), follow=True)

    assert "Không mở được chứng thư số" in response.content.decode()
    assert DecisionPdf.objects.count() == 0


def test_issuing_renders_nothing_and_the_first_print_stores_the_signed_pdf(
    client, chairman, kon_gang, village, year, signing_key
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
    # The chairman's request does not wait for a PDF; the records clerk's first print makes it.
    assert DecisionPdf.objects.count() == 0
    _download(client, Decision.objects.get())
    stored = DecisionPdf.objects.get()
    assert stored.signed
    assert "UBND xã Kon Gang" in stored.signer_name


def test_village_head_cannot_download_the_stored_decision(client, village_head, signing_key, decision):
    client.force_login(village_head)
    assert client.get(reverse("dossiers:decision_pdf", args=[decision.public_id])).status_code == 404
    assert DecisionPdf.objects.count() == 0
