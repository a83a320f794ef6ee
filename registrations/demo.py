"""Demo part 2: this year's registrations in Xã Kon Gang and Xã Đak Đoa — most received, some waiting,
one returned with a reason, a few not yet registered, and in Đak Đoa (which set itself an earlier date)
one late — with small generated documents so downloads work.

The demo is always in season: the province's dates of the current year are set relative to the day the
demo runs, so every step, the demo village head's own registration included, can be tried on time.
Safe to run again: units that already have a registration this year are left alone."""

import datetime
import struct
import zlib

from django.core.files.base import ContentFile
from django.utils import timezone

from registrations import services, workflow
from registrations.models import (
    Deadline,
    DocumentType,
    InternalRule,
    MovementModel,
    Registration,
    RegistrationDocument,
)
from registrations.requirements import required_documents
from units.models import Role, RoleAssignment, Unit

COMMUNES = ["Xã Kon Gang", "Xã Đak Đoa"]
# Days from the day the demo runs to each step of the current year: every step lies ahead.
STEPS_AHEAD = {
    "registration_due": 14,
    "registration_compiled_due": 16,
    "dossier_due": 30,
    "results_compiled_due": 32,
    "review_due": 40,
    "recognition_due": 45,
    "classification_due": 50,
}
# The evaluation period runs a year and ends after the recognition date.
PERIOD = (-300, 60)
DEMO_SOURCE = "Dữ liệu mẫu: mốc đặt theo ngày chạy seed_demo để mọi bước đều còn hạn."
# Đak Đoa closed its registrations earlier than the province: the override shows on its board.
DAK_DOA_CLOSED_DAYS_AGO = 3
RETURN_REASON = "Bản đăng ký chưa có chữ ký của Bí thư chi bộ; đề nghị bổ sung và nộp lại."
MODEL_NAMES = {
    "commune": "Tổ liên gia tự quản về an ninh, trật tự",
    "agency": "Tổ bảo vệ tự quản cơ quan",
    "enterprise": "Đội bảo vệ, phòng cháy chữa cháy cơ sở",
    "school": "Đội thanh niên xung kích bảo vệ trường học",
}


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF with one line of (ASCII) text and a correct cross-reference table."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Times-Roman>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png(width=48, height=64) -> bytes:
    """A small grey page-like PNG, standing in for a phone photo of a signed page."""

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xee\xee\xee" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _first_user(unit, role):
    assignment = RoleAssignment.objects.filter(unit=unit, role=role, is_active=True).select_related("user").first()
    return assignment.user if assignment else None


def _attach(registration, unit, user, skip=()):
    for doc_type in required_documents(unit):
        if doc_type in skip:
            continue
        if doc_type == DocumentType.REGISTRATION_FORM:
            upload = ContentFile(tiny_png(), name="anh-chup-ban-dang-ky.png")
        else:
            slug = "nghi-quyet" if doc_type == DocumentType.PARTY_RESOLUTION else "ke-hoach-antt"
            upload = ContentFile(tiny_pdf(f"{slug} {registration.year.number}"), name=f"{slug}.pdf")
        doc = RegistrationDocument(registration=registration, doc_type=doc_type)
        doc.fill_from_upload(upload, user)
        doc.save()


def set_demo_deadlines(year, today):
    """Put every step of the province's year ahead of `today`; Đak Đoa's villages closed registration a few
    days ago (a per-commune override). Side effects: the year's Deadline rows are rewritten."""
    dates = {field: today + datetime.timedelta(days=days) for field, days in STEPS_AHEAD.items()}
    start, end = (today + datetime.timedelta(days=d) for d in PERIOD)
    year.deadlines.filter(commune=None).update(period_start=start, period_end=end, source=DEMO_SOURCE, **dates)
    dak_doa = Unit.objects.filter(name="Xã Đak Đoa", parent=year.province).first()
    if dak_doa is not None:
        Deadline.objects.update_or_create(
            year=year,
            commune=dak_doa,
            category="residential_area",
            defaults={
                **dates,
                "registration_due": today - datetime.timedelta(days=DAK_DOA_CLOSED_DAYS_AGO),
                "period_start": start,
                "period_end": end,
                "source": "Dữ liệu mẫu: xã Đak Đoa chốt đăng ký của khu dân cư sớm hơn tỉnh.",
            },
        )
    year.__dict__.pop("_deadlines", None)


def _register(unit, year, day, *, user, on_paper, committed_share=1.0, skip_docs=()):
    size = unit.size or 20
    registration = services.start_registration(
        unit=unit,
        year=year,
        user=user,
        registered_on=day,
        on_paper=on_paper,
        base_count=size,
        committed_count=int(size * committed_share),
    )
    if unit.kind.requires_internal_rules:
        registration.internal_rules.set(InternalRule.objects.for_kind(unit.kind_id))
    if unit.kind.requires_movement_model:
        MovementModel.objects.create(
            registration=registration,
            name=MODEL_NAMES.get(unit.kind.category, MODEL_NAMES["commune"]),
            since=datetime.date(year.number - 2, 3, 26),
        )
    _attach(registration, unit, user, skip=skip_docs)
    return workflow.perform(registration, "submit", user, today=day)


def _seed_commune(commune, year, province_office, today):
    clerk = _first_user(commune, Role.POLICE_CLERK)
    units = list(Unit.objects.under(commune).participating().select_related("kind", "parent").order_by("depth", "name"))
    if clerk is None or Registration.objects.filter(year=year, unit__in=units).exists():
        return 0
    # The demo unit head's village stays unregistered so the self-service form can be tried.
    heads = set(RoleAssignment.objects.filter(unit__in=units, role=Role.UNIT_HEAD).values_list("unit_id", flat=True))
    units = [u for u in units if u.pk not in heads]
    if len(units) < 6:
        return 0
    # From the end of the list: two not registered yet, two waiting, one returned; where the commune's own
    # date for villages has passed, one village registered after it (received anyway).
    waiting, returned = units[-4:-2], units[-5]
    closed = [u for u in units[:-5] if year.deadline_for(u).registration_due < today]
    late = closed[-1] if closed else None
    for i, unit in enumerate(units[:-2]):
        # Registered on time: between two weeks and a week before the demo runs.
        day = today - datetime.timedelta(days=1 if unit is late else 7 + i % 8)
        registration = _register(
            unit,
            year,
            day,
            user=clerk,
            on_paper=i % 2 == 1,
            committed_share=0.92 if i == 1 else 1.0,
            skip_docs=(DocumentType.SECURITY_PLAN,) if i == 2 else (),
        )
        receiver = province_office if unit == commune else clerk
        if unit in waiting or receiver is None:
            continue
        if unit is returned:
            workflow.perform(registration, "return", receiver, reason=RETURN_REASON, today=day)
        else:
            workflow.perform(registration, "accept", receiver, today=day)
    return len(units) - 2


def seed(stdout=None):
    communes = list(Unit.objects.filter(name__in=COMMUNES, kind__category="commune").select_related("kind"))
    if not communes:
        return "bỏ qua: chưa có dữ liệu xã Kon Gang, Đak Đoa (chạy units.demo trước)"
    province = services.province_of(communes[0])
    today = timezone.localdate()
    year = services.open_year(province, today.year)
    set_demo_deadlines(year, today)
    province_office = _first_user(province, Role.STEERING_OFFICE)
    created = sum(_seed_commune(commune, year, province_office, today) for commune in communes)
    total = Registration.objects.filter(year=year).count()
    return f"năm {year.number} của {province.name}: thêm {created} bản đăng ký (tổng {total})"
