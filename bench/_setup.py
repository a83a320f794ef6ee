"""What the bench scripts share: Django on a throwaway database, migrated afresh, and bench units.

A script calls `throwaway_django` before importing anything of Django's or the project's (hence the
`# noqa: E402` on the imports that follow the call)."""

import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ["thon", "lang", "co-quan", "doanh-nghiep", "co-so-giao-duc"]


def throwaway_django(db_path, *, url_from_env=True, private_media=True, demo=False, env=None):
    """Set Django up on the SQLite file `db_path` (removed first), or on BENCH_DATABASE_URL when set and
    `url_from_env`, migrate it, and seed the demo province when `demo`. `env` adds environment variables
    (DEBUG, TASKS_BACKEND, ...) read by the settings. Private files go to a new folder under /tmp."""
    sys.path.insert(0, str(ROOT))
    sqlite = f"sqlite:///{db_path}"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", sqlite) if url_from_env else sqlite
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    os.environ["TESTING"] = "1"
    if private_media:
        os.environ["PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="ansinh-bench-")
    os.environ.update(env or {})

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    call_command("migrate", verbosity=0)
    if demo:
        call_command("seed_demo", force=True, stdout=io.StringIO())


def make_units(commune, kinds, n, name):
    """`n` units under `commune`, the kinds taken in turn, two in three with a Party organisation;
    `name(i)` names the i-th."""
    from units.models import Unit

    return [
        Unit.objects.create(
            name=name(i),
            kind=kinds[KINDS[i % len(KINDS)]],
            parent=commune,
            has_party_org=i % 3 != 0,
            households=120 if kinds[KINDS[i % len(KINDS)]].counts_households else None,
            staff=None if kinds[KINDS[i % len(KINDS)]].counts_households else 40,
        )
        for i in range(n)
    ]


def timed_gets(client, url, n):
    """(the statements of one GET, the wall-clock ms of each of `n` GETs), after a warm-up GET (templates,
    content types, session); every GET must answer 200."""
    import time

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    reset_queries()  # the setup filled the debug query log to its cap
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries), times
