"""Browser fixtures: one headless Debian chromium for the e2e package, a context per test, a login helper.

Playwright's sync API keeps an asyncio loop running in the main thread while the browser is open. Django
then (a) refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set and (b) hands out a separate,
context-local database connection, which lacks the serialized migration data (unit kinds, deadline
defaults, criteria) that serialized rollback restores after each flush. The `browser` fixture deals with
both for the e2e package only, so nothing leaks into other tests or the subprocesses they start.
"""

import os
import struct
import zlib
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "ansinh-test"
# Auto-waiting covers page loads; a step that takes longer than this is a bug worth failing on.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def browser(django_db_setup, django_db_blocker):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); browser tests need it.")
    expect.set_options(timeout=TIMEOUT_MS)
    serialized = {c.alias: getattr(c, "_test_serialized_contents", None) for c in connections.all()}
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            for alias, contents in serialized.items():
                if contents is not None:
                    connections[alias]._test_serialized_contents = contents
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
            # Close the loop-context connections now: a PostgreSQL test database cannot be dropped while
            # they are open, and once the loop stops Django can no longer see them.
            connections.close_all()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def new_page(request, browser, live_server, tmp_path):
    """Opens a tab in a fresh browser context (its own cookies: one person each); closed after the test.
    When the test fails, each tab's screenshot and HTML are kept in the test's tmp_path."""
    contexts = []

    def open_tab(device=DESKTOP):
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", **device)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    if getattr(request.node, "e2e_failed", False):
        for n, tab in enumerate(tab for context in contexts for tab in context.pages):
            tab.screenshot(path=tmp_path / f"tab{n}.png", full_page=True)
            (tmp_path / f"tab{n}.html").write_text(tab.content())
        print(f"Screenshots and HTML of the open tabs: {tmp_path}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop tab (the clerk's office computer)."""
    return new_page(DESKTOP)


@pytest.fixture
def phone_page(new_page):
    """A phone-sized tab with touch (the village head's phone)."""
    return new_page(PHONE)


def tiny_png() -> bytes:
    """A valid 1×1 PNG: enough for the upload check, which reads the content, not the name."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def login(page, username, password=PASSWORD):
    """Sign in through the login form and wait for the home page."""
    page.goto("/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()
