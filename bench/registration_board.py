"""The clerk's registration board for a commune of 10 and of 40 units: queries per request and time per
request (django.test.Client, so no network), plus the compiled-list PDF and Excel once each.

Run: .venv/bin/python bench/registration_board.py   (uses a throwaway SQLite database in /tmp;
set BENCH_DATABASE_URL=postgres://... to measure on PostgreSQL)
"""

import datetime
import statistics

from _setup import throwaway_django, timed_gets

DB_PATH = "/tmp/ansinh_bench_registrations.sqlite3"
throwaway_django(DB_PATH)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from registrations import services, workflow  # noqa: E402
from registrations.demo import tiny_png  # noqa: E402
from registrations.models import MovementModel, RegistrationDocument  # noqa: E402
from units.models import Role, RoleAssignment, Unit, UnitKind  # noqa: E402

REQUESTS = 50
YEAR = 2026
KINDS = ["thon", "lang", "co-quan", "doanh-nghiep", "co-so-giao-duc"]


def commune_with(n):
    """A commune with n units of mixed kinds: four in five registered (most received), one in five not."""
    kinds = {k.code: k for k in UnitKind.objects.all()}
    province, _ = Unit.objects.get_or_create(name="Tỉnh Bench", kind=kinds["tinh"])
    commune = Unit.objects.create(name=f"Xã Bench {n}", kind=kinds["xa"], parent=province, staff=25)
    clerk = get_user_model().objects.create_user(f"clerk{n}", password="x")
    RoleAssignment.objects.create(user=clerk, role=Role.POLICE_CLERK, unit=commune)
    year = services.open_year(province, YEAR)
    for i in range(n):
        kind = kinds[KINDS[i % len(KINDS)]]
        unit = Unit.objects.create(
            name=f"Đơn vị {i:02d}",
            kind=kind,
            parent=commune,
            has_party_org=i % 3 != 0,
            households=120 if kind.counts_households else None,
            staff=None if kind.counts_households else 40,
        )
        if i % 5 == 4:
            continue
        reg = services.start_registration(
            unit=unit,
            year=year,
            user=clerk,
            registered_on=datetime.date(YEAR, 2, 5),
            base_count=120,
            committed_count=110 + i % 11,
        )
        MovementModel.objects.create(registration=reg, name="Tổ tự quản")
        doc = RegistrationDocument(registration=reg, doc_type="registration_form")
        doc.fill_from_upload(ContentFile(tiny_png(), name="trang.png"), clerk)
        doc.save()
        reg = workflow.perform(reg, "submit", clerk, today=datetime.date(YEAR, 2, 5))
        if i % 5 < 3:
            workflow.perform(reg, "accept", clerk)
    return commune, clerk


def measure(url, client, n=REQUESTS):
    queries, times = timed_gets(client, url, n)
    return queries, statistics.median(times), statistics.mean(times)


def main():
    print(f"database: {connection.vendor}; {REQUESTS} GETs per figure (median / mean ms)")
    for n in (10, 40):
        commune, clerk = commune_with(n)
        client = Client()
        client.force_login(clerk)
        base = f"/dang-ky/bang/{commune.public_id}/"
        queries, median, mean = measure(f"{base}?nam={YEAR}", client)
        print(f"board, {n} units:            {queries:3d} queries/request, {median:6.1f} ms median, {mean:6.1f} mean")
        queries, median, mean = measure(f"{base}?nam={YEAR}&missing=true&sort=-ratio", client)
        print(f"board filtered+sorted, {n}:  {queries:3d} queries/request, {median:6.1f} ms median, {mean:6.1f} mean")
        queries, median, mean = measure(f"{base}danh-sach.xlsx?nam={YEAR}", client, n=5)
        print(f"compiled list Excel, {n}:    {queries:3d} queries/request, {median:6.1f} ms median")
        queries, median, mean = measure(f"{base}danh-sach.pdf?nam={YEAR}", client, n=3)
        print(f"compiled list PDF, {n}:      {queries:3d} queries/request, {median:6.1f} ms median")


if __name__ == "__main__":
    main()
