"""Two-factor login for chairmen and administrators: turning it on from the account menu with a QR code,
the code asked after the password (on the portal's login and the admin's), wrong codes refused in
Vietnamese and counted like wrong passwords, the mandatory setting, turning it off with a code, and the
administrator's audited reset.

The codes are computed here from the secret the page shows, with RFC 6238's own arithmetic."""

import base64
import datetime
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ansinh.models import AuditEvent
from tests.factories import Role, UnitFactory, kind, person

WRONG = "Mã xác thực không đúng hoặc đã hết hạn."
LOCKED = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút"
PAGE = "/tai-khoan/xac-thuc-hai-buoc/"
CODE_PAGE = "/dang-nhap/ma-xac-thuc/"
# 20 bytes, as the devices django-otp makes; base32 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".
KEY = b"12345678901234567890"


def totp(secret: bytes, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def turned_on(user, key=KEY):
    """The person has an authenticator app with `key` (set up as the pages do, without the clicks)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Ứng dụng", key=key.hex(), confirmed=True)


def password(client, user, url=None, **extra):
    return client.post(url or reverse("login"), {"username": user.username, "password": "ansinh-test", **extra})


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def clock():
    with freeze_time("2026-03-02 09:00:00") as frozen:
        yield frozen


def next_step(clock):
    """The next 30-second step: a code is good once, the following one is new."""
    clock.tick(datetime.timedelta(seconds=30))


def test_a_chairman_turns_it_on_from_the_account_menu(client, chairman, clock):
    client.force_login(chairman)
    assert f'href="{PAGE}"' in client.get("/").content.decode()
    page = client.get(PAGE).content.decode()
    assert "Bật xác thực hai bước" in page

    client.post(reverse("two_factor_start"))
    page = client.get(PAGE).content.decode()
    assert 'src="/tai-khoan/xac-thuc-hai-buoc/ma-qr.svg"' in page
    secret = base64.b32decode(re.search(r'id="khoa-bi-mat">([A-Z2-7 ]+)<', page).group(1).replace(" ", ""))
    qr = client.get(reverse("two_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    assert b"<script" not in qr.content
    assert b"style" not in qr.content

    refused = client.post(reverse("two_factor_confirm"), {"code": "000000"}, follow=True).content.decode()
    assert WRONG in refused
    assert "Đang bật" not in refused

    next_step(clock)
    done = client.post(reverse("two_factor_confirm"), {"code": totp(secret)}, follow=True).content.decode()
    assert "Đã bật xác thực hai bước." in done
    assert "Đang bật từ 02/03/2026" in done
    backup_codes = re.findall(r'<li class="list-inline-item me-3">(\w+)</li>', done)
    assert len(backup_codes) == 10
    assert "Mã dự phòng — chỉ hiện một lần" not in client.get(PAGE).content.decode()
    event = AuditEvent.objects.get(action="two_factor_on")
    assert (event.actor, event.label, event.unit.name) == (
        chairman,
        "Bật xác thực hai bước: chutich.konggang",
        "Xã Kon Gang",
    )

    # The next login needs the app's code.
    client.logout()
    next_step(clock)
    assert password(client, chairman)["Location"] == CODE_PAGE
    assert not logged_in(client)
    assert client.post(CODE_PAGE, {"code": totp(secret)})["Location"] == "/"
    assert logged_in(client)


def test_without_two_factor_the_password_is_enough(client, chairman):
    assert password(client, chairman)["Location"] == "/"
    assert logged_in(client)


def test_the_password_alone_does_not_log_in_and_the_code_page_says_what_to_type(client, chairman, clock):
    turned_on(chairman)
    response = password(client, chairman, next="/thong-bao/")
    assert response["Location"] == CODE_PAGE
    assert not logged_in(client)
    assert client.get("/")["Location"].startswith("/dang-nhap/")
    page = client.get(CODE_PAGE).content.decode()
    assert "Mã xác thực gồm 6 chữ số" in page
    assert "chutich.konggang" in page

    assert client.post(CODE_PAGE, {"code": totp(KEY)})["Location"] == "/thong-bao/"
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_in_vietnamese_and_counted_like_a_wrong_password(client, chairman, clock):
    turned_on(chairman)
    password(client, chairman)
    right = totp(KEY)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(CODE_PAGE, {"code": wrong})
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert not logged_in(client)
    for _ in range(3):
        clock.tick(datetime.timedelta(seconds=10))  # past django-otp's own back-off
        client.post(CODE_PAGE, {"code": wrong})
    # The right password again does not wipe the count: only a completed login would.
    password(client, chairman)
    clock.tick(datetime.timedelta(seconds=10))
    locked = client.post(CODE_PAGE, {"code": wrong})
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    clock.tick(datetime.timedelta(seconds=20))
    refused = client.post(CODE_PAGE, {"code": totp(KEY)})
    assert refused.status_code == 429
    assert not logged_in(client)


def test_a_code_that_is_not_six_digits_is_refused_without_a_server_error(client, chairman):
    turned_on(chairman)
    password(client, chairman)
    for code in ["", "12345", "abcdef", "1234567\x00", "١٢٣٤٥٦"]:
        response = client.post(CODE_PAGE, {"code": code})
        assert response.status_code == 200
        assert not logged_in(client)
    assert "Vui lòng nhập mã xác thực gồm 6 chữ số." in client.post(CODE_PAGE, {"code": ""}).content.decode()


def test_the_code_page_needs_the_password_first(client, chairman):
    turned_on(chairman)
    assert client.get(CODE_PAGE)["Location"] == "/dang-nhap/"
    assert client.post(CODE_PAGE, {"code": totp(KEY)})["Location"] == "/dang-nhap/"
    assert not logged_in(client)


def test_the_password_step_expires_after_five_minutes(client, chairman, clock):
    turned_on(chairman)
    password(client, chairman)
    clock.tick(datetime.timedelta(minutes=6))
    assert client.post(CODE_PAGE, {"code": totp(KEY)})["Location"] == "/dang-nhap/"
    assert not logged_in(client)


def test_a_backup_code_works_once(client, chairman, clock):
    client.force_login(chairman)
    client.post(reverse("two_factor_start"))
    from django_otp.plugins.otp_totp.models import TOTPDevice

    secret = TOTPDevice.objects.get(user=chairman).bin_key
    page = client.post(reverse("two_factor_confirm"), {"code": totp(secret)}, follow=True).content.decode()
    first = re.findall(r'<li class="list-inline-item me-3">(\w+)</li>', page)[0]
    client.logout()
    password(client, chairman)
    assert client.post(CODE_PAGE, {"code": first})["Location"] == "/"
    client.logout()
    password(client, chairman)
    assert WRONG in client.post(CODE_PAGE, {"code": first}).content.decode()
    assert not logged_in(client)


def test_a_session_that_began_before_it_was_turned_on_is_ended(client, chairman):
    client.force_login(chairman)
    turned_on(chairman)
    response = client.get("/")
    assert response["Location"] == "/dang-nhap/?next=/"
    assert not logged_in(client)


def test_when_required_chairmen_and_administrators_must_turn_it_on_first(
    client, settings, chairman, province_admin, clerk
):
    settings.TWO_FACTOR_REQUIRED = True
    password(client, chairman)
    assert client.get("/")["Location"] == PAGE
    assert client.get(reverse("units:browse"))["Location"] == PAGE
    assert "phải bật xác thực hai bước trước khi tiếp tục" in client.get(PAGE).content.decode()
    client.post(reverse("two_factor_start"))
    assert client.get(reverse("two_factor_qr")).status_code == 200

    client.force_login(province_admin)
    assert client.get("/quan-tri/")["Location"] == PAGE

    client.force_login(clerk)
    assert client.get("/").status_code == 200


def test_when_not_required_nobody_is_sent_to_turn_it_on(client, chairman):
    password(client, chairman)
    assert client.get("/").status_code == 200


def test_the_admin_asks_for_the_code_after_its_own_password_form(client, province_admin, clock):
    province_admin.is_staff = True
    province_admin.save()
    turned_on(province_admin)
    response = password(client, province_admin, url="/quan-tri/login/", next="/quan-tri/")
    assert response["Location"] == CODE_PAGE
    assert not logged_in(client)
    assert client.get("/quan-tri/")["Location"].startswith("/quan-tri/login/")
    assert client.post(CODE_PAGE, {"code": totp(KEY)})["Location"] == "/quan-tri/"
    assert client.get("/quan-tri/").status_code == 200


def test_the_admin_refuses_a_session_that_did_not_pass_the_code(client, province_admin):
    province_admin.is_staff = True
    province_admin.save()
    client.force_login(province_admin)
    assert client.get("/quan-tri/").status_code == 200
    turned_on(province_admin)
    assert client.get("/quan-tri/")["Location"] == "/dang-nhap/?next=/quan-tri/"
    assert not logged_in(client)


def test_turning_it_off_needs_a_current_code(client, chairman, clock):
    turned_on(chairman)
    password(client, chairman)
    client.post(CODE_PAGE, {"code": totp(KEY)})
    next_step(clock)
    refused = client.post(reverse("two_factor_disable"), {"code": "123"}, follow=True).content.decode()
    assert "Mã xác thực không đúng" in refused
    assert "Đang bật" in refused
    clock.tick(datetime.timedelta(seconds=5))
    done = client.post(reverse("two_factor_disable"), {"code": totp(KEY)}, follow=True).content.decode()
    assert "Đã tắt xác thực hai bước." in done
    assert "Bật xác thực hai bước" in done
    event = AuditEvent.objects.get(action="two_factor_off")
    assert (event.actor, event.from_state, event.to_state) == (chairman, "on", "off")
    client.logout()
    assert password(client, chairman)["Location"] == "/"


def test_an_administrator_resets_it_for_someone_who_lost_the_phone(client, chairman, province_admin):
    turned_on(chairman)
    client.force_login(province_admin)
    home = client.get("/").content.decode()
    assert 'href="/tai-khoan/xac-thuc-hai-buoc/can-bo/"' in home
    people = client.get(reverse("two_factor_people")).content.decode()
    assert "chutich.konggang" in people
    url = reverse("two_factor_reset", args=[chairman.pk])
    assert "Vui lòng ghi lý do" in client.post(url, {"reason": ""}, follow=True).content.decode()
    assert AuditEvent.objects.filter(action="two_factor_reset").count() == 0

    client.post(url, {"reason": "Mất điện thoại ngày 01/03"})
    event = AuditEvent.objects.get(action="two_factor_reset")
    assert (event.actor, event.reason, event.label) == (
        province_admin,
        "Mất điện thoại ngày 01/03",
        "Đặt lại xác thực hai bước: chutich.konggang",
    )
    client.logout()
    assert password(client, chairman)["Location"] == "/"


def test_an_administrator_elsewhere_cannot_reset_it(client, chairman):
    elsewhere = UnitFactory(name="Tỉnh Khác", kind=kind("tinh"), code="98", households=None)
    other_admin = person(Role.ADMIN, elsewhere, "quantri.khac")
    turned_on(chairman)
    client.force_login(other_admin)
    assert "chutich.konggang" not in client.get(reverse("two_factor_people")).content.decode()
    assert client.post(reverse("two_factor_reset", args=[chairman.pk]), {"reason": "Thử"}).status_code == 404
    assert not AuditEvent.objects.filter(action="two_factor_reset").exists()


def test_only_chairmen_and_administrators_are_offered_it(client, clerk):
    client.force_login(clerk)
    assert f'href="{PAGE}"' not in client.get("/").content.decode()
    assert client.get(PAGE).status_code == 403
    assert client.post(reverse("two_factor_start")).status_code == 403


def test_new_backup_codes_replace_the_old_ones(client, chairman, clock):
    client.force_login(chairman)
    client.post(reverse("two_factor_start"))
    from django_otp.plugins.otp_totp.models import TOTPDevice

    secret = TOTPDevice.objects.get(user=chairman).bin_key
    page = client.post(reverse("two_factor_confirm"), {"code": totp(secret)}, follow=True).content.decode()
    old = re.findall(r'<li class="list-inline-item me-3">(\w+)</li>', page)
    page = client.post(reverse("two_factor_backup_codes"), follow=True).content.decode()
    assert "Đã tạo mã dự phòng mới; các mã cũ không còn dùng được." in page
    new = re.findall(r'<li class="list-inline-item me-3">(\w+)</li>', page)
    assert len(new) == 10
    assert not set(new) & set(old)
    assert AuditEvent.objects.filter(action="two_factor_backup_codes", actor=chairman).count() == 1
    client.logout()
    password(client, chairman)
    assert WRONG in client.post(CODE_PAGE, {"code": old[0]}).content.decode()
    clock.tick(datetime.timedelta(seconds=5))
    assert client.post(CODE_PAGE, {"code": new[0]})["Location"] == "/"
