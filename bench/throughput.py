"""Requests per second under gunicorn (2 sync workers, loopback): the login page, the home page and the
clerk's board of 40 units, signed in, each for a bounded time, in one run.

Needs the scale database with the bench communes (run bench/dashboard.py once first).
Run: .venv/bin/python bench/throughput.py [seconds per page, default 20]
"""

import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
URL = os.environ.get("BENCH_BIG", "postgres://postgres@127.0.0.1:5432/ansinh_scale")
PORT = 8771
CLIENTS = 4
ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "DEBUG": "False",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "CACHE_URL": "locmemcache://bench",
    "SECURE_SSL_REDIRECT": "False",
    "STATIC_ROOT": "/tmp/ansinh-bench-static",
}


def session_cookie():
    """A signed-in session for the bench clerk of the 40-unit commune, made without the login form."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    from units.models import Unit

    user = get_user_model().objects.get(username="bench.clerk40")
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend that signs people in (a session naming a backend no longer configured is anonymous).
    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if issubclass(import_string(b), ModelBackend)
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    commune = Unit.objects.get(name="Xã Bench 40")
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}", f"/dang-ky/bang/{commune.public_id}/"


def load(path, cookie, seconds):
    done, errors = [0], [0]
    stop = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                done[0] += 1
            else:
                errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / seconds, errors[0]


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    cookie, board = session_cookie()
    manage = [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"]
    subprocess.run(manage, cwd=ROOT, env=ENV, check=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{PORT}", "ansinh.wsgi"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)
        results = {}
        for name, path, with_cookie in (
            ("login page", "/dang-nhap/", False),
            ("home (signed in)", "/", True),
            ("board, 40 units (signed in)", f"{board}?nam=2026", True),
        ):
            load(path, cookie if with_cookie else "", 2)  # warm-up
            results[name] = load(path, cookie if with_cookie else "", seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    login = results["login page"][0]
    print(f"gunicorn 2 workers, {CLIENTS} loopback clients, {seconds} s per page")
    for name, (rate, errors) in results.items():
        failed = f"  non-200 answers: {errors}" if errors else ""
        print(f"{name:30} {rate:7.1f} req/s  ({rate / login:.2f} of the login page){failed}")


if __name__ == "__main__":
    main()
