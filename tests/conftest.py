"""Shared fixtures: a province with two communes, their villages and units, and a person per role.

The suite runs on pytest-xdist (`-n auto` in pyproject.toml): each worker has its own test database
(test_<name>_gw0, ...), so module fixtures such as `demo_province` are built on each worker that runs the
module (on SQLite the demo itself is seeded once per worker). `-n0` runs the suite in one process.

Hypothesis: the "suite" profile below, loaded unless HYPOTHESIS_PROFILE names another, tries 15 examples
per property (Hypothesis' default is 100): each example of the form properties is a whole request, and 15
keep the suite within its time budget. HYPOTHESIS_PROFILE=thorough tries 200, for a deeper search after
changing a form.
"""

import os

import pytest
from django.conf import settings as django_settings
from hypothesis import settings as hypothesis_settings

from tests.factories import Role, UnitFactory, kind, person

hypothesis_settings.register_profile("suite", max_examples=15)
hypothesis_settings.register_profile("thorough", max_examples=200)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Accounts are created and signed in all the time in tests; the production hasher costs ~0.3 s each.
    Session-wide, so that module fixtures (the seeded demo's nine accounts) use it too."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_media(request, settings, tmp_path):
    """Private files in the test's own folder; TEST_PRIVATE_STORAGE=s3 runs every test against a bucket on
    moto's S3 server instead."""
    if os.environ.get("TEST_PRIVATE_STORAGE") == "s3":
        request.getfixturevalue("private_files_in_s3")
        return
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture(autouse=True)
def _demo_signing_key(settings, tmp_path):
    """Decisions are signed only where a test asks for it; seed_demo makes its test key here, not in var/."""
    settings.SIGNING_DEMO_PKCS12 = tmp_path / "signing" / "demo.p12"
    settings.DECISION_SIGNERS = {"default": {"pkcs12": str(settings.SIGNING_DEMO_PKCS12), "passphrase": "ansinh-demo"}}


@pytest.fixture
def province(db):
    return UnitFactory(name="Tỉnh Gia Lai", kind=kind("tinh"), code="52", households=None)


@pytest.fixture
def kon_gang(province):
    return UnitFactory(
        name="Xã Kon Gang",
        kind=kind("xa"),
        parent=province,
        code="23701",
        has_party_org=True,
        households=None,
        staff=25,
    )


@pytest.fixture
def dak_doa(province):
    return UnitFactory(
        name="Xã Đak Đoa", kind=kind("xa"), parent=province, code="23677", has_party_org=True, households=None, staff=30
    )


@pytest.fixture
def village(kon_gang):
    return UnitFactory(
        name="Làng Kon Gang Tơ Pơng", kind=kind("lang"), parent=kon_gang, households=142, has_party_org=True
    )


@pytest.fixture
def other_village(kon_gang):
    return UnitFactory(name="Thôn Hà Lòng", kind=kind("thon"), parent=kon_gang, households=96)


@pytest.fixture
def dak_doa_village(dak_doa):
    return UnitFactory(name="Thôn 1 Đak Đoa", kind=kind("thon"), parent=dak_doa, households=210)


@pytest.fixture
def clerk(kon_gang):
    return person(Role.POLICE_CLERK, kon_gang, "congan.konggang")


@pytest.fixture
def outsider_clerk(dak_doa):
    return person(Role.POLICE_CLERK, dak_doa, "congan.dakdoa")


@pytest.fixture
def village_head(village):
    return person(Role.UNIT_HEAD, village, "truongthon.konggang")


@pytest.fixture
def steering_office(kon_gang):
    return person(Role.STEERING_OFFICE, kon_gang, "bcd.konggang")


@pytest.fixture
def chairman(kon_gang):
    return person(Role.CHAIRMAN, kon_gang, "chutich.konggang", title="Chủ tịch")


@pytest.fixture
def records_clerk(kon_gang):
    return person(Role.RECORDS_CLERK, kon_gang, "vanthu.konggang")


@pytest.fixture
def province_admin(province):
    return person(Role.ADMIN, province, "quantri")


@pytest.fixture
def province_steering_office(province):
    return person(Role.STEERING_OFFICE, province, "bcd.gialai")


@pytest.fixture
def province_chairman(province):
    return person(Role.CHAIRMAN, province, "chutich.gialai", title="Chủ tịch")


def _demo_storages(files):
    return {
        **django_settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": files}},
    }


@pytest.fixture(scope="session")
def _demo_images(django_db_setup, django_db_blocker, tmp_path_factory):
    """SQLite only: the test database before and after seed_demo, as in-memory copies made once per worker
    (seeding costs seconds; SQLite's backup API copies the pages back in milliseconds)."""
    import io
    import sqlite3

    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    files = tmp_path_factory.mktemp("demo-files")
    with django_db_blocker.unblock(), override_settings(STORAGES=_demo_storages(files)):
        connection.ensure_connection()
        clean, seeded = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
        connection.connection.backup(clean)
        call_command("seed_demo", force=True, stdout=io.StringIO())
        connection.connection.backup(seeded)
        clean.backup(connection.connection)
    return files, clean, seeded


@pytest.fixture(scope="module")
def demo_province(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo province (seed_demo) loaded once for a module whose tests only read it; each test runs in
    its own savepoint. On SQLite the database is swapped for a copy seeded once per worker and swapped back
    after the module; elsewhere the demo is seeded in a transaction rolled back after the module.

    Yields the folder of the demo's uploaded files; a test that opens them points storage there."""
    import io

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import override_settings

    if connection.vendor == "sqlite":
        files, clean, seeded = request.getfixturevalue("_demo_images")
        with django_db_blocker.unblock(), override_settings(STORAGES=_demo_storages(files)):
            connection.ensure_connection()
            seeded.backup(connection.connection)
            try:
                yield files
            finally:
                clean.backup(connection.connection)
        return
    files = tmp_path_factory.mktemp("demo-files")
    with django_db_blocker.unblock(), override_settings(STORAGES=_demo_storages(files)), transaction.atomic():
        call_command("seed_demo", force=True, stdout=io.StringIO())
        yield files
        transaction.set_rollback(True)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on a free loopback port, for the whole run: an S3-compatible object store that
    the portal, and app processes started by a test, reach over HTTP like a real one."""
    moto_server = pytest.importorskip("moto.server", reason="moto[server] is a test dependency")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


S3_TEST_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "ansinh-test",
    "AWS_SECRET_ACCESS_KEY": "ansinh-test",
    "AWS_S3_REGION_NAME": "us-east-1",
}


@pytest.fixture
def s3_bucket(s3_endpoint, monkeypatch):
    """A fresh, empty bucket on the moto server; returns (boto3 client, bucket name)."""
    import uuid

    import boto3

    for name, value in S3_TEST_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    bucket = f"ansinh-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=bucket)
    return client, bucket


@pytest.fixture
def private_files_in_s3(settings, s3_endpoint, s3_bucket):
    """The portal's private storage is the bucket, configured as settings would for AWS_STORAGE_BUCKET_NAME."""
    from ansinh import storage

    client, bucket = s3_bucket
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage.s3_bucket(bucket, endpoint_url=s3_endpoint, region_name="us-east-1"),
    }
    return client, bucket
