"""The year-end rush against gunicorn and PostgreSQL on loopback, then the same rush with PostgreSQL restarted
mid-run, then counting in the database what the server acknowledged (issue 17 point 8).

The script runs its own PostgreSQL cluster (initdb into a temporary folder, port 55432; as the `postgres`
OS user when run as root), migrates and seeds 20 communes of Gia Lai with a set of villages per run, one
village head per village and a commune police clerk and a standing-office reviewer per commune, and starts
gunicorn (DEBUG off, the settings of the README's production section) and `manage.py run_worker`.

Each simulated user is a thread with its own account and its own client address (X-Forwarded-For, which
the portal reads through CLIENT_IP_HEADER). Village heads log in, open a draft registration with three
documents, add a fourth, submit it; once it is received they open a dossier, upload its three documents and
submit it (again after a return). Clerks receive (or return) what arrives on their board; reviewers start
the review and recommend or return. A user whose request failed opens the page again to see whether it was
saved before sending it again, as the 503 page asks. Every request's outcome and latency is recorded, and
every action the server acknowledged (a redirect to the saved object, a success message) is kept.

Afterwards, in the database: lost = acknowledged but missing; duplicated = more rows than actions (the same
file twice); half-written = a registration or dossier whose state has no audit row leading to it, a
document without its audit row or without its file. Files on disk without a row are counted apart: an
upload whose transaction rolled back leaves its file (harmless, see README «Backups»).

Run B restarts the cluster (`pg_ctl stop -m fast`, a pause, `pg_ctl start`) mid-run: requests must fail
cleanly (503 «Hệ thống đang bận», no hang beyond the timeout) and the portal recover by itself. Last, the
worker restart check: a print job is started, the run_worker killed while it runs, a new worker started.

Run: .venv/bin/python bench/load.py [--communes 20 --heads 8 --duration 150 --workers 4 ...]
Exits 1 when anything acknowledged is lost, duplicated or half-written.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DB_NAME = "ansinh_load"
PASSWORD = "thu-tai-cuoi-nam-2026"
# Kept between runs: compressing the static files takes a minute and a half here.
STATIC_ROOT = Path(tempfile.gettempdir()) / "ansinh-load-static"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
RETURN_REASON = "Biên bản họp thiếu chữ ký của Trưởng ban công tác Mặt trận; đề nghị bổ sung."
REG_RETURN_REASON = "Bản đăng ký chưa ghi số hộ đã ký cam kết; đề nghị bổ sung."
REG_DOCS = [
    ("doc_party_resolution", "nghi-quyet", "pdf"),
    ("doc_security_plan", "ke-hoach", "pdf"),
    ("doc_registration_form", "ban-dang-ky", "png"),
]
DOSSIER_DOCS = ["request", "report", "minutes"]
# How long the worker restart check waits for the interrupted print job to end.
JOB_WAIT = 30
# Seconds a person waits before retrying after an error (the busy page's Retry-After).
RETRY_AFTER = 5


# PostgreSQL of our own -------------------------------------------------------------------------------------


class Cluster:
    """A throwaway PostgreSQL cluster under `base`; never the system one on 5432."""

    def __init__(self, base: Path, port: int):
        self.data, self.socket_dir, self.log, self.port = base / "pg", base / "pg-socket", base / "pg.log", port
        # initdb refuses to run as root.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, program, *args):
        return subprocess.run(  # noqa: S603 - our own fixed arguments
            [*self.prefix, str(PG_BIN / program), *args], check=True, capture_output=True, text=True, timeout=120
        )

    def init(self):
        for folder in (self.data, self.socket_dir):
            folder.mkdir(parents=True)
            if self.prefix:
                shutil.chown(folder, "postgres", "postgres")
        if self.prefix:
            self.log.touch()
            shutil.chown(self.log, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        # Building the database needs no durability; the runs restart the cluster with the defaults (fsync on).
        self.start("-c fsync=off -c synchronous_commit=off")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", DB_NAME)

    def start(self, extra=""):
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c max_connections=100 {extra}"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-o", options, "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


# Files a phone would send -----------------------------------------------------------------------------------


def tiny_pdf(text: str) -> bytes:
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Times-Roman>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xee\xee\xee" * 48 for _ in range(64))
    header = struct.pack(">IIBBBBB", 48, 64, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def upload(name: str) -> tuple[str, bytes, str]:
    if name.endswith(".png"):
        return name, tiny_png(), "image/png"
    return name, tiny_pdf(name.removesuffix(".pdf")), "application/pdf"


# The simulated browser ---------------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []  # (kind, status, seconds, started at)
        self.acked = defaultdict(list)  # what the server said it saved
        self.sent = Counter()  # how many times each file was sent (a person re-sends what got no answer)

    def add(self, kind, status, seconds, started):
        with self.lock:
            self.requests.append((kind, status, seconds, started))

    def ack(self, what, *key):
        with self.lock:
            self.acked[what].append(key)

    def sending(self, *names):
        with self.lock:
            self.sent.update(names)


class Browser:
    """One person's browser: its cookies, its address behind the proxy, HTTPS as the proxy reports it."""

    def __init__(self, port, address, stats, timeout):
        self.port, self.address, self.stats, self.timeout = port, address, stats, timeout
        self.cookies = {}

    def request(self, kind, method, path, fields=None, files=()):
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1:{self.port}{path}",
            "User-Agent": "ansinh-load",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(fields or {})}
            if files:
                boundary = uuid.uuid4().hex
                body = multipart(boundary, fields, files)
                headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            else:
                body = urlencode(fields, doseq=True).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status, location = response.status, response.getheader("Location", "")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if "max-age=0" in cookie.lower() or not value or value == '""':
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        except TimeoutError:
            status, location, text = "timeout", "", ""
        except OSError:
            status, location, text = "connection", "", ""
        finally:
            conn.close()
        self.stats.add(kind, status, time.monotonic() - started, started)
        return status, location, text

    def post_and_follow(self, kind, path, fields=None, files=()):
        """POST, then open the page it redirects to, where the outcome message is: (status, location, page)."""
        status, location, text = self.request(kind, "POST", path, fields, files)
        if status == 302 and location.startswith("/"):
            _, _, text = self.request("page", "GET", location)
        return status, location, text


def multipart(boundary, fields, files) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def success(page: str) -> str:
    """The text of the page's success message, or ""."""
    found = re.search(r"alert alert-success[^>]*>\s*([^<]*)", page)
    return found.group(1).strip() if found else ""


class User(threading.Thread):
    def __init__(self, run, username, address, stop_at, start_after):
        super().__init__(daemon=True)
        self.run_ctx, self.username, self.stop_at, self.start_after = run, username, stop_at, start_after
        self.web = Browser(run.port, address, run.stats, run.timeout)
        self.rng = random.Random(username)
        # Most people signed in earlier that day; the others sign in through the form during the rush.
        session = run.plan["sessions"].get(username)
        if session and self.rng.random() >= run.args.form_logins:
            self.web.cookies["sessionid"] = session

    def alive(self):
        return time.monotonic() < self.stop_at

    def think(self, low=None, high=None):
        time.sleep(self.rng.uniform(low or self.run_ctx.think[0], high or self.run_ctx.think[1]))

    def failed(self):
        """After an error or no answer, wait as the busy page asks (and a little longer) before retrying."""
        self.think(RETRY_AFTER, RETRY_AFTER + self.run_ctx.think[1])

    def login(self):
        if "sessionid" in self.web.cookies:
            return True
        while self.alive():
            status, _, _ = self.web.request("page", "GET", "/dang-nhap/")
            if status == 200:
                status, _, _ = self.web.request(
                    "login", "POST", "/dang-nhap/", {"username": self.username, "password": PASSWORD}
                )
                if status == 302:
                    return True
            self.failed()
        return False

    def run(self):
        time.sleep(self.start_after)
        if self.login():
            try:
                self.work()
            except Exception as exc:  # a bench bug must show, not silently stop a user
                print(f"  {self.username}: {exc!r}", file=sys.stderr)


class VillageHead(User):
    def __init__(self, run, unit, *args):
        super().__init__(run, *args)
        self.unit, self.registration, self.dossier, self.serial = unit, None, None, 0

    def name(self, stem, ext="pdf"):
        self.serial += 1
        return f"{stem}-{self.username}-{self.serial}.{ext}"

    def work(self):
        self.create_registration()
        if not self.registration:
            return
        self.think()
        self.upload_registration_document()
        self.think()
        self.submit_registration("submit", "Nộp đăng ký")
        while self.alive():
            self.think()
            if self.dossier is None:
                self.try_dossier()
            else:
                self.follow_dossier()

    def create_registration(self):
        path = f"/dang-ky/don-vi/{self.unit['pid']}/dang-ky/"
        names = {field: self.name(stem, ext) for field, stem, ext in REG_DOCS}
        while self.alive():
            status, _, form = self.web.request("page", "GET", path)
            if status != 200:
                self.failed()
                continue
            # The documents this unit's kind files (a village files no security plan).
            files = [(field, upload(name)) for field, name in names.items() if f'name="{field}"' in form]
            fields = {"base_count": 120, "committed_count": 118, "note": "Đăng ký qua điện thoại."}
            fields.update({"models-TOTAL_FORMS": 1, "models-INITIAL_FORMS": 0, "models-MIN_NUM_FORMS": 0})
            fields.update({"models-MAX_NUM_FORMS": 1000, "models-0-name": "Tổ tự quản an ninh trật tự"})
            self.run_ctx.stats.sending(*(f[1][0] for f in files))
            status, location, text = self.web.request("registration_create", "POST", path, fields, files)
            found = re.fullmatch(rf"/dang-ky/({UUID})/", location or "")
            if status == 302 and found:
                self.registration = found.group(1)
                self.run_ctx.stats.ack("registration", self.unit["pid"], self.registration, *(f[1][0] for f in files))
                return
            if status == 200:
                print(f"  {self.username}: registration form refused: {form_errors(text)}", file=sys.stderr)
                return
            self.failed()
            # Was it saved before the error? The unit page leads to the registration if so.
            status, location, _ = self.web.request("page", "GET", f"/dang-ky/don-vi/{self.unit['pid']}/")
            found = re.fullmatch(rf"/dang-ky/({UUID})/", location or "")
            if status == 302 and found:
                self.registration = found.group(1)
                return

    def upload_registration_document(self):
        filename = self.name("phu-luc")
        detail = f"/dang-ky/{self.registration}/"
        while self.alive():
            self.run_ctx.stats.sending(filename)
            status, _, page = self.web.post_and_follow(
                "registration_upload",
                f"{detail}tai-len/",
                {"doc_type": "other"},
                [("files", upload(filename))],
            )
            if status == 302 and success(page).startswith("Đã tải lên"):
                self.run_ctx.stats.ack("registration_file", self.registration, filename)
                return
            self.failed()
            status, _, page = self.web.request("page", "GET", detail)
            if status == 200 and filename in page:
                return

    def submit_registration(self, action, label):
        detail = f"/dang-ky/{self.registration}/"
        while self.alive():
            status, _, page = self.web.post_and_follow("transition", f"{detail}thao-tac/{action}/")
            if status == 302 and success(page).startswith(label):
                self.run_ctx.stats.ack("transition", self.registration, action)
                return
            if status == 302:
                return  # refused with a message: already moved
            self.failed()

    def try_dossier(self):
        status, _, page = self.web.request("page", "GET", "/ho-so/")
        if status != 200:
            return
        if f'value="{self.unit["pk"]}"' not in page:
            # Not received yet, or returned: resubmit a returned registration.
            status, _, page = self.web.request("page", "GET", f"/dang-ky/{self.registration}/")
            if status == 200 and "/thao-tac/resubmit/" in page:
                self.submit_registration("resubmit", "Nộp lại")
            return
        status, location, _ = self.web.request("dossier_create", "POST", "/ho-so/lap-ho-so/", {"unit": self.unit["pk"]})
        found = re.fullmatch(rf"/ho-so/({UUID})/", location or "")
        if status == 302 and found:
            self.dossier = found.group(1)
            self.run_ctx.stats.ack("dossier", self.unit["pid"], self.dossier)
            for doc_type in DOSSIER_DOCS:
                self.think()
                self.upload_dossier_document(doc_type)
            self.think()
            self.submit_dossier()

    def upload_dossier_document(self, doc_type):
        filename = self.name(doc_type)
        detail = f"/ho-so/{self.dossier}/"
        while self.alive():
            self.run_ctx.stats.sending(filename)
            status, _, page = self.web.post_and_follow(
                "dossier_upload", f"{detail}tai-lieu/", {"doc_type": doc_type}, [("file", upload(filename))]
            )
            if status == 302 and success(page).startswith("Đã tải lên"):
                self.run_ctx.stats.ack("dossier_file", self.dossier, filename)
                return
            self.failed()
            status, _, page = self.web.request("page", "GET", detail)
            if status == 200 and filename in page:
                return

    def submit_dossier(self):
        detail = f"/ho-so/{self.dossier}/"
        while self.alive():
            status, _, page = self.web.post_and_follow("transition", f"{detail}thao-tac/", {"action": "submit"})
            if status == 302 and success(page).startswith("Hồ sơ của"):
                self.run_ctx.stats.ack("transition", self.dossier, "submit")
                return
            if status == 302:
                return
            self.failed()

    def follow_dossier(self):
        status, _, page = self.web.request("page", "GET", f"/ho-so/{self.dossier}/")
        if status == 200 and 'name="action" value="submit"' in page:
            self.upload_dossier_document("other")
            self.think()
            self.submit_dossier()


class Clerk(User):
    def __init__(self, run, commune, *args):
        super().__init__(run, *args)
        self.commune, self.returned = commune, set()

    def work(self):
        board = f"/dang-ky/bang/{self.commune['pid']}/"
        while self.alive():
            status, _, page = self.web.request("page", "GET", board)
            for registration in re.findall(rf'name="registration" value="({UUID})"', page if status == 200 else ""):
                if not self.alive():
                    return
                self.think(0.5, 1.5)
                action = "accept"
                if registration not in self.returned and self.rng.random() < 0.1:
                    action = "return"
                    self.returned.add(registration)
                path = f"/dang-ky/{registration}/thao-tac/{action}/"
                reason = {"reason": REG_RETURN_REASON} if action == "return" else {}
                status, _, result = self.web.post_and_follow("transition", path, reason)
                if status == 302 and success(result).startswith(("Tiếp nhận", "Trả lại")):
                    self.run_ctx.stats.ack("transition", registration, action)
            self.think()


class Reviewer(User):
    def work(self):
        while self.alive():
            status, _, page = self.web.request("page", "GET", "/ho-so/tham-dinh/")
            for dossier in dict.fromkeys(re.findall(rf"/ho-so/({UUID})/", page if status == 200 else "")):
                if not self.alive():
                    return
                self.think(0.5, 1.5)
                status, _, page = self.web.request("page", "GET", f"/ho-so/{dossier}/")
                if status != 200:
                    continue
                if 'value="start_review"' in page:
                    self.act(dossier, "start_review")
                elif 'value="recommend"' in page:
                    # Recommending is refused until the checklist is met; then the reviewer asks for more.
                    if self.rng.random() < 0.5 and self.act(dossier, "recommend"):
                        continue
                    self.act(dossier, "return", RETURN_REASON)
            self.think()

    def act(self, dossier, action, reason=""):
        fields = {"action": action, "reason": reason}
        status, _, page = self.web.post_and_follow("transition", f"/ho-so/{dossier}/thao-tac/", fields)
        if status == 302 and success(page).startswith("Hồ sơ của"):
            self.run_ctx.stats.ack("transition", dossier, action)
            return True
        return False


def form_errors(page: str) -> str:
    found = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*(?:<strong>)?([^<]+)', page)
    alerts = re.findall(r"alert alert-danger[^>]*>\s*([^<]*)", page)
    return "; ".join([*found, *alerts])[:300] or page[:200]


# One run ---------------------------------------------------------------------------------------------------


class Run:
    def __init__(self, name, plan, args, port):
        self.name, self.plan, self.args, self.port = name, plan, args, port
        self.stats, self.timeout, self.think = Stats(), args.timeout, (args.think_min, args.think_max)

    def users(self, stop_at):
        users, n = [], 0
        for i, commune in enumerate(self.plan["communes"]):
            people = [(Clerk, commune, commune["clerk"]), (Reviewer, None, commune["reviewer"])]
            people += [(VillageHead, unit, unit["head"]) for unit in commune["units"][self.name]]
            for cls, subject, username in people:
                n += 1
                # Addresses of the province's offices and phones, one each (10.<run>.<commune>.<n>).
                address = f"10.{1 if self.name == 'a' else 2}.{i}.{n % 250 + 1}"
                start_after = random.Random(username).uniform(0, self.args.ramp)
                args = (username, address, stop_at, start_after)
                users.append(cls(self, subject, *args) if subject is not None else cls(self, *args))
        return users

    def go(self, cluster=None):
        started = time.monotonic()
        stop_at = started + self.args.duration
        users = self.users(stop_at)
        probe = Probe(self.port, self.args.timeout, self.plan["sessions"][self.plan["probe"]], stop_at)
        probe.start()
        for user in users:
            user.start()
        outage = None
        if cluster is not None:
            time.sleep(self.args.outage_at)
            down = time.monotonic()
            print(f"  {down - started:.0f} s: PostgreSQL stop -m fast", flush=True)
            cluster.stop("fast")
            time.sleep(self.args.outage)
            cluster.start()
            up = time.monotonic()
            print(f"  {up - started:.0f} s: PostgreSQL started again (down {up - down:.1f} s)", flush=True)
            outage = (down, up)
        for user in users:
            user.join(timeout=max(0, stop_at - time.monotonic()) + self.args.timeout + 10)
        probe.join()
        return RunResult(self, users, probe, outage, started)


class Probe(threading.Thread):
    """A signed-in person reloading the home page (session, queues: the database) every 0.2 s."""

    def __init__(self, port, timeout, session, stop_at):
        super().__init__(daemon=True)
        self.web = Browser(port, "10.9.9.9", Stats(), timeout)
        self.web.cookies["sessionid"] = session
        self.stop_at, self.samples = stop_at, []

    def run(self):
        while time.monotonic() < self.stop_at:
            started = time.monotonic()
            status, _, page = self.web.request("probe", "GET", "/")
            self.samples.append((started, time.monotonic(), status, "Hệ thống đang bận" in page))
            time.sleep(0.2)


class RunResult:
    def __init__(self, run, users, probe, outage, started):
        self.run, self.users, self.probe, self.outage, self.started = run, users, probe, outage, started

    def report(self):
        stats = self.run.stats
        requests = stats.requests
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nRun {self.run.name.upper()}: {len(self.users)} users, {self.run.args.duration} s, load {load}")
        by_status = Counter(str(s) for _, s, _, _ in requests)
        errors = {s: n for s, n in by_status.items() if s not in ("200", "302")}
        print(
            f"  requests {len(requests)} ({len(requests) / self.run.args.duration:.1f}/s);"
            f" errors {sum(errors.values())} {dict(sorted(errors.items()))}"
        )
        kinds = sorted({k for k, _, _, _ in requests})
        print(f"  {'kind':<20}{'n':>6}{'err':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
        for kind in kinds:
            times = sorted(t for k, _, t, _ in requests if k == kind)
            err = sum(1 for k, s, _, _ in requests if k == kind and s not in (200, 302))
            print(
                f"  {kind:<20}{len(times):>6}{err:>6}"
                + "".join(f"{1000 * pct(times, p):>9.0f}" for p in (50, 95, 99, 100))
            )
        acked = {k: len(v) for k, v in stats.acked.items()}
        print(f"  acknowledged: {acked}")
        if self.outage:
            self.report_outage()

    def report_outage(self):
        down, up = self.outage
        requests = self.run.stats.requests

        def errors(rows):
            return f"{sum(1 for r in rows if r[1] not in (200, 302))} {dict(Counter(str(r[1]) for r in rows))}"

        print(f"  outage: database down {down - self.started:.1f}–{up - self.started:.1f} s after start")
        print(f"  requests started before it: {errors([r for r in requests if r[3] < down])}")
        during = [r for r in requests if down <= r[3] < up]
        slowest = max((r[2] for r in during), default=0)
        print(f"  requests started during it: {errors(during)}, slowest answer {slowest:.2f} s")
        after = [r for r in requests if r[3] >= up]
        print(f"  requests started after it: {errors(after)}")
        good = [r for r in after if r[1] in (200, 302)]
        if good:
            print(
                f"  recovery: the first request sent after the database was back succeeded "
                f"({min(r[3] for r in good) - up:.2f} s after)"
            )
        failed = [s for s in self.probe.samples if s[2] != 200]
        print(
            f"  probe (home page every 0.2 s): {len(failed)} failed {dict(Counter(str(s[2]) for s in failed))}, "
            f"{sum(1 for s in failed if s[3])} with the busy page"
        )


def pct(values, p):
    if not values:
        return 0
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# The Django side (child processes with the app's environment) ------------------------------------------------


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.settings")
    import django

    django.setup()


def seed(communes: int, heads: int, out: str):
    """20 communes of Gia Lai, `heads` villages per run and commune with their heads, a clerk and a reviewer
    per commune; the year opened with every step ahead. Written as the plan the threads follow."""
    django_setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from registrations import services
    from registrations.demo import set_demo_deadlines
    from units.divisions import import_divisions
    from units.models import Role, RoleAssignment, Unit, UnitKind

    import_divisions("Gia Lai")
    province = Unit.objects.get(code="52")
    village = UnitKind.objects.get(code="thon")
    password = make_password(PASSWORD)  # one hash for every account: hashing 400 costs minutes
    users = get_user_model().objects
    plan = {"communes": [], "sessions": {}}
    with transaction.atomic():
        year = services.open_year(province, timezone.localdate().year)
        set_demo_deadlines(year, timezone.localdate())

        def person(username, role, unit, full_name):
            user = users.create(username=username, first_name=full_name, password=password)
            RoleAssignment.objects.create(user=user, role=role, unit=unit)
            # Signed in earlier that day (what the login form would have stored).
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "ansinh.backends.AdminModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            plan["sessions"][username] = session.session_key
            return username

        plan["probe"] = person("tai.theodoi", Role.STEERING_OFFICE, province, "Người theo dõi")
        picked = Unit.objects.filter(parent=province, kind__category="commune").order_by("code")[:communes]
        for i, commune in enumerate(picked):
            commune.has_party_org = True
            commune.save()
            entry = {
                "pid": str(commune.public_id),
                "clerk": person(f"tai.congan.{i}", Role.POLICE_CLERK, commune, f"Cán bộ Công an {commune.name}"),
                "reviewer": person(f"tai.bcd.{i}", Role.STEERING_OFFICE, commune, f"Thường trực BCĐ {commune.name}"),
                "units": {},
            }
            for run in ("a", "b"):
                entry["units"][run] = []
                for j in range(heads):
                    unit = Unit.objects.create(
                        parent=commune,
                        name=f"Thôn Thử tải {run.upper()}{j + 1}",
                        kind=village,
                        **village.size_fields(120),
                        has_party_org=True,
                        head_name=f"Trưởng thôn {run.upper()}{j + 1}",
                    )
                    head = person(f"tai.{run}.{i}.{j}", Role.UNIT_HEAD, unit, f"Trưởng thôn {run.upper()}{j + 1}")
                    entry["units"][run].append({"pk": unit.pk, "pid": str(unit.public_id), "head": head})
            plan["communes"].append(entry)
    Path(out).write_text(json.dumps(plan))


def count(acked_file: str):
    """Lost, duplicated and half-written, from the acknowledged actions and the database."""
    django_setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.storage import default_storage
    from django.db.models import Count

    from ansinh.management.commands.check_files import files_on_disk, stored_names
    from ansinh.models import AuditEvent
    from dossiers.models import Dossier, DossierDocument
    from registrations.models import Registration, RegistrationDocument

    acked = json.loads(Path(acked_file).read_text())
    lost, duplicated, half = [], [], []
    regs = {str(r.public_id): r for r in Registration.objects.all()}
    dossiers = {str(d.public_id): d for d in Dossier.objects.all()}
    reg_files = Counter(
        (str(pid), name)
        for pid, name in RegistrationDocument.objects.values_list("registration__public_id", "original_name")
    )
    dossier_files = Counter(
        (str(pid), name) for pid, name in DossierDocument.objects.values_list("dossier__public_id", "original_name")
    )
    audit = defaultdict(list)
    for ct, object_id, action, to_state, reason in AuditEvent.objects.order_by("at", "pk").values_list(
        "content_type", "object_id", "action", "to_state", "reason"
    ):
        audit[(ct, object_id)].append((action, to_state, reason))
    reg_ct = ContentType.objects.get_for_model(Registration).pk
    dossier_ct = ContentType.objects.get_for_model(Dossier).pk
    doc_ct = ContentType.objects.get_for_model(DossierDocument).pk

    for _unit, pid, *names in acked.get("registration", []):
        if pid not in regs:
            lost.append(f"registration {pid}")
        lost += [f"registration file {n}" for n in names if reg_files[(pid, n)] == 0]
    for pid, name in acked.get("registration_file", []):
        if reg_files[(pid, name)] == 0:
            lost.append(f"registration file {name}")
    for _unit, pid in acked.get("dossier", []):
        if pid not in dossiers:
            lost.append(f"dossier {pid}")
    for pid, name in acked.get("dossier_file", []):
        if dossier_files[(pid, name)] == 0:
            lost.append(f"dossier file {name}")
    for pid, action in acked.get("transition", []):
        obj, ct = (regs[pid], reg_ct) if pid in regs else (dossiers.get(pid), dossier_ct)
        if obj is None or action not in {a for a, _, _ in audit[(ct, obj.pk)]}:
            lost.append(f"{action} of {pid}")

    # More copies than the file was sent is a duplicate; as many as it was sent is a person re-sending an
    # upload whose first attempt got no answer (the server had it queued): counted apart.
    sent, sent_again = acked.get("_sent", {}), []
    for (_, name), copies in [*reg_files.items(), *dossier_files.items()]:
        if copies > sent.get(name, 1):
            duplicated.append(f"file {name} stored {copies}× for {sent.get(name, 1)} sending(s)")
        elif copies > 1:
            sent_again.append(f"file {name} stored {copies}×, sent {sent[name]}×")
    duplicated += [
        f"unit {row['unit']} has {row['n']} registrations"
        for row in Registration.objects.values("unit", "year").annotate(n=Count("pk")).filter(n__gt=1)
    ]
    duplicated += [
        f"unit {row['unit']} has {row['n']} dossiers"
        for row in Dossier.objects.values("unit", "year").annotate(n=Count("pk")).filter(n__gt=1)
    ]

    for pid, reg in regs.items():
        events = audit[(reg_ct, reg.pk)]
        states = [s for _, s, _ in events if s]
        if not states or states[-1] != reg.status:
            half.append(f"registration {pid} is {reg.status}, its audit trail ends at {states[-1:]}")
    for pid, dossier in dossiers.items():
        states = [s for _, s, _ in audit[(dossier_ct, dossier.pk)] if s]
        if not states or states[-1] != dossier.status:
            half.append(f"dossier {pid} is {dossier.status}, its audit trail ends at {states[-1:]}")
    for doc in RegistrationDocument.objects.select_related("registration"):
        if not any(a == "upload" and r == doc.original_name for a, _, r in audit[(reg_ct, doc.registration_id)]):
            half.append(f"registration file {doc.original_name} without its audit row")
    for doc in DossierDocument.objects.all():
        if not any(a == "upload" for a, _, _ in audit[(doc_ct, doc.pk)]):
            half.append(f"dossier file {doc.original_name} without its audit row")
    names = stored_names()
    disk = files_on_disk(default_storage.location)
    half += [f"row without its file: {owners[0]} {name}" for name, owners in names.items() if name not in disk]
    orphans = sorted(disk - set(names))
    print(
        json.dumps(
            {
                "lost": lost,
                "duplicated": duplicated,
                "half": half,
                "orphans": orphans,
                "again": sent_again,
                "registrations": len(regs),
                "dossiers": len(dossiers),
                "files": sum(reg_files.values()) + sum(dossier_files.values()),
            }
        )
    )


def print_job(action: str, job_id: str = ""):
    """Start a print job (the registration list of the first bench commune) or say how it stands."""
    django_setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from ansinh.models import Job
    from certificates.jobs import REGISTRATION_LIST
    from certificates.services import start_print_job
    from registrations.models import Year
    from units.models import Unit

    if action == "start":
        clerk = get_user_model().objects.get(username="tai.congan.0")
        commune = Unit.objects.get(role_assignments__user=clerk)
        year = Year.objects.for_unit(commune, Year.objects.latest("number").number)
        with transaction.atomic():
            job = start_print_job(
                kind=REGISTRATION_LIST,
                title=f"Danh sách đăng ký {commune.name}",
                filename="danh-sach.pdf",
                params={"commune_id": commune.pk, "year_id": year.pk},
                total=1,
                user=clerk,
            )
        print(job.public_id)
    else:
        job = Job.objects.get(public_id=job_id)
        print(job.status)


# The whole bench -----------------------------------------------------------------------------------------


def manage(env, *args, **kwargs):
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603


def child(env, *args) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, __file__, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def collect_static(env):
    """collectstatic into STATIC_ROOT unless its manifest is newer than every file under static/."""
    manifest = STATIC_ROOT / "staticfiles.json"
    newest = max(p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file())
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        manage(env, "collectstatic", "--noinput", "--clear", stdout=subprocess.DEVNULL)


def free_port(preferred: int) -> int:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", preferred)) != 0:
            return preferred
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, seconds=60):
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise RuntimeError(f"nothing listens on {port}")


def start_worker(env, base):
    log = (base / "worker.log").open("a")
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.5", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def job_status(cluster, job) -> str:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=cluster.port, user="postgres", dbname=DB_NAME)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT status FROM certificates_printjob WHERE public_id = %s", [job])
            return cursor.fetchone()[0]
    finally:
        conn.close()


def worker_restart_check(env, base, cluster, worker):
    """Kill the worker while it prints, start another, and see whether the job ends."""
    job = child(env, "_print_job", "start")
    deadline, status = time.monotonic() + 60, "queued"
    while status == "queued" and time.monotonic() < deadline:
        status = job_status(cluster, job)
        time.sleep(0.05)
    print(f"\nWorker restart: the print job is {status} when the worker is killed (SIGKILL)")
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    worker = start_worker(env, base)
    started = time.monotonic()
    while status not in ("done", "failed") and time.monotonic() < started + JOB_WAIT:
        time.sleep(1)
        status = job_status(cluster, job)
    print(f"  {time.monotonic() - started:.0f} s after a new worker started: the job is {status}")
    return worker


def idle_restart_check(port, workers, cluster, session):
    """Restart PostgreSQL while nobody asks anything, then load pages: a worker that kept its connection
    from before must not answer its first request after the restart with an error."""

    def burst():
        stats = Stats()
        browsers = [Browser(port, "10.9.9.7", stats, 30) for _ in range(3 * workers)]
        for browser in browsers:
            browser.cookies["sessionid"] = session
        threads = [threading.Thread(target=b.request, args=("idle", "GET", "/")) for b in browsers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return Counter(str(status) for _, status, _, _ in stats.requests)

    burst()
    cluster.stop("fast")
    cluster.start()
    time.sleep(1)
    after = burst()
    print(f"\nRestart while idle, then {sum(after.values())} pages at once: {dict(after)}")
    return after


def warm_up(port, workers):
    """Wait until the workers have loaded the app: a burst of login pages all answer quickly."""
    stats = Stats()
    for _ in range(30):
        threads = [
            threading.Thread(target=Browser(port, "10.9.9.8", stats, 30).request, args=("warm", "GET", "/dang-nhap/"))
            for _ in range(3 * workers)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        burst, stats.requests = stats.requests, []
        if all(status == 200 and seconds < 1 for _, status, seconds, _ in burst):
            return
    raise RuntimeError("gunicorn does not answer")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--heads", type=int, default=8, help="village heads per commune and run (+ clerk, reviewer)")
    parser.add_argument("--duration", type=int, default=150, help="seconds of each run")
    parser.add_argument("--ramp", type=float, default=60, help="seconds over which users arrive")
    parser.add_argument("--think-min", type=float, default=5.0, help="seconds a person pauses between actions")
    parser.add_argument("--think-max", type=float, default=15.0)
    parser.add_argument("--timeout", type=float, default=30, help="client timeout per request (s)")
    parser.add_argument(
        "--form-logins", type=float, default=0.25, help="share of users who sign in through the form (others earlier)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--outage-at", type=float, default=80, help="seconds into run B when PostgreSQL stops")
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL stays down")
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument("--only", choices=["a", "b"], help="one run only")
    parser.add_argument("--no-worker-check", action="store_true")
    parser.add_argument("--no-health-checks", action="store_true", help="CONN_HEALTH_CHECKS=False, to compare")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database)")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="ansinh-load-"))
    base.chmod(0o755)
    cluster = Cluster(base, free_port(args.pg_port))
    port = free_port(args.port)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ansinh.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{cluster.port}/{DB_NAME}",
        "DEBUG": "False",
        "SECRET_KEY": "load-bench-only-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
        "TRUSTED_PROXY_COUNT": "1",
        "PRIVATE_MEDIA_ROOT": str(base / "private"),
        "STATIC_ROOT": str(STATIC_ROOT),
        "CACHE_URL": f"filecache://{base / 'cache'}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "PRINT_LIST_INLINE_LIMIT": "1",
        "LOG_LEVEL": "WARNING",
        "CONN_HEALTH_CHECKS": str(not args.no_health_checks),
    }
    processes = []
    t0 = time.monotonic()
    try:
        print(f"Folder {base}; PostgreSQL on {cluster.port}, gunicorn on {port} ({args.workers} workers)", flush=True)
        cluster.init()
        print(f"  cluster {time.monotonic() - t0:.0f} s", flush=True)
        manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
        print(f"  migrate {time.monotonic() - t0:.0f} s", flush=True)
        collect_static(env)
        print(f"  static files {time.monotonic() - t0:.0f} s", flush=True)
        plan_file = base / "plan.json"
        child(env, "_seed", str(args.communes), str(args.heads), str(plan_file))
        cluster.stop()
        cluster.start()
        plan = json.loads(plan_file.read_text())
        print(
            f"Ready in {time.monotonic() - t0:.0f} s: {args.communes} communes, "
            f"{args.communes * (args.heads + 2)} users per run",
            flush=True,
        )
        web_log = (base / "gunicorn.log").open("a")
        gunicorn = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ansinh.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=web_log,
            stderr=subprocess.STDOUT,
        )
        processes.append(gunicorn)
        worker = start_worker(env, base)
        processes.append(worker)
        wait_for(port)
        warm_up(port, args.workers)

        # Run B counts the whole database, run A's files included: how often each file was sent, both runs.
        failed, sent = False, Counter()
        for name in ("a", "b"):
            if args.only and args.only != name:
                continue
            print(f"\nRun {name.upper()}{' (PostgreSQL restarted mid-run)' if name == 'b' else ''}", flush=True)
            result = Run(name, plan, args, port).go(cluster if name == "b" else None)
            result.report()
            acked_file = base / f"acked-{name}.json"
            sent.update(result.run.stats.sent)
            acked_file.write_text(json.dumps({**result.run.stats.acked, "_sent": sent}))
            counted = json.loads(child(env, "_count", str(acked_file)))
            print(
                f"  in the database: {counted['registrations']} registrations, {counted['dossiers']} dossiers, "
                f"{counted['files']} files"
            )
            for key, label in (("lost", "lost"), ("duplicated", "duplicated"), ("half", "half-written")):
                print(f"  {label}: {len(counted[key])}" + "".join(f"\n    {x}" for x in counted[key][:10]))
                failed = failed or bool(counted[key])
            print(f"  orphan files (upload rolled back, harmless): {len(counted['orphans'])}")
            again = counted["again"]
            print(f"  files stored twice because the person re-sent an upload that got no answer: {len(again)}")
            if processes[-1].poll() is not None:
                print(f"  run_worker: exited (code {processes[-1].returncode}) during the run; started again")
                processes[-1] = start_worker(env, base)
            else:
                print("  run_worker: still running")

        if not args.only or args.only == "b":
            idle_restart_check(port, args.workers, cluster, plan["sessions"][plan["probe"]])
        if not args.no_worker_check:
            processes[-1] = worker_restart_check(env, base, cluster, processes[-1])
        print(f"\nWhole bench: {time.monotonic() - t0:.0f} s")
        return 1 if failed else 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop("immediate")
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_seed":
        seed(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) > 1 and sys.argv[1] == "_count":
        count(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "_print_job":
        print_job(*sys.argv[2:])
    else:
        sys.exit(main())
