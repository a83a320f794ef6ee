"""What printing costs: certificates (one, a batch of 50 and of 500, against one document per certificate),
the engine's floor, LibreOffice when installed, the compiled registration list (40 and 400 units), the
decision, peak memory, and the board's latency while a 500-certificate batch runs in a separate worker.

Run: .venv/bin/python bench/printing.py   (a throwaway SQLite database in /tmp; about five minutes)
     .venv/bin/python bench/printing.py list   (only the compiled list; also: certificates, office, worker)

Times are CPU seconds of this process (time.process_time), which the other processes on a shared machine
disturb far less than wall-clock time; wall-clock figures are printed beside them. LibreOffice and the
worker run in other processes, so they are wall-clock only.
"""

import datetime
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, make_units, throwaway_django

DB_PATH = "/tmp/ansinh_bench_printing.sqlite3"
# Enqueued jobs go to the database, where the worker process started below picks them up.
throwaway_django(DB_PATH, env={"TASKS_BACKEND": "django_tasks_db.DatabaseBackend"})

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from weasyprint import HTML  # noqa: E402

from ansinh import access, pdf  # noqa: E402
from ansinh.models import Job  # noqa: E402
from certificates import jobs as print_jobs  # noqa: E402
from certificates import printing, services  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from dossiers.models import Decision, Dossier, DossierStatus  # noqa: E402
from dossiers.printing import decision_context  # noqa: E402
from registrations import exports  # noqa: E402
from registrations.models import MovementModel, Registration  # noqa: E402
from registrations.services import open_year  # noqa: E402
from units.models import Role, RoleAssignment, Unit, UnitKind  # noqa: E402

YEAR = 2026
KINDS = ["thon", "lang", "co-quan", "doanh-nghiep", "co-so-giao-duc"]
NAMES = ["Làng Kon Gang Tơ Pơng", "Trường THCS Nguyễn Du", "Thôn Đê Kjiêng", "Công ty TNHH Cà phê Ân Phú"]


def timed(fn):
    """(result, CPU seconds, wall seconds)."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def pages_of(content):
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def commune_with(n, province, kinds):
    """A commune with n units, four in five registered with a movement model, all recognised by a decision."""
    commune = Unit.objects.create(name=f"Xã Kon Gang {n}", kind=kinds["xa"], parent=province, staff=25)
    units = make_units(commune, kinds, n, lambda i: f"{NAMES[i % len(NAMES)]} {i:03d}")
    return commune, units


def recognise(commune, units, year, chairman):
    """Accepted registrations, recommended dossiers and one decision over all of them, written in bulk."""
    regs = Registration.objects.bulk_create(
        Registration(
            unit=u,
            year=year,
            status=Registration.Status.ACCEPTED if i % 5 != 4 else Registration.Status.SUBMITTED,
            registered_on=datetime.date(YEAR, 2, 5),
            base_count=120,
            committed_count=110 + i % 11,
            is_late=i % 7 == 3,
        )
        for i, u in enumerate(units)
    )
    MovementModel.objects.bulk_create(
        MovementModel(registration=r, name="Tổ tự quản an ninh trật tự, phòng cháy chữa cháy") for r in regs
    )
    decision = Decision.objects.create(
        issuer=commune,
        year=year,
        calendar_year=YEAR,
        number=1,
        symbol="QĐ-UBND",
        issued_on=datetime.date(YEAR, 11, 14),
        signer_name="Nguyễn Văn An",
        capacity="on_behalf",
    )
    Dossier.objects.bulk_create(
        Dossier(unit=u, year=year, registration=r, status=DossierStatus.RECOGNISED, decision=decision)
        for u, r in zip(units, regs, strict=True)
    )
    services.issue_for_decision(decision, chairman)
    return decision


def setup():
    kinds = {k.code: k for k in UnitKind.objects.all()}
    province = Unit.objects.create(name="Tỉnh Gia Lai", kind=kinds["tinh"])
    year = open_year(province, YEAR)
    chairman = get_user_model().objects.create_user("chutich", password="x", first_name="Nguyễn Văn An")
    clerk = get_user_model().objects.create_user("congan", password="x")
    world = {"year": year, "chairman": chairman, "clerk": clerk}
    for n in (40, 400, 500):
        commune, units = commune_with(n, province, kinds)
        RoleAssignment.objects.create(user=chairman, role=Role.CHAIRMAN, unit=commune)
        RoleAssignment.objects.create(user=clerk, role=Role.POLICE_CLERK, unit=commune)
        access.forget(chairman)
        world[n] = (commune, recognise(commune, units, year, chairman))
    return world


def floor(n=500):
    """The engine's floor: a one-line page in an n-page document, with the project's font."""
    html = (
        '<style>@font-face { font-family: S; src: url("static:fonts/LiberationSerif-Regular.ttf"); }'
        "body { font-family: S } @page { size: A4 landscape }</style>"
        + "".join(f'<p style="page-break-after: always">Trang {i}</p>' for i in range(n))
    )
    _, cpu, wall = timed(lambda: HTML(string=html, url_fetcher=pdf._fetcher(), base_url=str(ROOT)).write_pdf())
    return cpu / n, wall / n


def bench_certificates(world, results):
    base_cpu, base_wall = floor()
    results["floor"] = base_cpu
    print(
        f"engine floor, one-line page in a 500-page document: {1000 * base_cpu:6.1f} ms/page CPU "
        f"({1000 * base_wall:.1f} wall)"
    )
    decision = world[500][1]
    everything = list(Certificate.objects.filter(decision=decision).for_printing())
    for n in (1, 50, 500):
        batch = everything[:n]
        content, cpu, wall = timed(lambda b=batch: printing.render_certificates(b))
        assert pages_of(content) == n
        results[f"batch{n}"] = cpu / n
        print(
            f"certificates, one PDF of {n:3d} (parts of {printing.PART_SIZE}): {1000 * cpu / n:6.1f} ms/cert. CPU "
            f"({1000 * wall / n:.1f} wall), {n / cpu:5.1f} pages/s, {1000 * cpu / n / (1000 * base_cpu):4.1f}× floor"
        )
    _, cpu, wall = timed(lambda: [printing.render_certificates([c]) for c in everything[:20]])
    results["single"] = cpu / 20
    print(
        f"certificates, one document each (20, ×25 → 500): {1000 * cpu / 20:6.1f} ms/certificate CPU "
        f"({1000 * wall / 20:.1f} wall); 500 would take {25 * cpu:.1f} s; "
        f"the batch is {cpu / 20 / results['batch500']:.1f}× cheaper per certificate"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process so far: {peak:.0f} MiB")


def bench_office(results):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("LibreOffice: soffice is not installed here, so its figures are missing from this run")
        return
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    def certificate_docx(path, pages):
        doc = Document()
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        for i in range(pages):
            for text, size in [
                ("ỦY BAN NHÂN DÂN XÃ KON GANG", 12),
                ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM – Độc lập - Tự do - Hạnh phúc", 12),
                ("GIẤY CÔNG NHẬN", 30),
                ("Căn cứ Quyết định số 01/QĐ-UBND ngày 14/11/2026 của Ủy ban nhân dân xã Kon Gang,", 13),
                (f"{NAMES[i % len(NAMES)]} {i:03d}", 26),
                ("Đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026", 16),
                ("Kon Gang, ngày 14 tháng 11 năm 2026 – TM. ỦY BAN NHÂN DÂN – CHỦ TỊCH – Nguyễn Văn An", 13),
            ]:
                run = doc.add_paragraph().add_run(text)
                run.font.size = Pt(size)
                run.font.name = "Liberation Serif"
            if i < pages - 1:
                doc.add_page_break()
        doc.save(path)

    def list_docx(path, rows):
        """The compiled list of `rows` units as a landscape Word table with the same seven columns."""
        doc = Document()
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        doc.add_paragraph("DANH SÁCH đơn vị đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026")
        table = doc.add_table(rows=1, cols=7)
        table.style = "Table Grid"
        headers = ["STT", "Tên đơn vị", "Ngày đăng ký", "Hộ / cán bộ", "Mô hình", "Tình trạng", "Ghi chú"]
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
        for i in range(rows):
            committed = 110 + i % 11
            values = [
                str(i + 1),
                f"{NAMES[i % len(NAMES)]} {i:03d}",
                "05/02/2026",
                f"{committed}/120 ({round(100 * committed / 120)}%)",
                "Tổ tự quản an ninh trật tự, phòng cháy chữa cháy",
                "Đã tiếp nhận",
                f"Mới {committed}/120 hộ đăng ký; Thiếu nghị quyết của chi bộ; Thiếu bản đăng ký phấn đấu",
            ]
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = text
        doc.save(path)

    def convert(source):
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(source.parent), str(source)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return time.perf_counter() - started, pages_of(source.with_suffix(".pdf").read_bytes())

    out = Path(tempfile.mkdtemp(prefix="ansinh-office-"))
    # The first call of a fresh user profile takes seconds more; people convert with a warm one.
    certificate_docx(out / "warm-up.docx", 1)
    wall, _ = convert(out / "warm-up.docx")
    print(f"LibreOffice, first call (profile, fonts): {wall:.2f} s, not counted")
    for pages in (1, 200):
        source = out / f"giay-{pages}.docx"
        certificate_docx(source, pages)
        wall, _ = convert(source)
        results[f"office{pages}"] = wall / pages
        print(
            f"LibreOffice, one call, {pages:3d}-page certificate .docx: "
            f"{1000 * wall / pages:7.1f} ms/page ({wall:.2f} s)"
        )
    source = out / "danh-sach-400.docx"
    list_docx(source, 400)
    wall, pages = convert(source)
    results["officelist"], results["officelistpage"] = wall, wall / pages
    print(
        f"LibreOffice, one call, the 400-unit list as .docx: {pages} pages, "
        f"{1000 * wall / pages:.1f} ms/page ({wall:.2f} s)"
    )


def bench_lists(world, results):
    year = world["year"]
    for n in (40, 400):
        commune = world[n][0]
        context = exports.list_context(commune, year)
        content, cpu, wall = timed(lambda c=context: pdf.render_pdf("pdf/registration_list.html", c))
        pages = pages_of(content)
        results[f"list{n}"] = cpu / pages
        results[f"list{n}total"] = cpu
        print(
            f"compiled list, {n:3d} units: {pages:3d} pages, {1000 * cpu / pages:6.1f} ms/page CPU "
            f"({1000 * wall / pages:.1f} wall), {cpu:.2f} s in all"
        )
    decision = world[40][1]
    content, cpu, wall = timed(lambda: pdf.render_pdf("pdf/decision.html", decision_context(decision)))
    print(f"decision of 40 units: {pages_of(content)} pages, {1000 * cpu:.0f} ms CPU ({1000 * wall:.0f} wall)")


def board_latency(client, url, seconds):
    """Median and 90th percentile of board GETs (ms, wall) over about `seconds`."""
    times, until = [], time.perf_counter() + seconds
    while time.perf_counter() < until or len(times) < 5:
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))], len(times)


def bench_worker(world, results):
    commune, decision = world[40][0], world[500][1]
    client = Client()
    client.force_login(world["clerk"])
    url = f"/dang-ky/bang/{commune.public_id}/?nam={YEAR}"
    client.get(url)
    idle = board_latency(client, url, 8)
    print(f"board of 40 units, idle: median {idle[0]:.0f} ms, p90 {idle[1]:.0f} ms ({idle[2]} GETs)")
    worker = subprocess.Popen(  # noqa: S603
        # As README says to run it: at a lower CPU priority than the web workers.
        [
            shutil.which("nice"),
            "-n",
            "10",
            sys.executable,
            str(ROOT / "manage.py"),
            "run_worker",
            "--interval",
            "0.5",
            "--no-reload",
        ],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        certificates = list(decision.certificates.valid().values_list("pk", flat=True))
        job = services.start_print_job(
            kind=print_jobs.CERTIFICATES,
            title="bench",
            filename="bench.pdf",
            params={"certificate_ids": certificates},
            total=len(certificates),
            user=world["chairman"],
        )
        started = time.perf_counter()
        while Job.objects.get(pk=job.pk).status == Job.Status.QUEUED and time.perf_counter() - started < 60:
            time.sleep(0.2)
        busy = board_latency(client, url, 8)
        results["board_idle"], results["board_busy"] = idle[0], busy[0]
        job.refresh_from_db()
        print(
            f"board of 40 units, while the worker prints 500 certificates ({job.done}/{job.total} done after): "
            f"median {busy[0]:.0f} ms, p90 {busy[1]:.0f} ms ({busy[2]} GETs) = {busy[0] / idle[0]:.2f}× idle"
        )
        while Job.objects.get(pk=job.pk).status in ("queued", "running") and time.perf_counter() - started < 240:
            time.sleep(0.5)
        job.refresh_from_db()
        print(f"worker: job {job.get_status_display()} after {time.perf_counter() - started:.1f} s wall")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main():
    only = set(sys.argv[1:]) or {"certificates", "office", "list", "worker"}
    started = time.perf_counter()
    world = setup()
    print(
        f"setup {time.perf_counter() - started:.1f} s; database {os.environ['DATABASE_URL'].split(':')[0]}; "
        f"WeasyPrint {__import__('weasyprint').__version__}, fontTools {__import__('fontTools').version}"
    )
    results = {}
    printing.render_certificates(list(Certificate.objects.for_printing()[:1]))  # warm-up: imports, fonts
    if "certificates" in only:
        bench_certificates(world, results)
    if "office" in only:
        bench_office(results)
    if "list" in only:
        bench_lists(world, results)
    if "worker" in only:
        bench_worker(world, results)
    print("\nratios (CPU of this process; LibreOffice is wall-clock of its own process)")
    ratio(results, "batch500", "floor", "500-batch certificate / engine floor page", "≤ 4")
    ratio(results, "batch500", "office200", "500-batch certificate / LibreOffice page (200-page .docx)", "≤ 1")
    ratio(results, "single", "batch500", "one PDF per certificate / 500-batch certificate", "≥ 8")
    ratio(results, "office1", "single", "LibreOffice one call / one certificate", "≥ 5")
    ratio(results, "list400", "office200", "list of 400 per page / LibreOffice page (200-page .docx)", "≤ 1")
    ratio(results, "list400", "officelistpage", "list of 400 per page / LibreOffice page of the same list", "≤ 1")
    ratio(results, "list400total", "officelist", "list of 400 whole / LibreOffice converting the same list", "≤ 1")
    ratio(results, "list400", "floor", "list of 400 per page / engine floor page", "")
    ratio(results, "board_busy", "board_idle", "board latency while the worker prints 500 / idle", "≤ 2")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB (target < 1024)")


def ratio(results, top, bottom, label, target):
    if top in results and bottom in results:
        print(f"  {label + ':':62s} {results[top] / results[bottom]:5.2f}×" + (f" (target {target})" if target else ""))


if __name__ == "__main__":
    main()
