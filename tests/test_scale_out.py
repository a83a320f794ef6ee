"""Scale-out: two app hosts (two gunicorn processes, each with its own memory) behind one balancer share one
database (PostgreSQL when the suite runs on it), one object store (moto's S3 server) and one Redis holding
the cache and the sessions. What one host stores, the other lists and serves; a session opened on one is
valid on the other.

Skips when Redis does not answer on 127.0.0.1:6379 or moto/requests are not installed."""

import os
import re
import signal
import socket
import subprocess  # noqa: S404 - our own manage.py and gunicorn, fixed arguments
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import S3_TEST_CREDENTIALS, free_port
from tests.registrations.conftest import PDF, png_bytes

ROOT = Path(__file__).resolve().parent.parent
REDIS = ("127.0.0.1", 6379)
PASSWORD = "ansinh-test"  # tests.factories.UserFactory
# Not a timing claim: how long a host may take to import Django and bind before the test gives up.
START_BUDGET_SECONDS = 120

pytestmark = pytest.mark.scaleout

SETUP = """
from registrations import services
from tests.factories import Role, UnitFactory, kind, person
from django.utils import timezone

province = UnitFactory(name="Tỉnh Gia Lai", kind=kind("tinh"), code="52", households=None)
commune = UnitFactory(name="Xã Kon Gang", kind=kind("xa"), parent=province, code="23701", households=None)
village = UnitFactory(name="Làng Kon Gang Tơ Pơng", kind=kind("lang"), parent=commune, households=142)
head = person(Role.UNIT_HEAD, village, "truongthon.konggang")
person(Role.POLICE_CLERK, commune, "congan.konggang")
year = services.open_year(province, services.current_year_number())
registration = services.start_registration(
    unit=village, year=year, user=head, registered_on=timezone.localdate(), base_count=142, committed_count=142
)
print(registration.public_id)
"""


def answers(address) -> bool:
    try:
        socket.create_connection(address, 1).close()
    except OSError:
        return False
    return True


def manage(env, *args) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def start_host(env, port, log):
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "ansinh.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_serving(requests, url, process, log_path):
    deadline = time.monotonic() + START_BUDGET_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"host {url} exited:\n{log_path.read_text()}")
        try:
            if requests.get(f"{url}/dang-nhap/", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    pytest.fail(f"host {url} did not start:\n{log_path.read_text()}")


@pytest.fixture
def shared_database(tmp_path):
    """The hosts' one database: a fresh PostgreSQL database beside the suite's when the suite runs on
    PostgreSQL, else one SQLite file both processes open."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    import psycopg2

    name = f"test_scaleout_{uuid.uuid4().hex[:12]}"
    # The suite's own database need not exist (pytest-django works in test_<name>); the server's does.
    server = psycopg2.connect(urlsplit(url)._replace(path="/postgres").geturl())
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


@pytest.fixture
def two_hosts(tmp_path, shared_database, s3_endpoint, s3_bucket):
    if not answers(REDIS):
        pytest.skip(f"no Redis at {REDIS[0]}:{REDIS[1]}")
    redis = pytest.importorskip("redis")
    requests = pytest.importorskip("requests")
    s3, bucket = s3_bucket
    prefix = f"ansinh-test-{uuid.uuid4().hex[:12]}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REPLICA_DATABASE_URL", "CACHE_URL", "SESSION_STORE", "AWS_LOCATION"}
    }
    env.update(
        S3_TEST_CREDENTIALS,
        DEBUG="True",
        TESTING="True",
        DATABASE_URL=shared_database,
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        CACHE_URL=f"redis://{REDIS[0]}:{REDIS[1]}/0?key_prefix={prefix}",
        SESSION_STORE="cache",
        # Nothing may be written here: a file kept on one host's disk is what this test must not see.
        PRIVATE_MEDIA_ROOT=str(tmp_path / "local-disk"),
    )
    manage(env, "migrate", "--noinput", "-v0")
    registration_id = manage(env, "shell", "-c", SETUP).strip().splitlines()[-1]
    hosts = []
    try:
        for name in ("a", "b"):
            port, log_path = free_port(), tmp_path / f"host-{name}.log"
            with log_path.open("w") as log:
                hosts.append((f"http://127.0.0.1:{port}", start_host(env, port, log), log_path))
        for url, process, log_path in hosts:
            wait_until_serving(requests, url, process, log_path)
        yield requests, [url for url, _, _ in hosts], registration_id, tmp_path / "local-disk", (s3, bucket)
    finally:
        for _, process, _ in hosts:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        client = redis.Redis(host=REDIS[0], port=REDIS[1], db=0)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def signed_in(requests, host, username):
    session = requests.Session()
    session.get(f"{host}/dang-nhap/")
    answer = session.post(
        f"{host}/dang-nhap/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
    )
    assert answer.status_code == 200
    assert "/dang-nhap/" not in answer.url, "login refused"
    return session


def upload(session, host, registration_id, name, content, kind):
    answer = session.post(
        f"{host}/dang-ky/{registration_id}/tai-len/",
        data={"doc_type": "registration_form", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        files={"files": (name, content, kind)},
    )
    assert "Đã tải lên 1 tệp." in answer.text


def listed(session, host, registration_id) -> dict[str, str]:
    """{file name shown: its download link} on the registration's page."""
    page = session.get(f"{host}/dang-ky/{registration_id}/").text
    return {name: link for link, name in re.findall(r'<a href="(/dang-ky/tai-lieu/[0-9a-f-]+/)">([^<]+)</a>', page)}


def test_two_hosts_see_each_others_uploads_and_sessions(two_hosts):
    requests, (host_a, host_b), registration_id, local_disk, (s3, bucket) = two_hosts
    head_on_a = signed_in(requests, host_a, "truongthon.konggang")
    upload(head_on_a, host_a, registration_id, "nghi-quyet.pdf", PDF, "application/pdf")

    clerk_on_b = signed_in(requests, host_b, "congan.konggang")
    documents = listed(clerk_on_b, host_b, registration_id)
    assert list(documents) == ["nghi-quyet.pdf"]
    assert clerk_on_b.get(host_b + documents["nghi-quyet.pdf"]).content == PDF

    # And back: what B stores, A serves.
    upload(clerk_on_b, host_b, registration_id, "trang-1.png", png_bytes(), "image/png")
    documents = listed(head_on_a, host_a, registration_id)
    assert sorted(documents) == ["nghi-quyet.pdf", "trang-1.png"]
    assert head_on_a.get(host_a + documents["trang-1.png"]).content == png_bytes()

    # The balancer may send the next request of a session to the other host: the session is shared.
    head_on_b = requests.Session()
    head_on_b.cookies.set("sessionid", head_on_a.cookies["sessionid"])
    assert sorted(listed(head_on_b, host_b, registration_id)) == ["nghi-quyet.pdf", "trang-1.png"]

    assert len(s3.list_objects_v2(Bucket=bucket)["Contents"]) == 2
    assert not any(local_disk.rglob("*")), "a host kept a file on its own disk"
    stranger = requests.get(host_b + documents["trang-1.png"], allow_redirects=False)
    assert stranger.status_code == 302
    assert stranger.headers["Location"].startswith("/dang-nhap/")
