"""Demo dossiers for Xã Kon Gang: every state of the round, one incident that fails a criterion, one issued
decision of UBND xã Kon Gang, and the commune's own dossier waiting at the province. Safe to run again."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers import services
from dossiers.criteria import checklist
from dossiers.models import (
    REQUIRED_DOCUMENTS,
    Attendee,
    AttendeeCapacity,
    Capacity,
    Decision,
    Dossier,
    DossierDocument,
    DossierDocumentType,
    Incident,
    IncidentKind,
    IssuerSettings,
    MeetingMinutes,
    Outcome,
)
from dossiers.workflow import transition
from registrations.models import MovementModel, Registration
from registrations.services import open_year
from units.models import Unit

YEAR = 2026
S = Dossier.Status

# Village → the path its dossier takes (actions in order) and the reason given where one is needed.
ROUNDS = [
    ("Làng Kon Gang Tơ Pơng", [], ""),
    ("Làng Đê Kôn", ["submit"], ""),
    ("Làng Kon Jơ Dri", ["submit", "start_review"], ""),
    (
        "Làng Groi",
        ["submit", "start_review", "return"],
        "Biên bản họp thiếu chữ ký của Bí thư chi bộ; bổ sung bản có đủ chữ ký.",
    ),
    (
        "Làng Kon Brung",
        ["submit", "start_review", "not_recommend"],
        "Trong kỳ đánh giá xảy ra vụ cháy nghiêm trọng do người dân gây ra.",
    ),
    ("Làng Đê Tơ Nglang", ["submit", "start_review", "confirm", "recommend"], ""),
    ("Thôn Hà Lòng", ["submit", "start_review", "confirm", "recommend"], ""),
    ("Thôn Thanh Giáo", ["submit", "start_review", "confirm", "recommend"], ""),
    ("Thôn Tân Lập", ["submit", "start_review", "confirm", "recommend"], ""),
    (
        "Thôn Hải Yang",
        ["submit", "start_review", "not_recommend", "refuse"],
        "Chưa có mô hình tự quản hoạt động; tỷ lệ hộ đăng ký chưa đủ.",
    ),
]
DECIDED = ["Thôn Hà Lòng", "Thôn Thanh Giáo", "Thôn Tân Lập"]
KON_GANG_RECIPIENTS = (
    "Công an tỉnh Gia Lai\nThường trực Đảng ủy, HĐND xã\nChủ tịch, các Phó Chủ tịch UBND xã\nCông an xã"
)


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF showing `title` (ASCII), so demo documents open in a browser."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 40 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _accepted_registration(unit, year):
    """registrations.demo accepts most units; make sure the ones the story needs are accepted."""
    size = unit.size or 20
    reg, _ = Registration.objects.get_or_create(
        unit=unit,
        year=year,
        defaults=dict(registered_on=datetime.date(YEAR, 2, 5), base_count=size, committed_count=size, on_paper=True),
    )
    if reg.status != Registration.Status.ACCEPTED:
        Registration.objects.filter(pk=reg.pk).update(status=Registration.Status.ACCEPTED)
        reg.refresh_from_db()
    if unit.kind.requires_movement_model and not reg.movement_models.exists():
        MovementModel.objects.create(
            registration=reg, name="Tổ tự quản an ninh, trật tự", since=datetime.date(2024, 3, 1)
        )
    return reg


def _upload(dossier, doc_type, user):
    label = DossierDocumentType(doc_type).label
    slug = {"request": "to-trinh", "report": "bao-cao", "minutes": "bien-ban", "other": "tai-lieu"}[doc_type]
    name = f"{slug}-{dossier.unit.name}.pdf"
    doc = DossierDocument(dossier=dossier, doc_type=doc_type)
    content = tiny_pdf(f"{doc_type.upper()} {YEAR} - demo")
    doc.fill_from_upload(SimpleUploadedFile(name, content, "application/pdf"), user)
    doc.save()
    return doc, label


def _prepare(dossier, user, *, minutes=True):
    documents = REQUIRED_DOCUMENTS if minutes else (DossierDocumentType.REQUEST,)
    for doc_type in documents:
        doc, _ = _upload(dossier, doc_type, user)
        if doc_type == DossierDocumentType.MINUTES:
            record = MeetingMinutes.objects.create(
                dossier=dossier,
                met_on=datetime.date(YEAR, 10, 20),
                chaired_by=dossier.unit.head_name or "Trưởng thôn",
                conclusion="Hội nghị thống nhất đề nghị công nhận đạt tiêu chuẩn «An toàn về an ninh, trật tự».",
                document=doc,
                updated_by=user,
            )
            Attendee.objects.bulk_create(
                [
                    Attendee(minutes=record, name="Đinh Văn Kơi", capacity=AttendeeCapacity.PARTY_SECRETARY),
                    Attendee(minutes=record, name="Rơ Châm Blui", capacity=AttendeeCapacity.FRONT),
                    Attendee(minutes=record, name="Đinh Thị Hlin", capacity=AttendeeCapacity.MASS_ORGANISATION),
                    Attendee(minutes=record, name="Đại úy Nguyễn Văn Hưng", capacity=AttendeeCapacity.COMMUNE_POLICE),
                ]
            )


def _confirm_all(dossier, reviewer):
    fresh = Dossier.objects.with_facts().get(pk=dossier.pk)
    answers = {
        item.criterion.pk: (Outcome.PASS, "") for item in checklist(fresh).items if not item.criterion.is_automatic
    }
    services.confirm_criteria(dossier=dossier, user=reviewer, answers=answers)


def seed(stdout=None):
    users = {u.username: u for u in get_user_model().objects.filter(username__contains=".")}
    clerk, head = users["congan.konggang"], users["truongthon.konggang"]
    office, chairman = users["bcd.konggang"], users["chutich.konggang"]
    kon_gang = Unit.objects.select_related("parent").get(name="Xã Kon Gang", parent__code="52")
    year = open_year(kon_gang.parent, YEAR)
    IssuerSettings.objects.get_or_create(unit=kon_gang, defaults={"recipients": KON_GANG_RECIPIENTS})

    villages = {u.name: u for u in Unit.objects.filter(parent=kon_gang).select_related("kind", "parent")}
    created = 0
    for name, actions, reason in ROUNDS:
        unit = villages[name]
        if Dossier.objects.filter(unit=unit, year=year).exists():
            continue
        _accepted_registration(unit, year)
        preparer = head if name == "Làng Kon Gang Tơ Pơng" else clerk
        dossier = services.open_dossier(unit=unit, year=year, user=preparer)
        _prepare(dossier, preparer, minutes=bool(actions))
        if name == "Làng Kon Brung":
            Incident.objects.get_or_create(
                unit=unit,
                occurred_on=datetime.date(YEAR, 4, 12),
                kind=IncidentKind.FIRE_EXPLOSION,
                defaults=dict(
                    description="Cháy nhà dân do đốt rẫy lan sang, thiệt hại lớn về tài sản.",
                    disqualifying=True,
                    recorded_by=clerk,
                ),
            )
        for action in actions:
            if action == "confirm":
                _confirm_all(dossier, office)
                continue
            actor = {"submit": preparer, "refuse": chairman}.get(action, office)
            dossier = transition(dossier, action, actor, reason=reason)
        created += 1

    decisions = Decision.objects.filter(issuer=kon_gang, year=year).count()
    if not decisions:
        ready = Dossier.objects.filter(unit__in=[villages[n] for n in DECIDED], year=year, status=S.RECOMMENDED)
        services.issue_decision(
            issuer=kon_gang,
            dossiers=ready,
            user=chairman,
            issued_on=datetime.date(YEAR, 11, 14),
            signer_name=chairman.get_full_name() or chairman.username,
            capacity=Capacity.ON_BEHALF,
            symbol="QĐ-UBND",
        )
        decisions = 1

    if not Dossier.objects.filter(unit=kon_gang, year=year).exists():
        _accepted_registration(kon_gang, year)
        dossier = services.open_dossier(unit=kon_gang, year=year, user=clerk)
        _prepare(dossier, clerk)
        transition(dossier, "submit", clerk)
        created += 1

    return f"{created} hồ sơ mới, {decisions} quyết định công nhận của UBND xã Kon Gang"
