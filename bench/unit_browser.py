"""Unit browser cost for a commune with 30 and with 300 units: queries per page and time per request.

Run: .venv/bin/python bench/unit_browser.py   (uses a throwaway SQLite database in /tmp)
"""

import time

from _setup import throwaway_django

throwaway_django("/tmp/ansinh_bench_units.sqlite3", env={"DEBUG": "True"})

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from units.models import Role, RoleAssignment, Unit, UnitKind  # noqa: E402

REQUESTS = 50


def commune_with(n):
    province = Unit.objects.get_or_create(name="Tỉnh Bench", kind=UnitKind.objects.get(code="tinh"))[0]
    commune = Unit.objects.create(name=f"Xã Bench {n}", kind=UnitKind.objects.get(code="xa"), parent=province)
    thon = UnitKind.objects.get(code="thon")
    for i in range(n):
        Unit(name=f"Thôn {i:03d}", kind=thon, parent=commune, households=100 + i).save()
    user = get_user_model().objects.create_user(f"clerk{n}", password="x")
    RoleAssignment.objects.create(user=user, role=Role.POLICE_CLERK, unit=commune)
    return commune, user


print(f"{'units':>6} {'queries/page':>13} {'ms/request':>11}")
results = {}
for n in (30, 300):
    commune, user = commune_with(n)
    client = Client()
    client.force_login(user)
    url = f"/don-vi/{commune.public_id}/"
    client.get(url)
    reset_queries()  # the setup above filled the debug log to its cap
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    start = time.perf_counter()
    for _ in range(REQUESTS):
        assert client.get(url).status_code == 200
    ms = (time.perf_counter() - start) * 1000 / REQUESTS
    results[n] = (len(queries), ms)
    print(f"{n:>6} {len(queries):>13} {ms:>11.1f}")
print(f"ratio 300/30: queries x{results[300][0] / results[30][0]:.2f}, time x{results[300][1] / results[30][1]:.2f}")
print("(the page shows 50 units at a time; the rest is one COUNT query)")
