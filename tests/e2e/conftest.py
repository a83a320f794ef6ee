"""Browser fixtures: one headless Debian chromium per session, a fresh context per test, and a login helper.

Tests here drive the live server through Playwright's sync API, which keeps an event loop running in the
main thread; Django refuses ORM calls under a running loop unless told the caller is synchronous.
"""

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); browser tests need it.")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    """A desktop browser tab (the clerk's office computer)."""
    context, tab = _page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield tab
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized tab with touch (the village head's phone)."""
    context, tab = _page(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    yield tab
    context.close()


def login(page, username, password=PASSWORD):
    """Sign in through the login form and wait for the home page."""
    from playwright.sync_api import expect

    page.goto("/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()
