"""Receipt codes (mã biên nhận) of submitted registrations and dossiers, their QR codes, the printed
receipt (giấy biên nhận) and the public lookup that reads a code back.

A code reads `ANTT-26-7K3F-Q9XZ`: the year's last two digits and 8 random Crockford base32 symbols
(40 bits). People type codes from paper, so lookup accepts any case, with or without dashes and spaces,
and reads O as 0 and I, L as 1 (Crockford's decoding rules; the alphabet has none of them).
"""

import re
import secrets
from dataclasses import dataclass

import segno
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ansinh import nd30
from ansinh.models import AuditEvent

PREFIX = "ANTT"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
RANDOM_SYMBOLS = 8  # 8 × 5 bits = 40 bits
# The models that carry a code; a code is unique across all of them (checked when one is drawn).
CODED_MODELS = ("registrations.Registration", "dossiers.Dossier")
CODE_RE = re.compile(rf"{PREFIX}-?(\d{{2}})-?([0-9A-Z]{{4}})-?([0-9A-Z]{{4}})", re.IGNORECASE)
_CROCKFORD_READS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _models():
    return [apps.get_model(label) for label in CODED_MODELS]


def draw(year_number: int) -> str:
    """A fresh code for a year, unused by any registration or dossier."""
    while True:
        symbols = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
        code = f"{PREFIX}-{year_number % 100:02d}-{symbols[:4]}-{symbols[4:]}"
        if not any(model.objects.filter(receipt_code=code).exists() for model in _models()):
            return code


def assign(obj):
    """Give a registration or dossier being submitted its code, once: a resubmission keeps the first one.
    Call inside the submit transition, on the locked row (the transition saves it)."""
    if not obj.receipt_code:
        obj.receipt_code = draw(obj.year.number)


def normalise(text: str) -> str | None:
    """The stored form of a typed or scanned code, or None when the text holds no code."""
    compact = re.sub(r"[\s\-–.]", "", (text or "").upper())
    match = re.fullmatch(rf"{PREFIX}(\d{{2}})([0-9A-Z]{{8}})", compact)
    if not match:
        return None
    symbols = match.group(2).translate(_CROCKFORD_READS)
    if any(c not in ALPHABET for c in symbols):
        return None
    return f"{PREFIX}-{match.group(1)}-{symbols[:4]}-{symbols[4:]}"


def find_code(text: str) -> str | None:
    """The first receipt code inside a longer text (a scanned QR code carries the lookup address)."""
    match = CODE_RE.search(text or "")
    return normalise(match.group(0)) if match else None


# A form printed before the unit registered carries its unit and year instead of a receipt code; upper
# case hex keeps the QR code in its compact alphanumeric mode.
UNIT_YEAR_RE = re.compile(rf"{PREFIX}-DV-([0-9A-F]{{32}})-(\d{{4}})", re.IGNORECASE)


def paper_code(unit, year_number: int, registration=None) -> str:
    """What the QR code of a printed registration form carries: the registration's receipt code, or the
    unit and year when there is no code yet."""
    if registration is not None and registration.receipt_code:
        return registration.receipt_code
    return f"{PREFIX}-DV-{unit.public_id.hex.upper()}-{year_number}"


def find(code: str):
    """The registration or dossier holding `code` (already normalised), or None."""
    for model in _models():
        obj = model.objects.select_related("unit", "year").filter(receipt_code=code).first()
        if obj is not None:
            return obj
    return None


@dataclass(frozen=True)
class PublicStatus:
    """All the public may learn from a code: no people, no documents."""

    code: str
    subject: str
    unit_name: str
    year: int
    step: str
    step_on: object
    return_reason: str


def public_status(code: str) -> PublicStatus | None:
    """What the public lookup shows for a code, or None when no registration or dossier has it."""
    obj = find(code)
    if obj is None:
        return None
    last_move = (
        AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .exclude(to_state="")
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    returned = obj.status == "returned"
    return PublicStatus(
        code=code,
        subject=obj._meta.verbose_name[:1].upper() + obj._meta.verbose_name[1:],
        unit_name=obj.unit_name or obj.unit.name,
        year=obj.year.number,
        step=obj.get_status_display(),
        step_on=last_move or obj.submitted_at,
        return_reason=obj.return_reason if returned else "",
    )


def qr_svg_data_uri(text: str) -> str:
    """A QR code as an SVG data URI for PDF templates (WeasyPrint loads data: URIs, nothing else)."""
    return segno.make(text, error="m", micro=False).svg_data_uri(border=0, scale=4)


def receipt_context(obj, *, lookup_url: str) -> dict:
    """What the printed receipt needs: the receiving body issues it to the unit that submitted."""
    unit = obj.unit
    receiver = unit.parent or unit
    submitted = timezone.localtime(obj.submitted_at) if obj.submitted_at else None
    return {
        "obj": obj,
        "subject": obj._meta.verbose_name,
        "unit_name": obj.unit_name or unit.name,
        "year": obj.year.number,
        "code": obj.receipt_code,
        "submitted_at": submitted,
        "issuer_lines": nd30.issuing_body_lines(receiver),
        "date_line": nd30.date_line(nd30.place_name(receiver.name), submitted.date() if submitted else None),
        "lookup_url": lookup_url,
        "qr": qr_svg_data_uri(lookup_url),
    }
