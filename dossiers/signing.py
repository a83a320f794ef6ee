"""Digital signatures (ký số) on decisions.

A decision's PDF is rendered once, signed (PAdES, pyHanko) with the issuing body's certificate when one is
configured (settings.DECISION_SIGNERS), and stored as a private file: every later download returns those
bytes, never a new rendering. The decision page asks `signature_status`, which validates the stored file
with pyHanko and caches the answer per content hash.
"""

import datetime
import hashlib
import io
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone

from ansinh import audit
from ansinh.errors import Refused
from ansinh.pdf import render_pdf, render_pdf_with_anchors
from dossiers.models import Decision, DecisionPdf

log = logging.getLogger(__name__)

FIELD_NAME = "ChuKySo"
# The element of pdf/decision.html (an empty box in the signer's block) the visible signature covers.
ANCHOR = "chu-ky-so"
PT_TO_MM = 25.4 / 72
TEST_MARK = "CHỨNG THƯ THỬ NGHIỆM"
STATUS_CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class SigningKey:
    pkcs12: Path
    passphrase: str


def key_for(issuer) -> SigningKey | None:
    """The issuing body's own certificate, else the default one; None when neither is on disk."""
    signers = settings.DECISION_SIGNERS
    entry = (issuer.code and signers.get(issuer.code)) or signers.get("default")
    if not entry or not Path(entry["pkcs12"]).is_file():
        return None
    return SigningKey(Path(entry["pkcs12"]), entry.get("passphrase", ""))


def _signer(key: SigningKey):
    from pyhanko.sign import signers

    try:
        return signers.SimpleSigner.load_pkcs12_data(
            key.pkcs12.read_bytes(), other_certs=None, passphrase=key.passphrase.encode() or None
        )
    except (OSError, ValueError) as exc:
        raise Refused(
            "Không mở được chứng thư số của cơ quan ban hành (tệp hoặc mật khẩu không đúng). "
            "Vui lòng báo quản trị hệ thống."
        ) from exc


def _signer_name(signer) -> str:
    return signer.signing_cert.subject.native.get("common_name", "") or signer.signing_cert.subject.human_friendly


def _stamp_style(signer_name: str, at: datetime.datetime, box):
    """The visible signature block, drawn by WeasyPrint (our fonts carry every Vietnamese glyph) and
    imported into the signature field's appearance."""
    from pyhanko.pdf_utils import layout
    from pyhanko.stamp import StaticStampStyle

    stamp = render_pdf(
        "pdf/signature_stamp.html",
        {
            "signer_name": signer_name,
            "signed_at": timezone.localtime(at),
            "width": round((box[2] - box[0]) * PT_TO_MM, 2),
            "height": round((box[3] - box[1]) * PT_TO_MM, 2),
        },
    )
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as handle:
        handle.write(stamp)
    fill = layout.SimpleBoxLayoutRule(
        x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID, margins=layout.Margins()
    )
    style = StaticStampStyle.from_pdf_file(handle.name, border_width=0, background_layout=fill)
    return style, Path(handle.name)


def sign(pdf: bytes, anchor, key: SigningKey) -> tuple[bytes, str, datetime.datetime]:
    """Sign `pdf` with a visible signature over `anchor` (page index, box in points); return the signed
    bytes, the certificate's name and the signing time."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(key)
    name = _signer_name(signer)
    now = timezone.now()
    page, box = anchor
    style, stamp_file = _stamp_style(name, now, box)
    try:
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256", reason="Ký số"
        )
        spec = fields.SigFieldSpec(FIELD_NAME, on_page=page, box=tuple(round(v, 2) for v in box))
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        out = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec).sign_pdf(writer)
    finally:
        stamp_file.unlink(missing_ok=True)
    return out.getvalue(), name, now


def stored_pdf(decision, context_for, actor=None) -> DecisionPdf:
    """The decision's stored PDF, rendered, signed and stored first if it has none yet (called when the
    decision is issued, and by an explicit «Ký số» after a failure; never by a download).

    `context_for(decision)` builds the printed decision's context. Side effects the first time, under a
    lock on the decision: the PDF is rendered (with a signature block when the issuer has a certificate),
    signed, written to private storage as a DecisionPdf row, and one audit row is added. Raises Refused
    when the configured certificate cannot be opened (nothing stored)."""
    existing = DecisionPdf.objects.filter(decision=decision).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = Decision.objects.select_for_update().select_related("issuer", "year").get(pk=decision.pk)
        existing = DecisionPdf.objects.filter(decision=locked).first()
        if existing is not None:
            return existing
        key = key_for(locked.issuer)
        context = {**context_for(locked), "signature_box": key is not None}
        stored = DecisionPdf(decision=locked)
        if key is None:
            data = render_pdf("pdf/decision.html", context)
        else:
            data, anchors = render_pdf_with_anchors("pdf/decision.html", context)
            data, stored.signer_name, stored.signed_at = sign(data, anchors[ANCHOR], key)
            stored.signed = True
        filename = f"quyet-dinh-{locked.number:02d}-{locked.calendar_year}.pdf"
        stored.fill_from_upload(ContentFile(data, name=filename), None)
        stored.save()
        label = "Lập và ký số bản PDF quyết định" if stored.signed else "Lập bản PDF quyết định (không ký số)"
        audit.record(
            locked, actor=actor, unit=locked.issuer, action="store_pdf", label=label, reason=stored.signer_name
        )
    return stored


def existing_pdf(decision) -> DecisionPdf | None:
    return DecisionPdf.objects.filter(decision=decision).first()


def pdf_response(stored: DecisionPdf) -> FileResponse:
    """The stored bytes, shown in the browser's PDF viewer (our own document: no sandbox, which would
    keep Chromium's viewer out), never cached by proxies."""
    try:
        handle = stored.file.storage.open(stored.file.name, "rb")
    except FileNotFoundError as exc:
        # The row outlived its file (a restore without the private files): check_files lists it.
        raise Http404("Không tìm thấy tệp quyết định đã lưu.") from exc
    response = FileResponse(handle, as_attachment=False, filename=stored.original_name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class SignatureStatus:
    state: str  # "missing", "unsigned", "intact", "broken"
    stored: DecisionPdf | None = None

    @property
    def is_intact(self):
        return self.state == "intact"

    @property
    def is_test_certificate(self):
        return self.stored is not None and TEST_MARK in self.stored.signer_name.upper()


def _validate(data: bytes, stored: DecisionPdf) -> str:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    if not stored.signed:
        return "unsigned" if hashlib.sha256(data).hexdigest() == stored.sha256 else "broken"
    try:
        signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
        if not signatures:
            return "broken"
        for embedded in signatures:
            # Intact means: the signed bytes hash to what was signed and the signature matches its
            # certificate. Trust in the certificate is a separate question, so its own certificate is the root here.
            context = ValidationContext(trust_roots=[embedded.signer_cert], allow_fetching=False)
            status = validate_pdf_signature(embedded, context)
            if not (status.intact and status.valid):
                return "broken"
    except Exception:  # noqa: BLE001 - any parse failure of a signed file means it was altered
        log.warning("signature check failed for %s", stored.file.name, exc_info=True)
        return "broken"
    return "intact"


def signature_status(decision) -> SignatureStatus:
    """Whether the stored PDF of `decision` is still as it was signed; cached per content hash."""
    stored = DecisionPdf.objects.filter(decision=decision).first()
    if stored is None:
        return SignatureStatus("missing")
    try:
        with stored.file.storage.open(stored.file.name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        # The signed record is gone: it can no longer be shown to be intact.
        return SignatureStatus("broken", stored)
    key = f"decision-signature:{hashlib.sha256(data).hexdigest()}:{stored.sha256}"
    state = cache.get(key)
    if state is None:
        state = _validate(data, stored)
        cache.set(key, state, STATUS_CACHE_SECONDS)
    return SignatureStatus(state, stored)


def make_demo_key(path: Path, passphrase: str, *, issuer_name: str) -> Path:
    """A self-signed certificate and its private key for the demo only, written as PKCS#12 to `path`
    (under var/, never committed). Its name says it is a test certificate with no legal value."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ansinh demo – không có giá trị pháp lý"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{issuer_name} ({TEST_MARK})"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"ansinh-demo", key, cert, None, serialization.BestAvailableEncryption(passphrase.encode())
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)
    return path


def ensure_demo_key() -> Path | None:
    """For seed_demo: when the default signer is the demo's test certificate and it is missing, make it."""
    entry = settings.DECISION_SIGNERS.get("default")
    if not entry or Path(entry["pkcs12"]) != Path(settings.SIGNING_DEMO_PKCS12):
        return None
    path = Path(entry["pkcs12"])
    if not path.is_file():
        make_demo_key(path, entry.get("passphrase", ""), issuer_name="Cổng ANTT bản demo")
    return path
