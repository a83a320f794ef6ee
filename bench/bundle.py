"""What a hồ sơ lưu trữ costs: one unit's year (built inline, while the person waits) and a commune's whole
year (the background job), on the demo's Xã Kon Gang last year, against one registration form PDF rendered
in the same run (the unit of work the bundle repeats per unit).

Run: .venv/bin/python bench/bundle.py   (a throwaway SQLite database in /tmp, seeded with seed_demo; a few minutes)

Times are CPU seconds of this process (time.process_time); wall-clock figures are printed beside them.
"""

import os
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_PATH = "/tmp/ansinh_bench_bundle.sqlite3"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{DB_PATH}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
os.environ["PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="ansinh-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from ansinh.pdf import render_pdf  # noqa: E402
from dossiers import bundle  # noqa: E402
from dossiers.models import Dossier  # noqa: E402
from registrations import exports  # noqa: E402
from registrations.models import Registration  # noqa: E402
from units.models import Unit  # noqa: E402


def timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main():
    Path(DB_PATH).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", force=True, verbosity=0)
    number = timezone.localdate().year - 1
    kon_gang = Unit.objects.get(name="Xã Kon Gang")
    dossier = Dossier.objects.select_related("unit__kind", "unit__parent", "year").get(
        unit__name="Làng Kon Gang Tơ Pơng", year__number=number
    )
    registration = Registration.objects.get(pk=dossier.registration_id)
    render_pdf("pdf/registration_form.html", exports.form_context(dossier.unit, dossier.year, registration))
    _, form_cpu, form_wall = timed(
        lambda: render_pdf("pdf/registration_form.html", exports.form_context(dossier.unit, dossier.year, registration))
    )
    print(f"one registration form PDF: {form_cpu:.2f} s CPU ({form_wall:.2f} s wall)")

    with tempfile.TemporaryFile() as out:
        parts, cpu, wall = timed(lambda: bundle.write_unit_bundle(out, dossier=dossier, user=None))
        size = out.seek(0, 2)
        files = len(zipfile.ZipFile(out).namelist())
    print(
        f"one unit's year: {cpu:.2f} s CPU ({wall:.2f} s wall), {files} files, {size / 1024:.0f} KB "
        f"= {cpu / form_cpu:.1f}× one form"
    )

    with tempfile.TemporaryFile() as out:
        parts, cpu, wall = timed(
            lambda: bundle.write_commune_bundle(out, commune=kon_gang, year=dossier.year, user=None)
        )
        size = out.seek(0, 2)
        files = len(zipfile.ZipFile(out).namelist())
    per_unit = cpu / len(parts)
    print(
        f"commune's year ({len(parts)} units): {cpu:.2f} s CPU ({wall:.2f} s wall), {files} files, "
        f"{size / 1024:.0f} KB; {per_unit:.2f} s CPU per unit = {per_unit / form_cpu:.1f}× one form"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
