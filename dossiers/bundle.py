"""Hồ sơ lưu trữ: a unit's whole year, or a commune's, as one zip for an inspector, with an index PDF listing
every file, its size and SHA-256.

Uploaded files and the decision are copied byte for byte through the storage API (the decision is its
stored, signed PDF, never a new rendering); the registration form, receipts, minutes, checklist, score sheet
and certificate are rendered from the records. Soft-deleted documents are not copied: the index names them
under «Không kèm theo», so an inspector sees that something was withdrawn. Names inside the zip are ASCII
slugs built by us (folder, number, type), never a path a person typed.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ansinh import access, nd30, receipts
from ansinh.errors import Refused
from ansinh.pdf import render_pdf
from certificates.models import Certificate
from certificates.printing import render_certificates
from dossiers.criteria import checklist
from dossiers.models import DecisionPdf, Dossier, MeetingMinutes
from registrations import exports
from registrations.models import Registration
from scoring import services as scoring
from scoring.exports import sheet_pdf_context

INDEX_NAME = "00-muc-luc.pdf"
SLUG_MAX = 40
COPY_CHUNK = 1024 * 1024


def slug(text: str, fallback: str = "tep") -> str:
    """ASCII, lower case, words joined by hyphens: "Làng Kon Gang Tơ Pơng" → "lang-kon-gang-to-pong"."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode().lower())
    return text[:SLUG_MAX].strip("-") or fallback


@dataclass
class Listed:
    """A file inside the zip, as the index shows it."""

    path: str
    title: str
    size: int
    sha256: str
    note: str = ""


@dataclass
class LeftOut:
    """Something the year holds that the zip does not carry, and why."""

    folder: str
    title: str
    reason: str


@dataclass
class Part:
    """One unit's year, as the index heads its rows."""

    folder: str
    unit_name: str
    registration_code: str = ""
    dossier_code: str = ""
    status: str = ""
    files: list = field(default_factory=list)
    left_out: list = field(default_factory=list)


class _Archive:
    def __init__(self, out):
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)

    def add(self, part, path, title, data: bytes, note=""):
        self.zip.writestr(path, data)
        part.files.append(Listed(path, title, len(data), hashlib.sha256(data).hexdigest(), note))

    def copy(self, part, path, title, stored):
        """Copy a stored file (a PrivateFile row) through its storage, hashing what is actually stored."""
        storage, name = stored.file.storage, stored.file.name
        try:
            source = storage.open(name, "rb")
        except OSError:
            part.left_out.append(LeftOut(part.folder, title, "Không tìm thấy tệp trong kho lưu trữ"))
            return
        digest, size = hashlib.sha256(), 0
        with source, self.zip.open(path, "w", force_zip64=True) as target:
            while chunk := source.read(COPY_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        sha = digest.hexdigest()
        note = "" if sha == stored.sha256 else "Mã SHA-256 khác với lúc tải lên"
        part.files.append(Listed(path, title, size, sha, note))


def _lookup_url(code):
    return settings.SITE_URL.rstrip("/") + reverse("lookup") + f"?ma={code}"


def _receipt(archive, part, path, obj):
    if obj.receipt_code:
        context = receipts.receipt_context(obj, lookup_url=_lookup_url(obj.receipt_code))
        archive.add(part, path, f"Giấy biên nhận {obj.receipt_code}", render_pdf("pdf/receipt.html", context))


def _documents(archive, part, folder, rows):
    for number, doc in enumerate(rows, start=1):
        label = f"{doc.get_doc_type_display()}: {doc.original_name}"
        if doc.deleted_at:
            day = timezone.localtime(doc.deleted_at).strftime("%d/%m/%Y")
            part.left_out.append(LeftOut(part.folder, label, f"Đã xóa ngày {day}"))
            continue
        name = f"{number:02d}-{slug(doc.doc_type)}-{slug(doc.original_name.rsplit('.', 1)[0])}.{doc.extension or 'bin'}"
        archive.copy(part, f"{folder}/{name}", label, doc)


def _registration_files(archive, part, unit, year, registration):
    folder = f"{part.folder}/1-dang-ky"
    form = exports.form_context(unit, year, registration)
    archive.add(
        part, f"{folder}/ban-dang-ky.pdf", "Bản đăng ký phấn đấu", render_pdf("pdf/registration_form.html", form)
    )
    _receipt(archive, part, f"{folder}/giay-bien-nhan.pdf", registration)
    _documents(archive, part, f"{folder}/tai-lieu", registration.documents.order_by("uploaded_at", "pk"))


def _dossier_files(archive, part, dossier):
    folder = f"{part.folder}/2-ho-so"
    _receipt(archive, part, f"{folder}/giay-bien-nhan.pdf", dossier)
    _documents(archive, part, f"{folder}/tai-lieu", dossier.documents.order_by("uploaded_at", "pk"))
    minutes = MeetingMinutes.objects.filter(dossier=dossier).prefetch_related("attendees").first()
    if minutes is not None:
        data = render_pdf("pdf/minutes.html", {**_heading(dossier), "minutes": minutes})
        archive.add(part, f"{folder}/bien-ban-hop.pdf", "Biên bản cuộc họp", data)
    else:
        part.left_out.append(LeftOut(part.folder, "Biên bản cuộc họp", "Chưa ghi biên bản"))
    items = checklist(Dossier.objects.with_facts().get(pk=dossier.pk)).items
    data = render_pdf("pdf/checklist.html", {**_heading(dossier), "items": items})
    archive.add(part, f"{folder}/tieu-chi-va-can-cu.pdf", "Kết quả các tiêu chí và căn cứ", data)

    if dossier.score_sheets.exists():
        try:
            table = scoring.sheet_table(dossier)
        except Refused as exc:
            part.left_out.append(LeftOut(part.folder, "Bảng chấm điểm", str(exc)))
        else:
            data = render_pdf("pdf/score_sheet.html", sheet_pdf_context(dossier, table))
            archive.add(part, f"{part.folder}/3-cham-diem/bang-cham-diem.pdf", "Bảng chấm điểm", data)

    if dossier.decision_id:
        decision = dossier.decision
        stored = DecisionPdf.objects.filter(decision=decision).first()
        title = f"Quyết định số {decision.number_label}"
        if stored is None:
            part.left_out.append(LeftOut(part.folder, title, "Chưa có bản PDF lưu trữ (chưa lập, chưa ký số)"))
        else:
            name = f"quyet-dinh-{decision.number:02d}-{decision.calendar_year}.pdf"
            note = "Bản đã ký số" if stored.signed else "Bản không ký số"
            archive.copy(part, f"{part.folder}/4-quyet-dinh/{name}", f"{title} ({note.lower()})", stored)
        for certificate in Certificate.objects.for_printing().filter(dossier=dossier):
            title = f"Giấy công nhận số {certificate.number_label}"
            if certificate.is_revoked:
                part.left_out.append(LeftOut(part.folder, title, "Đã thu hồi"))
                continue
            name = f"giay-cong-nhan-{certificate.number:02d}-{certificate.calendar_year}.pdf"
            archive.add(part, f"{part.folder}/5-giay-cong-nhan/{name}", title, render_certificates([certificate]))


def _heading(dossier):
    unit = dossier.unit
    return {"dossier": dossier, "unit": unit, "issuer_lines": exports.issuer_lines(unit)}


def _unit_part(archive, number, unit, year, registration, dossier) -> Part:
    part = Part(
        folder=f"{number:02d}-{slug(unit.name)}",
        unit_name=(dossier and dossier.unit_name) or unit.name,
        registration_code=registration.receipt_code if registration else "",
        dossier_code=dossier.receipt_code if dossier else "",
        status=dossier.get_status_display() if dossier else "Chưa lập hồ sơ đề nghị công nhận",
    )
    if registration is not None:
        _registration_files(archive, part, unit, year, registration)
    if dossier is not None:
        _dossier_files(archive, part, dossier)
    return part


def _units_of(year, units_q):
    """(unit, registration, dossier) of every unit that registered or has a dossier, in tree order."""
    registrations = {
        r.unit_id: r
        for r in Registration.objects.filter(units_q, year=year)
        .select_related("unit__kind", "unit__parent", "year")
        .prefetch_related("movement_models")
    }
    dossiers = {d.unit_id: d for d in Dossier.objects.filter(units_q, year=year).select_related("unit__kind", "year")}
    units = {r.unit_id: r.unit for r in registrations.values()} | {d.unit_id: d.unit for d in dossiers.values()}
    return [(u, registrations.get(u.pk), dossiers.get(u.pk)) for u in sorted(units.values(), key=lambda u: u.path)]


def _write(out, *, scope, year, rows, user, on_progress):
    archive = _Archive(out)
    parts = []
    for number, (unit, registration, dossier) in enumerate(rows, start=1):
        parts.append(_unit_part(archive, number, unit, year, registration, dossier))
        if on_progress:
            on_progress(number)
    context = {
        "issuer_lines": exports.issuer_lines(scope),
        "scope": scope,
        "year": year,
        "parts": parts,
        "generated_at": timezone.localtime(),
        "generated_by": (user.get_full_name() or user.get_username()) if user else "",
        "date_line": nd30.date_line(nd30.place_name(exports.commune_of(scope).name), timezone.localdate()),
    }
    archive.zip.writestr(INDEX_NAME, render_pdf("pdf/bundle_index.html", context))
    archive.zip.close()
    return parts


def write_unit_bundle(out, *, dossier, user):
    """Write the zip of one unit's year (the dossier's unit and year) to the binary file `out`; returns
    the parts the index lists. Writes nothing to the database."""
    unit, year = dossier.unit, dossier.year
    registration = Registration.objects.filter(pk=dossier.registration_id).prefetch_related("movement_models").first()
    return _write(out, scope=unit, year=year, rows=[(unit, registration, dossier)], user=user, on_progress=None)


def commune_rows(commune, year):
    return _units_of(year, access.under(commune, "unit"))


def unit_count(commune, year) -> int:
    """How many unit folders the commune's zip will hold (the progress bar's total)."""
    under = access.under(commune, "unit")
    registered = set(Registration.objects.filter(under, year=year).values_list("unit_id", flat=True))
    return len(registered | set(Dossier.objects.filter(under, year=year).values_list("unit_id", flat=True)))


def write_commune_bundle(out, *, commune, year, user, on_progress=None):
    """Write the zip of a commune's year to `out`: one folder per unit that registered or has a dossier
    (the commune's own first), `on_progress(n)` after the n-th unit. Writes nothing to the database."""
    rows = commune_rows(commune, year)
    return _write(out, scope=commune, year=year, rows=rows, user=user, on_progress=on_progress)


def unit_filename(dossier) -> str:
    return f"ho-so-luu-tru-{dossier.year.number}-{slug(dossier.unit.name)}.zip"


def commune_filename(commune, year) -> str:
    return f"ho-so-luu-tru-{year.number}-{slug(commune.name)}.zip"
