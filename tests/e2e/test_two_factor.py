"""A chairman turns on two-factor login from the account menu in a real browser (the QR code loads under
the page's Content-Security-Policy), then logs in with the password and the app's code."""

import base64
import time

import pytest
from playwright.sync_api import expect

from tests.ansinh.test_two_factor import totp
from tests.e2e.conftest import PASSWORD, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_chairman_turns_on_two_factor_login_and_logs_in_with_the_code(page, chairman):
    login(page, chairman.username)
    page.get_by_role("button", name=chairman.get_full_name() or chairman.username).click()
    page.get_by_role("link", name="Xác thực hai bước").click()
    page.get_by_role("button", name="Bật xác thực hai bước").click()

    expect(page.get_by_role("img", name="Mã QR để thêm tài khoản vào ứng dụng xác thực")).to_be_visible()
    # The QR image really loaded under the CSP (a blocked image has no natural width). Read through
    # evaluate: wait_for_function's string predicate is itself an eval, which that CSP refuses.
    qr = page.locator("img.qr-otp")
    for _ in range(50):
        if qr.evaluate("img => img.complete ? img.naturalWidth : 0") > 100:
            break
        page.wait_for_timeout(100)
    assert qr.evaluate("img => img.naturalWidth") > 100
    secret = base64.b32decode(page.locator("#khoa-bi-mat").inner_text().replace(" ", ""))
    page.get_by_label("Mã xác thực").fill(totp(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.get_by_text("Đã bật xác thực hai bước.")).to_be_visible()
    expect(page.locator("#ma-du-phong li")).to_have_count(10)

    page.get_by_role("button", name=chairman.get_full_name() or chairman.username).click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.locator("input[name=username]").fill(chairman.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    # The code of the next 30-second step: the one used to turn it on is spent.
    page.get_by_label("Mã xác thực").fill(totp(secret, time.time() + 30))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()
