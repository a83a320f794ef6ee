"""Scoring pages for a province with 200 and with 2,000 scored dossiers: queries and time per request of the
classification list, the award candidates and the home page of the province's standing office, against the
dossier list of the same person in the same run; plus one score sheet PDF and the list's Excel export.

Run: .venv/bin/python bench/scoring_lists.py   (uses a throwaway SQLite database in /tmp;
set BENCH_DATABASE_URL=postgres://... to measure on PostgreSQL)
"""

import datetime
import statistics
import time
from decimal import Decimal

from _setup import throwaway_django, timed_gets

DB_PATH = "/tmp/ansinh_bench_scoring.sqlite3"
throwaway_django(DB_PATH)

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from dossiers.models import Dossier, DossierStatus  # noqa: E402
from registrations.models import Registration  # noqa: E402
from registrations.services import open_year  # noqa: E402
from scoring import services  # noqa: E402
from scoring.models import ScoreSheet, ScoreTemplate  # noqa: E402
from units.models import Role, RoleAssignment, Unit, UnitKind  # noqa: E402

REQUESTS = 20
STATES = [DossierStatus.RECOGNISED, DossierStatus.IN_REVIEW, DossierStatus.RECOMMENDED, DossierStatus.SUBMITTED]
TOTALS = ["95", "82.5", "64", "41", "90", "70"]


def province_with(communes, villages):
    kinds = {k.code: k for k in UnitKind.objects.all()}
    province = Unit.objects.create(name=f"Tỉnh Bench {communes * villages}", kind=kinds["tinh"])
    year = open_year(province, 2026)
    template = ScoreTemplate.objects.get(category="residential_area", version=1)
    for c in range(communes):
        commune = Unit.objects.create(name=f"Xã {c:03d}", kind=kinds["xa"], parent=province)
        for v in range(villages):
            Unit(name=f"Thôn {v:03d}", kind=kinds["thon"], parent=commune, households=100).save()
    units = list(Unit.objects.filter(kind=kinds["thon"], path__startswith=province.path))
    Registration.objects.bulk_create(
        Registration(
            unit=u,
            year=year,
            status=Registration.Status.ACCEPTED,
            registered_on=datetime.date(2026, 2, 1),
            base_count=100,
            committed_count=100,
        )
        for u in units
    )
    registrations = {r.unit_id: r for r in Registration.objects.filter(year=year)}
    Dossier.objects.bulk_create(
        Dossier(unit=u, year=year, registration=registrations[u.pk], status=STATES[n % len(STATES)])
        for n, u in enumerate(units)
    )
    sheets = []
    for n, dossier in enumerate(Dossier.objects.filter(year=year)):
        sheets.append(ScoreSheet(dossier=dossier, kind="self", template=template, total=Decimal("85")))
        if n % 3:
            sheets.append(ScoreSheet(dossier=dossier, kind="review", template=template, total=Decimal(TOTALS[n % 6])))
    ScoreSheet.objects.bulk_create(sheets)
    office = get_user_model().objects.create_user(f"office{len(units)}", password="x")
    RoleAssignment.objects.create(user=office, role=Role.STEERING_OFFICE, unit=province)
    return province, office, year


def measure(client, url):
    queries, times = timed_gets(client, url, REQUESTS)
    return queries, statistics.median(times)


PAGES = [
    ("dossier list (baseline)", "/ho-so/"),
    ("classification list", "/cham-diem/?year=2026"),
    ("award candidates", "/cham-diem/ung-vien/khen-thuong/?year=2026"),
    ("model units", "/cham-diem/ung-vien/dien-hinh/?year=2026"),
    ("home page", "/"),
]

print(f"database: {connection.vendor}")
print(f"{'dossiers':>8} {'page':<24} {'queries':>7} {'ms (median)':>12} {'× baseline':>10}")
for communes, villages in ((10, 20), (20, 100)):
    province, office, year = province_with(communes, villages)
    client = Client()
    client.force_login(office)
    baseline = None
    for label, url in PAGES:
        queries, ms = measure(client, url)
        baseline = baseline or ms
        print(f"{communes * villages:>8} {label:<24} {queries:>7} {ms:>12.1f} {ms / baseline:>10.2f}")
    start = time.perf_counter()
    response = client.get("/cham-diem/?year=2026&xuat=excel")
    print(f"{communes * villages:>8} {'Excel, whole list':<24} {'':>7} {(time.perf_counter() - start) * 1000:>12.1f}")

# One score sheet PDF with both scores entered item by item.
dossier = Dossier.objects.filter(status=DossierStatus.IN_REVIEW, year=year).select_related("unit").first()
ScoreSheet.objects.filter(dossier=dossier).delete()
items = services.items_of(services.template_for(dossier))
points = {item.pk: str(item.max_points) for item in items}
services.import_sheet(dossier=dossier, kind="self", user=office, points=points)
services.import_sheet(dossier=dossier, kind="review", user=office, points=points)
from ansinh.pdf import render_pdf  # noqa: E402
from scoring.exports import sheet_pdf_context  # noqa: E402

context = sheet_pdf_context(dossier, services.sheet_table(dossier))
baseline = {"issuer_lines": ["ỦY BAN NHÂN DÂN", "XÃ BENCH"], "date_line": "Bench, ngày 01 tháng 12 năm 2026"}
render_pdf("pdf/score_sheet.html", context)  # WeasyPrint import and fonts, once


def median_ms(template, ctx, n=5):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        render_pdf(template, ctx)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


plain = median_ms("pdf/base_nd30.html", baseline)
sheet = median_ms("pdf/score_sheet.html", context)
print(f"ND30 header page alone (baseline): median {plain:.0f} ms over 5")
print(f"score sheet PDF ({len(items)} items, 2 pages): median {sheet:.0f} ms over 5 ({sheet / plain:.1f}× baseline)")
