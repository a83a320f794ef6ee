"""Demo dossiers for Xã Kon Gang: last year completed (every unit registered, reviewed and recognised by a
numbered decision of UBND xã Kon Gang, the commune itself by UBND tỉnh Gia Lai, the year closed); this
year every state of the round, one incident that fails a criterion, one issued decision, and the commune's
own dossier waiting at the province. Safe to run again."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ansinh.access import has_role_at
from dossiers import services, signing
from dossiers.criteria import checklist, checklists
from dossiers.models import (
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
    required_dossier_documents,
)
from dossiers.workflow import transition
from registrations import services as registration_services
from registrations import workflow as registration_workflow
from registrations.models import InternalRule, MovementModel, Registration, Year
from registrations.services import open_year
from units import lineage
from units.models import Category, LineageKind, Role, RoleAssignment, Unit

# The paths dossiers take (actions in order, the reason where one is needed); the first ones recommend, so
# they go to the units whose registration facts already meet the portal's own criteria.
PATHS = [
    ("decided", ["submit", "start_review", "confirm", "recommend"], ""),
    ("decided", ["submit", "start_review", "confirm", "recommend"], ""),
    ("decided", ["submit", "start_review", "confirm", "recommend"], ""),
    ("recommended", ["submit", "start_review", "confirm", "recommend"], ""),
    (
        "incident",
        ["submit", "start_review", "not_recommend"],
        "Trong kỳ đánh giá xảy ra vụ cháy nghiêm trọng do người dân gây ra.",
    ),
    ("in_review", ["submit", "start_review"], ""),
    ("submitted", ["submit"], ""),
    (
        "returned",
        ["submit", "start_review", "return"],
        "Biên bản họp thiếu chữ ký của người chủ trì; đề nghị bổ sung bản có đủ chữ ký.",
    ),
    (
        "refused",
        ["submit", "start_review", "not_recommend", "refuse"],
        "Chưa có mô hình tự quản hoạt động hiệu quả; tỷ lệ ký cam kết chưa đạt 100%.",
    ),
    ("draft", [], ""),
]
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


def _accepted_registration(unit, year, *, clerk, receiver):
    """registrations.demo accepts most units; the story accepts the few more it needs, on paper with every
    paper original handed in, through the registration workflow (audit rows, submission time and lateness
    as for a real one)."""
    size = unit.size or 20
    day = min(datetime.date(year.number, 2, 5), timezone.localdate() - datetime.timedelta(days=7))
    reg = Registration.objects.filter(unit=unit, year=year).first()
    if reg is None:
        reg = registration_services.start_registration(
            unit=unit,
            year=year,
            user=clerk,
            registered_on=day,
            base_count=size,
            committed_count=size,
            on_paper=True,
            paper_party_resolution=unit.has_party_org,
            paper_security_plan=unit.kind.requires_security_plan,
        )
        if unit.kind.requires_internal_rules:
            reg.internal_rules.set(InternalRule.objects.for_kind(unit.kind_id))
    if unit.kind.requires_movement_model and not reg.movement_models.exists():
        MovementModel.objects.create(
            registration=reg, name="Tổ tự quản an ninh, trật tự", since=datetime.date(year.number - 2, 3, 1)
        )
    resubmit = {Registration.Status.DRAFT: "submit", Registration.Status.RETURNED: "resubmit"}.get(reg.status)
    if resubmit:
        reg = registration_workflow.perform(reg, resubmit, clerk, today=day)
    if reg.status == Registration.Status.SUBMITTED:
        reg = registration_workflow.perform(reg, "accept", receiver, today=day)
    return reg


def _story_units(commune, year, needed, clerk):
    """Units of the commune for the story: villages first, those already received first; registrations are
    added only when too few were received, and never for a unit whose head is left to register himself."""
    units = Unit.objects.filter(parent=commune).participating().select_related("kind", "parent")
    heads = set(RoleAssignment.objects.filter(role=Role.UNIT_HEAD).values_list("unit_id", flat=True))
    status = {r.unit_id: r.status for r in Registration.objects.filter(year=year, unit__in=units)}
    accepted = Registration.Status.ACCEPTED

    def order(unit):
        rank = 0 if status.get(unit.pk) == accepted else 1 if unit.pk not in status else 2
        return (rank, unit.kind.category != Category.RESIDENTIAL_AREA, unit.name)

    chosen = [u for u in sorted(units, key=order) if status.get(u.pk) == accepted or u.pk not in heads][:needed]
    for unit in chosen:
        _accepted_registration(unit, year, clerk=clerk, receiver=clerk)
    return chosen


def _upload(dossier, doc_type, user):
    label = DossierDocumentType(doc_type).label
    slug = {"request": "to-trinh", "report": "bao-cao", "minutes": "bien-ban", "other": "tai-lieu"}[doc_type]
    name = f"{slug}-{dossier.unit.name}.pdf"
    content = tiny_pdf(f"{doc_type.upper()} {dossier.year.number} - demo")
    doc = services.add_document(
        dossier=dossier,
        doc=DossierDocument(doc_type=doc_type),
        upload=SimpleUploadedFile(name, content, "application/pdf"),
        user=user,
    )
    return doc, label


def _prepare(dossier, user, *, minutes=True):
    documents = required_dossier_documents(dossier.unit) if minutes else (DossierDocumentType.REQUEST,)
    for doc_type in documents:
        doc, _ = _upload(dossier, doc_type, user)
        if doc_type == DossierDocumentType.REQUEST:
            services.record_request(
                dossier=dossier,
                user=user,
                number=f"{dossier.pk:02d}/TTr-KDC",
                day=min(datetime.date(dossier.year.number, 10, 22), timezone.localdate()),
            )
        if doc_type == DossierDocumentType.MINUTES:
            record = MeetingMinutes.objects.create(
                dossier=dossier,
                met_on=min(datetime.date(dossier.year.number, 10, 20), timezone.localdate()),
                chaired_by=dossier.unit.head_name or "Trưởng thôn",
                conclusion="Hội nghị thống nhất đề nghị công nhận đạt tiêu chuẩn «An toàn về an ninh, trật tự».",
                members_present=9,
                members_agreeing=9,
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


def _meets_own_criteria(result):
    return all(i.outcome == Outcome.PASS for i in result.items if i.criterion.is_automatic)


def _play(dossier, path, *, preparer, office, chairman, clerk):
    name, actions, reason = path
    today = timezone.localdate()
    _prepare(dossier, preparer, minutes=bool(actions))
    if name == "incident":
        incident = Incident(
            unit=dossier.unit,
            occurred_on=min(datetime.date(today.year, 4, 12), today),
            kind=IncidentKind.FIRE_EXPLOSION,
            description="Cháy nhà dân do đốt rẫy lan sang, thiệt hại lớn về tài sản.",
            disqualifying=True,
        )
        services.record_incident(incident=incident, user=clerk)
    for action in actions:
        if action == "confirm":
            _confirm_all(dossier, office)
            continue
        actor = {"submit": preparer, "refuse": chairman}.get(action, office)
        dossier = transition(dossier, action, actor, reason=reason)
    return dossier


def _review_and_recommend(dossier, *, preparer, office):
    dossier = transition(dossier, "submit", preparer)
    dossier = transition(dossier, "start_review", office)
    _confirm_all(dossier, office)
    return transition(dossier, "recommend", office)


def _decide(issuer, dossiers, chairman, issued_on):
    return services.issue_decision(
        issuer=issuer,
        dossiers=dossiers,
        user=chairman,
        issued_on=issued_on,
        signer_name=chairman.get_full_name() or chairman.username,
        capacity=Capacity.ON_BEHALF,
        symbol="QĐ-UBND",
    )


def seed_previous_year(kon_gang, users):
    """Last year, finished: every unit of Kon Gang registered on time, reviewed, recommended and recognised
    by one decision of UBND xã (14/11); the commune recognised by UBND tỉnh (25/11); the year closed.
    Returns the number of dossiers added (0 when the year is already there)."""
    number = timezone.localdate().year - 1
    year = open_year(kon_gang.parent, number)
    if Decision.objects.filter(issuer=kon_gang, year=year).exists():
        return 0
    clerk, office, chairman = users["congan.konggang"], users["bcd.konggang"], users["chutich.konggang"]
    units = list(Unit.objects.filter(parent=kon_gang).participating().select_related("kind", "parent"))
    recommended = []
    for unit in units:
        _accepted_registration(unit, year, clerk=clerk, receiver=clerk)
        dossier = services.open_dossier(unit=unit, year=year, user=clerk)
        _prepare(dossier, clerk)
        recommended.append(_review_and_recommend(dossier, preparer=clerk, office=office))
    _decide(kon_gang, recommended, chairman, datetime.date(number, 11, 14))
    _accepted_registration(kon_gang, year, clerk=clerk, receiver=users["bcd.gialai"])
    dossier = services.open_dossier(unit=kon_gang, year=year, user=clerk)
    _prepare(dossier, clerk)
    dossier = _review_and_recommend(dossier, preparer=clerk, office=users["bcd.gialai"])
    _decide(kon_gang.parent, [dossier], users["chutich.gialai"], datetime.date(number, 11, 25))
    # Submitted in time last year, as the paper trail says.
    submitted = timezone.make_aware(datetime.datetime(number, 10, 25, 9))
    Dossier.objects.filter(year=year).update(submitted_at=submitted)
    Year.objects.filter(pk=year.pk).update(is_open=False)
    return len(units) + 1


def seed(stdout=None):
    users = {u.username: u for u in get_user_model().objects.filter(username__contains=".")}
    clerk, head = users["congan.konggang"], users["truongthon.konggang"]
    office, chairman = users["bcd.konggang"], users["chutich.konggang"]
    kon_gang = Unit.objects.select_related("parent").get(name="Xã Kon Gang", parent__code="52")
    IssuerSettings.objects.get_or_create(unit=kon_gang, defaults={"recipients": KON_GANG_RECIPIENTS})
    # The demo signs its decisions, when they are issued, with a self-signed test certificate made under var/.
    signing.ensure_demo_key()
    previous = seed_previous_year(kon_gang, users)
    year = open_year(kon_gang.parent, timezone.localdate().year)
    people = {"office": office, "chairman": chairman, "clerk": clerk}

    created = 0
    if not Dossier.objects.filter(unit__parent=kon_gang, year=year).exists():
        units = _story_units(kon_gang, year, len(PATHS), clerk)
        opened = []
        for unit in units:
            preparer = head if has_role_at(head, unit, Role.UNIT_HEAD) else clerk
            opened.append((services.open_dossier(unit=unit, year=year, user=preparer), preparer))
        results = checklists(Dossier.objects.with_facts().filter(pk__in=[d.pk for d, _ in opened]))

        def order(pair):
            return (pair[0].unit.kind.category != Category.RESIDENTIAL_AREA, pair[0].unit.name)

        recommending = sum(1 for path in PATHS if "recommend" in path[1])
        passing = sorted((p for p in opened if _meets_own_criteria(results[p[0].pk])), key=order)[:recommending]
        opened = passing + sorted((p for p in opened if p not in passing), key=order)
        decided = []
        for path, (dossier, preparer) in zip(PATHS, opened, strict=False):
            dossier = _play(dossier, path, preparer=preparer, **people)
            if path[0] == "decided":
                decided.append(dossier)
        _decide(kon_gang, decided, chairman, min(datetime.date(year.number, 11, 14), timezone.localdate()))
        created += len(opened)

    if not Dossier.objects.filter(unit=kon_gang, year=year).exists():
        _accepted_registration(kon_gang, year, clerk=clerk, receiver=users["bcd.gialai"])
        dossier = services.open_dossier(unit=kon_gang, year=year, user=clerk)
        _prepare(dossier, clerk)
        transition(dossier, "submit", clerk)
        created += 1

    _merger_story(kon_gang, people=people, this_year=year.number)
    decisions = Decision.objects.filter(issuer=kon_gang, year=year).count()
    return (
        f"năm {year.number - 1} hoàn tất ({previous} hồ sơ mới); năm {year.number}: {created} hồ sơ mới, "
        f"{decisions} quyết định công nhận của UBND xã Kon Gang"
    )


# Two hamlets merged into Thôn Hà Lòng on 1 July of last year; their recognitions of the years before, and
# Hà Lòng's own of last year, went through the same round as this year's.
MERGED_HAMLETS = ("Thôn Hà Lòng Thượng", "Thôn Hà Lòng Hạ")
MERGER_SUCCESSOR = "Thôn Hà Lòng"
DECIDED = ("decided", ["submit", "start_review", "confirm", "recommend"], "")


def _past_round(units, number, *, issuer, people):
    """Registration, dossier and decision of a past year for `units`, through the workflows and services."""
    year = open_year(issuer.parent, number)
    dossiers = []
    for unit in units:
        _accepted_registration(unit, year, clerk=people["clerk"], receiver=people["clerk"])
        dossier = services.open_dossier(unit=unit, year=year, user=people["clerk"])
        dossiers.append(_play(dossier, DECIDED, preparer=people["clerk"], **people))
    chairman = people["chairman"]
    services.issue_decision(
        issuer=issuer,
        dossiers=dossiers,
        user=chairman,
        issued_on=datetime.date(number, 11, 14),
        signer_name=chairman.get_full_name() or chairman.username,
        capacity=Capacity.ON_BEHALF,
        symbol="QĐ-UBND",
    )


def _merger_story(kon_gang, *, people, this_year):
    successor = Unit.objects.filter(parent=kon_gang, name=MERGER_SUCCESSOR).first()
    if successor is None or successor.predecessor_links.exists():
        return
    hamlets = [
        Unit.objects.create(name=name, kind=successor.kind, parent=kon_gang, households=80, has_party_org=True)
        for name in MERGED_HAMLETS
    ]
    for number in (this_year - 3, this_year - 2):
        _past_round(hamlets, number, issuer=kon_gang, people=people)
    # Thôn Hà Lòng's own last year is the completed previous year of the demo (seed_previous_year).
    if not successor.dossiers.filter(year__number=this_year - 1).exists():
        _past_round([successor], this_year - 1, issuer=kon_gang, people=people)
    for hamlet in hamlets:
        lineage.record(
            predecessor=hamlet,
            successor=successor,
            kind=LineageKind.MERGED,
            effective_on=datetime.date(this_year - 1, 7, 1),
            note="Nghị quyết của HĐND tỉnh về sáp nhập thôn (dữ liệu mẫu)",
            user=people["clerk"],
        )
    # Past years are over: their records are read, no longer changed.
    Year.objects.filter(province=kon_gang.parent, number__lt=this_year).update(is_open=False)
