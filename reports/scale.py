"""A synthetic country for measuring pages at national scale: on top of the official provinces and
communes, each commune gets `per_commune` units of the managed kinds, two years of registrations (with
documents and movement models) and dossiers (recognised ones under one numbered decision per commune).

Everything is written with bulk inserts; primary keys are reserved first so each unit's tree path is
known before its row is written. A seed writes its units once: running it again adds nothing.
"""

import datetime
import random
import uuid

from django.db import connection, transaction
from django.utils import timezone

from ansinh.text import fold
from dossiers.models import Capacity, Decision, DecisionCounter, Dossier, DossierStatus
from registrations.models import DocumentType, MovementModel, Registration, RegistrationDocument
from registrations.services import open_year
from units.models import PATH_SEGMENT_WIDTH, Category, Unit, UnitKind, path_segment

KINDS = ["thon", "to-dan-pho", "lang", "co-quan", "doanh-nghiep", "co-so-giao-duc", "thon"]
BATCH = 5000
S = Registration.Status
D = DossierStatus


def code_prefix(seed: int) -> str:
    return f"S{seed}-"


def _reserve_ids(model, n):
    """n fresh primary keys for `model`, taken from its sequence (PostgreSQL) or above the largest (SQLite)."""
    table = model._meta.db_table  # a model's own table name, never user input
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)"  # noqa: S608
            cursor.execute(sql, [n])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + n))


def _kinds():
    kinds = {k.code: k for k in UnitKind.objects.all()}
    return [kinds[code] for code in KINDS if code in kinds]


def _registration_status(rng, current):
    """Current year: most registered, some returned, drafts and none; the previous year: nearly all."""
    roll = rng.random()
    if current:
        steps = [(0.60, S.ACCEPTED), (0.75, S.SUBMITTED), (0.80, S.RETURNED), (0.85, S.DRAFT)]
    else:
        steps = [(0.93, S.ACCEPTED), (0.95, S.SUBMITTED), (0.97, S.RETURNED)]
    return next((status for limit, status in steps if roll < limit), None)


def _dossier_status(rng, current):
    roll = rng.random()
    if current:
        steps = [(0.10, D.DRAFT), (0.17, D.SUBMITTED), (0.22, D.IN_REVIEW), (0.25, D.RETURNED)]
    else:
        steps = [(0.78, D.RECOGNISED), (0.82, D.REFUSED), (0.85, D.NOT_RECOMMENDED), (0.90, D.RECOMMENDED)]
    return next((status for limit, status in steps if roll < limit), None)


@transaction.atomic
def seed_scale(*, seed=1, per_commune=30, max_communes=None, year=None, out=None):
    """Write the synthetic units and their two years; returns the number of units created."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible per seed)
    year = year or timezone.localdate().year
    kinds = _kinds()
    communes = list(
        Unit.objects.filter(kind__category=Category.COMMUNE, archived_at__isnull=True)
        .exclude(code="")
        .exclude(code__startswith="S")
        .select_related("parent")
        .order_by("path")
    )
    if max_communes is not None:
        communes = communes[:max_communes]
    prefix = code_prefix(seed)
    done = set(Unit.objects.filter(code__startswith=prefix).values_list("parent_id", flat=True).distinct().iterator())
    communes = [c for c in communes if c.pk not in done]
    if not communes:
        return 0
    provinces = {c.path[:PATH_SEGMENT_WIDTH] for c in communes}
    years = {}
    for province in Unit.objects.filter(path__in=provinces):
        for number in (year - 1, year):
            years[(province.path, number)] = open_year(province, number)

    units = _create_units(rng, communes, kinds, per_commune, prefix)
    if out:
        out(f"{len(units)} đơn vị")
    for number in (year - 1, year):
        registered = set(
            Registration.objects.filter(unit__in=communes, year__number=number).values_list("unit_id", flat=True)
        )
        fresh = [c for c in communes if c.pk not in registered] + units
        regs = _create_registrations(rng, fresh, years, number, current=number == year)
        if out:
            out(f"năm {number}: {len(regs)} bản đăng ký")
        dossiers = _create_dossiers(rng, regs, years, number, current=number == year)
        if out:
            out(f"năm {number}: {dossiers} hồ sơ")
    return len(units)


def _create_units(rng, communes, kinds, per_commune, prefix):
    ids = iter(_reserve_ids(Unit, len(communes) * per_commune))
    now = timezone.now()
    units = []
    for commune in communes:
        for i in range(per_commune):
            kind = kinds[i % len(kinds)]
            pk = next(ids)
            name = f"{kind.name} {i + 1:02d} {commune.name}"
            path = commune.path + path_segment(pk)
            households = rng.randint(60, 400) if kind.counts_households else None
            units.append(
                Unit(
                    pk=pk,
                    public_id=uuid.uuid4(),
                    name=name,
                    search_name=fold(name),
                    kind=kind,
                    parent=commune,
                    path=path,
                    depth=len(path) // PATH_SEGMENT_WIDTH - 1,
                    code=f"{prefix}{commune.code}-{i:02d}"[:20],
                    has_party_org=kind.counts_households or rng.random() < 0.5,
                    households=households,
                    staff=None if households else rng.randint(10, 300),
                    created_at=now,
                    updated_at=now,
                )
            )
    Unit.objects.bulk_create(units, batch_size=BATCH)
    return units


def _create_registrations(rng, units, years, number, current):
    ids = iter(_reserve_ids(Registration, len(units)))
    now = timezone.now()
    regs = []
    for unit in units:
        status = _registration_status(rng, current)
        if status is None:
            continue
        base = unit.households or unit.staff or 50
        day = datetime.date(number, 1, 5) + datetime.timedelta(days=rng.randint(0, 80))
        handed_in = status != S.DRAFT
        regs.append(
            Registration(
                pk=next(ids),
                public_id=uuid.uuid4(),
                unit=unit,
                year=years[(unit.path[:PATH_SEGMENT_WIDTH], number)],
                status=status,
                registered_on=day,
                base_count=base,
                committed_count=base if rng.random() < 0.9 else base - rng.randint(1, max(1, base // 10)),
                on_paper=rng.random() < 0.3,
                submitted_at=now if handed_in else None,
                is_late=handed_in and day > datetime.date(number, 3, 15),
                created_at=now,
                updated_at=now,
            )
        )
    Registration.objects.bulk_create(regs, batch_size=BATCH)
    documents, models = [], []
    for reg in regs:
        for doc_type in (DocumentType.REGISTRATION_FORM, DocumentType.SECURITY_PLAN, DocumentType.PARTY_RESOLUTION):
            if reg.on_paper or rng.random() < 0.2:
                continue
            documents.append(
                RegistrationDocument(
                    public_id=uuid.uuid4(),
                    registration=reg,
                    doc_type=doc_type,
                    file=f"scale/{reg.public_id}/{doc_type}.pdf",
                    original_name=f"{doc_type}.pdf",
                    content_type="application/pdf",
                    size=1024,
                    sha256="0" * 64,
                    uploaded_at=now,
                )
            )
        if rng.random() < 0.9:
            models.append(MovementModel(registration=reg, name="Tổ tự quản về an ninh, trật tự"))
    RegistrationDocument.objects.bulk_create(documents, batch_size=BATCH)
    MovementModel.objects.bulk_create(models, batch_size=BATCH)
    return regs


def _create_dossiers(rng, regs, years, number, current):
    """Dossiers of accepted registrations; the recognised ones of a commune share one decision."""
    now = timezone.now()
    dossiers = []
    for reg in regs:
        if reg.status != S.ACCEPTED:
            continue
        status = _dossier_status(rng, current)
        if status is not None:
            dossiers.append(
                Dossier(public_id=uuid.uuid4(), unit=reg.unit, year=reg.year, registration=reg, status=status)
            )
    issuers = {d.unit.parent for d in dossiers if d.status == D.RECOGNISED}
    counters = dict(
        DecisionCounter.objects.filter(issuer__in=issuers, calendar_year=number).values_list("issuer_id", "last_number")
    )
    decisions = {}
    for issuer in issuers:
        decisions[issuer.pk] = Decision(
            public_id=uuid.uuid4(),
            issuer=issuer,
            year=years[(issuer.path[:PATH_SEGMENT_WIDTH], number)],
            calendar_year=number,
            number=counters.get(issuer.pk, 0) + 1,
            symbol="QĐ-UBND",
            issued_on=datetime.date(number, 12, 20),
            signer_name="Nguyễn Văn Chủ",
            capacity=Capacity.ON_BEHALF,
            created_at=now,
        )
    Decision.objects.bulk_create(decisions.values(), batch_size=BATCH)
    DecisionCounter.objects.bulk_create(
        [DecisionCounter(issuer_id=pk, calendar_year=number, last_number=d.number) for pk, d in decisions.items()],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["issuer", "calendar_year"],
        update_fields=["last_number"],
    )
    for d in dossiers:
        d.submitted_at = None if d.status == D.DRAFT else now
        if d.status != D.DRAFT:
            # What the submit transition stamps; the shipped authority rows make the managing unit do both.
            d.reviewing_unit_id = d.recognising_unit_id = d.unit_parent_id = d.unit.parent_id
            d.unit_name = d.unit.name
        d.created_at = d.updated_at = now
        if d.status == D.RECOGNISED:
            d.decision = decisions[d.unit.parent_id]
    Dossier.objects.bulk_create(dossiers, batch_size=BATCH)
    return len(dossiers)
