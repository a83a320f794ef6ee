"""Login throttling (django-axes) on every login form, keyed on the account and the client's address as
the proxy reports it; a lockout says so in Vietnamese and alerts the administrators."""

import logging

import pytest
from django.urls import reverse

from tests.factories import UserFactory

LOCKED = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút, hoặc liên hệ quản trị để được mở khóa."


@pytest.fixture
def behind_proxy(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1


def attempt(client, url, username, password, address="127.0.0.1"):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address
    )


def test_admin_login_refuses_the_right_password_after_five_failures(client, behind_proxy, province_admin):
    province_admin.is_staff = True
    province_admin.save()
    url = reverse("admin:login")
    for _ in range(8):
        attempt(client, url, province_admin.username, "sai", "203.0.113.9")
    response = attempt(client, url, province_admin.username, "ansinh-test", "203.0.113.9")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_portal_login_refuses_the_right_password_after_five_failures(client, behind_proxy, clerk):
    for _ in range(5):
        attempt(client, reverse("login"), clerk.username, "sai", "203.0.113.9")
    response = attempt(client, reverse("login"), clerk.username, "ansinh-test", "203.0.113.9")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_stranger_behind_the_same_proxy_cannot_lock_the_chairman_out(client, behind_proxy, chairman):
    for _ in range(8):
        attempt(client, reverse("login"), chairman.username, "sai", "203.0.113.9")
    response = attempt(client, reverse("login"), chairman.username, "ansinh-test", "198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(chairman.pk)


def test_a_forged_forwarded_header_does_not_escape_the_count(client, behind_proxy, clerk):
    # The client writes its own X-Forwarded-For; the proxy appends the real address on the right.
    for n in range(5):
        attempt(client, reverse("login"), clerk.username, "sai", f"10.0.0.{n}, 203.0.113.9")
    response = attempt(client, reverse("login"), clerk.username, "ansinh-test", "10.9.9.9, 203.0.113.9")
    assert response.status_code == 429


def test_guessing_across_many_accounts_from_one_address_is_refused(client, behind_proxy, settings, clerk):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 12
    for n in range(12):
        attempt(client, reverse("login"), f"khong-co-{n}", "sai", "203.0.113.9")
    response = attempt(client, reverse("login"), clerk.username, "ansinh-test", "203.0.113.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_logged_and_mailed_to_the_administrators(
    client, behind_proxy, settings, clerk, caplog, mailoutbox
):
    settings.ADMINS = [("Quản trị", "quantri@example.vn")]
    with caplog.at_level(logging.WARNING, logger="ansinh.security"):
        for _ in range(5):
            attempt(client, reverse("login"), clerk.username, "sai", "203.0.113.9")
    assert [r.getMessage() for r in caplog.records if r.name == "ansinh.security"] == [
        "Login locked out: account 'congan.konggang' from 203.0.113.9"
    ]
    assert [m.to for m in mailoutbox] == [["quantri@example.vn"]]
    assert "congan.konggang" in mailoutbox[0].body


def test_a_successful_login_clears_the_failures(client, behind_proxy, clerk):
    for _ in range(4):
        attempt(client, reverse("login"), clerk.username, "sai", "203.0.113.9")
    assert attempt(client, reverse("login"), clerk.username, "ansinh-test", "203.0.113.9").status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, reverse("login"), clerk.username, "sai", "203.0.113.9")
    assert attempt(client, reverse("login"), clerk.username, "ansinh-test", "203.0.113.9").status_code == 302


def test_without_a_proxy_header_the_direct_address_counts(client, db):
    UserFactory(username="mot")
    for _ in range(5):
        client.post(reverse("login"), {"username": "mot", "password": "sai"}, REMOTE_ADDR="198.51.100.1")
    response = client.post(reverse("login"), {"username": "mot", "password": "ansinh-test"}, REMOTE_ADDR="198.51.100.2")
    assert response.status_code == 302


def test_logging_in_without_a_form_still_works_for_tests_and_shells(client, clerk):
    assert client.login(username=clerk.username, password="ansinh-test") is True
