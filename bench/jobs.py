"""What background jobs take off the web workers: the confirmed unit import of 200 and 2,000 rows (the
inline limit and the file cap), and the year-end report of a commune and of its province, each as Excel
and PDF. Prints seconds per case and the ratio to the smallest case of its kind, measured in the same run.

Run: .venv/bin/python bench/jobs.py [--communes 20 --units 40]   (a throwaway SQLite database in /tmp)
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DB_PATH = "/tmp/ansinh_bench_jobs.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
os.environ["TESTING"] = "1"
os.environ["PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="ansinh-bench-")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

if os.path.exists(DB_PATH):
    os.remove(DB_PATH)
call_command("migrate", verbosity=0)

from registrations import exports as registration_exports  # noqa: E402
from registrations import progress  # noqa: E402
from registrations.models import Year  # noqa: E402
from registrations.services import open_year  # noqa: E402
from reports import exports  # noqa: E402
from units import importing  # noqa: E402
from units.models import Unit, UnitKind  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def rows(kind, n, prefix):
    return [
        {
            "line": i,
            "name": f"{prefix} {i:04d}",
            "kind_id": kind.pk,
            "kind_name": kind.name,
            "size": 100,
            "party": True,
            "out_of_scope": "",
            "head_name": "",
            "phone": "",
            "address": "",
            "existing": False,
        }
        for i in range(n)
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--units", type=int, default=40)
    args = parser.parse_args()
    actor = get_user_model().objects.create_user("bench")
    province = Unit.objects.create(name="Tỉnh Thử", kind=UnitKind.objects.get(code="tinh"), code="90")
    commune_kind, village_kind = UnitKind.objects.get(code="xa"), UnitKind.objects.get(code="thon")

    print("Confirmed unit import (importing.apply, one transaction):")
    base = None
    for n in (200, 2000):
        commune = Unit.objects.create(name=f"Xã Nhập {n}", kind=commune_kind, parent=province)
        seconds = timed(lambda c=commune, n=n: importing.apply(c, rows(village_kind, n, "Thôn"), actor=actor))
        base = base or seconds
        print(f"  {n:5d} rows: {seconds:6.2f} s  ({seconds / base:.1f}x the 200-row import)")

    communes = [
        Unit.objects.create(name=f"Xã Báo Cáo {i:02d}", kind=commune_kind, parent=province)
        for i in range(args.communes)
    ]
    for commune in communes:
        importing.apply(commune, rows(village_kind, args.units, f"Thôn {commune.name}"), actor=actor)
    year = timezone.localdate().year
    open_year(province, year)
    today = timezone.localdate()
    print(f"Year-end report ({args.communes} communes x {args.units} units):")
    for file_format in ("xlsx", "pdf"):
        exports.report_file(communes[0], year, today, file_format)  # warm-up: imports, fonts, caches
        small = timed(lambda f=file_format: exports.report_file(communes[0], year, today, f))
        big = timed(lambda f=file_format: exports.report_file(province, year, today, f))
        print(f"  {file_format}: commune {small:5.2f} s, province {big:5.2f} s  ({big / small:.1f}x)")

    print("Excel exports of the registration board and the progress page:")
    big = Unit.objects.create(name="Xã Lớn", kind=commune_kind, parent=province)
    importing.apply(big, rows(village_kind, 400, "Thôn lớn"), actor=actor)
    year_row = Year.objects.get(province=province, number=year)
    small_list = timed(lambda: registration_exports.list_workbook(communes[0], year_row))
    big_list = timed(lambda: registration_exports.list_workbook(big, year_row))
    print(f"  board list: {args.units} units {small_list:5.2f} s, 400 units {big_list:5.2f} s")

    def province_progress():
        figures, children = progress.area_and_children(province, year)
        registration_exports.progress_workbook(province, year_row, figures, children, None)

    print(f"  province progress ({args.communes + 3} communes): {timed(province_progress):5.2f} s")


main()
