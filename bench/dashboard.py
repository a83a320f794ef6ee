"""Pages at national scale: the national and a province dashboard, the province progress page, the
clerk's board at 10/40/400 units, the review desk of the province and of its busiest commune, and the
year-end report export, each against the raw SQL aggregates behind it (a dashboard: the figures and the
classification), on the database `seed_scale` filled; then the same on a ~1,000-unit database to show growth.

Setup (once; minutes):
    createdb -h 127.0.0.1 -U postgres ansinh_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ansinh_scale .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ansinh_scale .venv/bin/python manage.py seed_scale
    createdb -h 127.0.0.1 -U postgres ansinh_small   (same two commands, then)
    DATABASE_URL=.../ansinh_small .venv/bin/python manage.py seed_scale --max-communes 33
Run:
    .venv/bin/python bench/dashboard.py [--explain]
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import make_units

ROOT = Path(__file__).resolve().parents[1]
BIG = os.environ.get("BENCH_BIG", "postgres://postgres@127.0.0.1:5432/ansinh_scale")
SMALL = os.environ.get("BENCH_SMALL", "postgres://postgres@127.0.0.1:5432/ansinh_small")
REPEAT = 15
BOARD_SIZES = (10, 40, 400)


def setup_django(url):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    os.environ["TESTING"] = "1"
    os.environ["PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="ansinh-bench-")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False


def bench_commune(province, n, year_number):
    """A commune of `n` units under `province`, four in five registered with documents (made once)."""
    import datetime
    import uuid

    from registrations.models import DocumentType, MovementModel, Registration, RegistrationDocument, Year
    from units.models import Unit, UnitKind

    kinds = {k.code: k for k in UnitKind.objects.all()}
    commune, created = Unit.objects.get_or_create(
        name=f"Xã Bench {n}", parent=province, defaults={"kind": kinds["xa"], "staff": 25}
    )
    if not created:
        return commune
    year = Year.objects.get(province=province, number=year_number)
    units = make_units(commune, kinds, n, lambda i: f"Đơn vị {i:03d}")
    regs = Registration.objects.bulk_create(
        Registration(
            unit=u,
            year=year,
            status=Registration.Status.ACCEPTED if i % 5 < 3 else Registration.Status.SUBMITTED,
            registered_on=datetime.date(year_number, 2, 5),
            base_count=120,
            committed_count=110 + i % 11,
        )
        for i, u in enumerate(units)
        if i % 5 != 4
    )
    RegistrationDocument.objects.bulk_create(
        RegistrationDocument(
            public_id=uuid.uuid4(),
            registration=r,
            doc_type=t,
            file=f"bench/{r.pk}-{t}.pdf",
            original_name="a.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
        for r in regs
        for t in (DocumentType.REGISTRATION_FORM, DocumentType.SECURITY_PLAN)
    )
    MovementModel.objects.bulk_create(MovementModel(registration=r, name="Tổ tự quản") for r in regs)
    return commune


def person(username, role, unit):
    from django.contrib.auth import get_user_model

    from units.models import RoleAssignment

    user, _ = get_user_model().objects.get_or_create(username=username)
    if unit is None:
        user.is_superuser = user.is_staff = True
        user.save()
    else:
        RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    return user


def timed(fn, repeat=REPEAT):
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def page(client, url, repeat=REPEAT, before=None):
    from django.db import connection

    def get():
        if before:
            before()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    executed = []
    with connection.execute_wrapper(lambda execute, *args: executed.append(1) or execute(*args)):
        get()
    return timed(get, repeat), len(executed)


def raw(statements, repeat=REPEAT):
    """The time of the page's aggregate statements [(sql, params)], run one after the other."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return timed(run, repeat)


def explain(statements):
    from django.db import connection

    lines = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
            lines += [row[0] for row in cursor.fetchall()] + [""]
    return lines


def sql_of(*querysets):
    return [qs.query.sql_with_params() for qs in querysets]


def classification_sql(area, year_number):
    """The statement scoring.services.area_classification runs (its aggregate, captured)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scoring.services import area_classification

    with CaptureQueriesContext(connection) as ctx:
        area_classification(area, year_number)
    return [(ctx.captured_queries[-1]["sql"], None)]


def desk_sql(user):
    from dossiers import queues
    from dossiers.models import Dossier, DossierStatus
    from units.models import Role

    S = DossierStatus
    desk = queues.at_desk(Dossier.objects.with_facts(), user, Role.STEERING_OFFICE, Role.CHAIRMAN)
    return sql_of(desk.filter(status__in=[S.SUBMITTED, S.IN_REVIEW, S.RECOMMENDED]).by_due_date())


def measure(url, with_explain):
    """Every figure on one database, as a dict (run in a child process per database)."""
    setup_django(url)
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from dossiers.models import Dossier
    from registrations import progress, queries, services
    from registrations.models import Year
    from units.models import Role, Unit

    year_number = services.current_year_number()
    units = Unit.objects.count()
    # The province with the most communes stands for the worst province page (among those seeded: a
    # small database seeds the units of a few communes only).
    seeded = Unit.objects.filter(depth=0, years__number=year_number)
    province = max(seeded, key=lambda p: Unit.objects.filter(parent=p).count())
    communes = {n: bench_commune(province, n, year_number) for n in BOARD_SIZES}
    year = Year.objects.get(province=province, number=year_number)
    admin = person("bench.national", None, None)
    office = person("bench.province", Role.STEERING_OFFICE, province)
    clerks = {n: person(f"bench.clerk{n}", Role.POLICE_CLERK, c) for n, c in communes.items()}
    # The commune of the province with the most dossiers waiting at its review desk.
    busiest = (
        Dossier.objects.filter(reviewing_unit__parent=province, status__in=["submitted", "in_review", "recommended"])
        .values("reviewing_unit")
        .annotate(n=Count("pk"))
        .order_by("-n", "reviewing_unit")
        .first()
    )
    desk_commune = Unit.objects.get(pk=busiest["reviewing_unit"]) if busiest else communes[BOARD_SIZES[0]]
    commune_office = person("bench.office.commune", Role.STEERING_OFFICE, desk_commune)

    out = {"units": units, "province": province.name, "communes": Unit.objects.filter(parent=province).count()}
    client = Client()
    plans = {}

    def row(name, user, page_url, aggregate, repeat=REPEAT, before=None):
        client.force_login(user)
        ms, n_queries = page(client, page_url, repeat, before)
        sql = aggregate()
        out[name] = {"page_ms": ms, "queries": n_queries, "raw_ms": raw(sql, repeat)}
        if with_explain:
            plans[name] = explain(sql)

    q = f"?nam={year_number}"
    from django.core.cache import cache

    row(
        "national dashboard (cold)",
        admin,
        reverse("reports:national") + q,
        lambda: sql_of(progress.grouped(None, year_number)) + classification_sql(None, year_number),
        before=cache.clear,
    )
    row(
        "national dashboard (cached)",
        admin,
        reverse("reports:national") + q,
        lambda: sql_of(progress.grouped(None, year_number)) + classification_sql(None, year_number),
    )
    row(
        "province dashboard",
        office,
        reverse("reports:dashboard", args=[province.public_id]) + q,
        lambda: sql_of(progress.grouped(province, year_number)) + classification_sql(province, year_number),
    )
    row(
        "province progress",
        office,
        reverse("registrations:progress", args=[province.public_id]) + q,
        lambda: sql_of(progress.grouped(province, year_number)),
    )
    for n, commune in communes.items():
        row(
            f"board {n} units",
            clerks[n],
            reverse("registrations:board", args=[commune.public_id]) + q,
            lambda commune=commune: sql_of(queries.board_units(commune, year)),
        )
    row("review desk, province", office, reverse("dossiers:review_desk"), lambda: desk_sql(office))
    row("review desk, commune", commune_office, reverse("dossiers:review_desk"), lambda: desk_sql(commune_office))
    row(
        "province report (Excel)",
        office,
        reverse("reports:report_xlsx", args=[province.public_id]) + q,
        lambda: sql_of(progress.grouped(province, year_number)),
        repeat=5,
    )
    out["plans"] = plans
    return out


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], "--explain" in sys.argv)))
        return
    with_explain = "--explain" in sys.argv
    results = {}
    for label, url in (("~100k", BIG), ("~1k", SMALL)):
        args = [sys.executable, __file__, "--child", url, *(["--explain"] if with_explain else [])]
        done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=900)  # noqa: S603
        if done.returncode:
            print(done.stderr[-3000:])
            raise SystemExit(f"{label}: the child run failed")
        results[label] = json.loads(done.stdout.strip().splitlines()[-1])
    big, small = results["~100k"], results["~1k"]
    print(
        f"big: {big['units']} units; small: {small['units']} units; province: {big['province']} "
        f"({big['communes']} communes); median of {REPEAT} (report: 5), ms"
    )
    print(f"{'page':28} {'queries':>7} {'page':>8} {'raw SQL':>8} {'page/raw':>8} | {'1k page':>8} {'growth':>7}")
    for name, fig in big.items():
        if not isinstance(fig, dict) or "page_ms" not in fig:
            continue
        other = small[name]
        print(
            f"{name:28} {fig['queries']:7d} {fig['page_ms']:8.1f} {fig['raw_ms']:8.2f} "
            f"{fig['page_ms'] / fig['raw_ms']:8.1f} | {other['page_ms']:8.1f} {fig['page_ms'] / other['page_ms']:6.2f}x"
        )
    if with_explain:
        for name, plan in big["plans"].items():
            print(f"\n--- EXPLAIN ANALYZE: {name} (~100k units)")
            print("\n".join(plan))


if __name__ == "__main__":
    main()
