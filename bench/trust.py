"""Costs of the trust features on the demo province: signing and storing a decision vs rendering it,
checking the stored signature (cold vs cached), the public lookup, reading a scanned form's QR code, and
the unit page with a merger history.

Run: .venv/bin/python bench/trust.py   (a throwaway SQLite database and signing key in /tmp; ~1 minute)
"""

import os
import statistics
import time
from pathlib import Path

from _setup import throwaway_django

DB = "/tmp/ansinh_bench_trust.sqlite3"
throwaway_django(DB, url_from_env=False, env={"DEBUG": "True", "SIGNING_PKCS12": "/tmp/ansinh_bench_trust/demo.p12"})

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

settings.SIGNING_DEMO_PKCS12 = Path("/tmp/ansinh_bench_trust/demo.p12")
settings.PUBLIC_LOOKUP_MAX = 10**6
settings.STORAGES = {
    **settings.STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/tmp/ansinh_bench_trust/private"},
    },
}
call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123

from django.contrib.auth import get_user_model  # noqa: E402

from ansinh.pdf import render_pdf  # noqa: E402
from dossiers import signing  # noqa: E402
from dossiers.models import Decision, DecisionPdf  # noqa: E402
from dossiers.printing import decision_context  # noqa: E402
from registrations import exports, paper_scans  # noqa: E402
from registrations.models import Registration  # noqa: E402
from units.models import Unit  # noqa: E402

ROUNDS = 5


class QueryCount:
    """Counts the statements of a block (the test client resets connection.queries at each request)."""

    def __enter__(self):
        self.n = 0
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def __len__(self):
        return self.n


def ms(seconds):
    return f"{seconds * 1000:7.1f} ms"


def timed(fn, rounds=ROUNDS):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


decision = Decision.objects.select_related("issuer", "year").get(year__number=2026)
render_pdf("pdf/decision.html", decision_context(decision))  # warm WeasyPrint and fonts


def render_only():
    render_pdf("pdf/decision.html", decision_context(decision))


def render_and_sign():
    DecisionPdf.objects.filter(decision=decision).delete()
    signing.stored_pdf(decision, decision_context)


# Interleaved so both see the same machine load.
plain, signed = [], []
for _ in range(ROUNDS):
    plain.append(timed(render_only, 1))
    signed.append(timed(render_and_sign, 1))
plain, signed = statistics.median(plain), statistics.median(signed)
print(f"decision PDF, render only (what every download cost before): {ms(plain)}")
print(f"decision PDF, render + sign + store (once per decision):     {ms(signed)}  ({signed / plain:.2f}x)")

clerk = Client()
clerk.force_login(get_user_model().objects.get(username="vanthu.konggang"))
url = f"/ho-so/quyet-dinh/{decision.public_id}/pdf/"


def download():
    b"".join(clerk.get(url).streaming_content)


stored = timed(download, 20)
print(f"decision download, stored file served:                      {ms(stored)}  ({plain / stored:.0f}x less)")


def status_cold():
    cache.clear()
    signing.signature_status(decision)


cold = timed(status_cold)
warm = timed(lambda: signing.signature_status(decision), 20)
print(f"signature check, cold (pyHanko validation):                 {ms(cold)}")
print(f"signature check, cached per content hash:                   {ms(warm)}  ({cold / warm:.0f}x)")

public = Client()
code = Registration.objects.exclude(receipt_code="").values_list("receipt_code", flat=True).first()
with QueryCount() as queries:
    assert public.get("/tra-cuu/", {"ma": code}).status_code == 200
lookup = timed(lambda: public.get("/tra-cuu/", {"ma": code}), 50)
print(f"public lookup, one code:                                    {ms(lookup)}  ({len(queries)} queries)")

unit = Unit.objects.get(name="Thôn Hà Lòng")
registration = unit.registrations.select_related("year").get(year__number=2026)
form = render_pdf("pdf/registration_form.html", exports.form_context(unit, registration.year, registration))


class Upload:
    def __init__(self, data):
        import io

        self._io = io.BytesIO(data)

    def __getattr__(self, name):
        return getattr(self._io, name)


png_dir = Path("/tmp/ansinh_bench_trust")
import subprocess  # noqa: E402, S404

subprocess.run(  # noqa: S603
    ["pdftoppm", "-r", "150", "-png", "-singlefile", "-", str(png_dir / "scan")],  # noqa: S607
    input=form,
    check=True,
)
png = (png_dir / "scan.png").read_bytes()
from_png = timed(lambda: paper_scans.read_code(Upload(png), "png"))
from_pdf = timed(lambda: paper_scans.read_code(Upload(form), "pdf"))
print(f"reading the QR code of a scanned form, 150 dpi PNG:         {ms(from_png)}")
print(f"reading the QR code of a form sent as PDF (pdftoppm first): {ms(from_pdf)}")

client = Client()
client.force_login(get_user_model().objects.get(username="congan.konggang"))
with QueryCount() as queries:
    client.get(f"/don-vi/{unit.public_id}/")
page = timed(lambda: client.get(f"/don-vi/{unit.public_id}/"), 20)
print(f"unit page with two predecessors and 6 history rows:         {ms(page)}  ({len(queries)} queries)")
