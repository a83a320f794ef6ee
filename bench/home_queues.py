"""What the home-page queues cost: per demo account, queries and median time of the home page with the
queues against the same page without them (baseline, same run); then the standing office's home page
with 10 and 300 dossiers waiting; then the decision preview and the decision PDF.

Run: .venv/bin/python bench/home_queues.py   (throwaway SQLite database in /tmp; set
BENCH_DATABASE_URL=postgres://... to measure on PostgreSQL)
"""

import statistics

from _setup import throwaway_django, timed_gets

DB_PATH = "/tmp/ansinh_bench_home_queues.sqlite3"
throwaway_django(DB_PATH, demo=True)

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from ansinh import queues  # noqa: E402
from dossiers.models import Decision, Dossier, DossierStatus, Registration  # noqa: E402
from units.models import Unit, UnitKind  # noqa: E402

REQUESTS = 30


def measure(client, url, n=REQUESTS):
    queries, times = timed_gets(client, url, n)
    return queries, statistics.median(times)


def home(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    with_q, with_ms = measure(client, "/")
    providers, queues.PROVIDERS = queues.PROVIDERS, ()
    try:
        base_q, base_ms = measure(client, "/")
    finally:
        queues.PROVIDERS = providers
    return with_q, with_ms, base_q, base_ms


print(f"database: {connection.vendor}; {REQUESTS} GETs per figure (median ms)")
print(f"{'account':<22}{'queries':>9}{'ms':>8}{'baseline q':>12}{'baseline ms':>13}{'ratio':>7}")
for username in sorted(get_user_model().objects.filter(username__contains=".").values_list("username", flat=True)):
    q, ms, bq, bms = home(username)
    print(f"{username:<22}{q:>9}{ms:>8.1f}{bq:>12}{bms:>13.1f}{ms / bms:>7.2f}")

# The standing office with many dossiers waiting: the queue shows five, counts all.
kon_gang = Unit.objects.get(name="Xã Kon Gang", parent__code="52")
thon = UnitKind.objects.get(code="thon")
year = Dossier.objects.filter(unit__parent=kon_gang).first().year
for target in (10, 300):
    have = Dossier.objects.filter(unit__parent=kon_gang, status=DossierStatus.SUBMITTED).count()
    for i in range(have, target):
        unit = Unit.objects.create(name=f"Thôn bench {i}", kind=thon, parent=kon_gang, households=50)
        reg = Registration.objects.create(
            unit=unit,
            year=year,
            status="accepted",
            registered_on=f"{year.number}-02-01",
            base_count=50,
            committed_count=50,
        )
        Dossier.objects.create(unit=unit, year=year, registration=reg, status=DossierStatus.SUBMITTED)
    q, ms, bq, bms = home("bcd.konggang")
    print(f"bcd.konggang, {target} waiting: {q} queries, {ms:.1f} ms (baseline without queues {bq} q, {bms:.1f} ms)")

client = Client()
client.force_login(get_user_model().objects.get(username="vanthu.konggang"))
decision = Decision.objects.get(issuer=kon_gang)
q, ms = measure(client, reverse("dossiers:decision_pdf", args=[decision.public_id]), n=5)
print(f"decision PDF ({decision.dossiers.count()} units): {q} queries, median {ms:.0f} ms")
