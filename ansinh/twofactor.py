"""Two-factor login (xác thực hai bước) for chairmen and administrators, with django-otp's TOTP devices and
static backup codes.

A person who has turned it on is not logged in by the password: the login form keeps them "pending" in
the session (`begin`), and only the code page logs them in (`finish`), so a session never holds an
account whose code was not checked. A wrong code counts with django-axes as a failed login for the
account-and-address pair, like a wrong password, and the same lockout follows. django-otp's own back-off
(one, two, four… seconds after successive failures) holds on the device as well.

With TWO_FACTOR_REQUIRED, those who may use it (`ansinh.use_two_factor`) and have not turned it on are
sent to the enrolment page before anything else (ansinh.twofactor.Middleware).

State changes are services: atomic, the person's devices locked, and one audit row each."""

import io
import time
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ansinh import access, audit
from ansinh.errors import Refused
from ansinh.forms import clean_reason
from units.models import Role, RoleAssignment

PENDING_KEY = "two_factor_pending"
NEW_BACKUP_CODES_KEY = "two_factor_new_backup_codes"
# Between the password and the code; a phone is at hand or it is not.
PENDING_SECONDS = 300
BACKUP_CODE_COUNT = 10
DEVICE_NAME = "Ứng dụng xác thực"
ISSUER = "ANTT"

WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn. Vui lòng nhập mã đang hiện trên ứng dụng."
SLOW_DOWN = "Vừa nhập sai mã; vui lòng đợi vài giây rồi nhập mã mới."


def may_use(user) -> bool:
    return user.has_perm("ansinh.use_two_factor")


def device_of(user, *, confirmed=True):
    """The person's authenticator app (TOTP device), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def is_on(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def secret_text(device) -> str:
    """The key as the authenticator apps ask for it when typed by hand: base32 in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device) -> bytes:
    """The otpauth:// address as a standalone SVG file (an <img> needs its namespace): no script, no style,
    dark modules on white so a phone reads it whatever the page's colours."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, border=4, light="#fff", xmldecl=False, svgclass=None, lineclass=None
    )
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------
# Verifying a code


def _verify(user, code: str):
    """The device that accepts `code` (the app's code, or one backup code), or None. Refused when
    django-otp's back-off after a recent failure does not allow a try yet."""
    code = "".join((code or "").split())
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
        if totp is None:
            return None
        allowed, _ = totp.verify_is_allowed()
        if not allowed:
            raise Refused(SLOW_DOWN)
        if code.isdigit() and len(code) == totp.digits and totp.verify_token(code):
            return totp
        for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if static.verify_token(code.lower()):
                return static
        return None


def verify_or_count(request, user, code: str):
    """Check a code typed on a page; a wrong one counts with django-axes as a failed login of this account
    from this address (the lockout page follows once the limit is reached). Returns the device or raises
    Refused."""
    device = _verify(user, code)
    if device is None:
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
        raise Refused(WRONG_CODE)
    return device


def is_locked(request, user) -> bool:
    return settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, {"username": user.get_username()})


# ---------------------------------------------------------------------------------------------------------
# The login's second step


def begin(request, user, next_url: str):
    """The password was right and the person has two-factor login on: remember them for the code page."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "at": time.time(),
        "next": next_url,
    }


def pending_user(request):
    """The person who typed the right password in this session within PENDING_SECONDS, or None."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def pending_next(request) -> str:
    pending = request.session.get(PENDING_KEY) or {}
    next_url = pending.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return reverse(settings.LOGIN_REDIRECT_URL)


def finish(request, user, device):
    """Log the person in with the device that accepted their code; the session is verified from now on
    (the Django admin asks for that)."""
    next_url = pending_next(request)
    request.session.pop(PENDING_KEY, None)
    auth_login(request, user, backend=user.backend)
    otp_login(request, device)
    return next_url


# ---------------------------------------------------------------------------------------------------------
# What a signed-in session may do


def session_passes(request) -> bool:
    """The session may work: the person has no two-factor login on, or this session passed the code."""
    user = request.user
    if not user.is_authenticated:
        return True
    cached = getattr(request, "_two_factor_passes", None)
    if cached is None:
        device = device_of(user)
        cached = device is None or request.session.get(DEVICE_ID_SESSION_KEY) == device.persistent_id
        request._two_factor_passes = cached
    return cached


def must_enrol(request) -> bool:
    return settings.TWO_FACTOR_REQUIRED and may_use(request.user) and not is_on(request.user)


class Middleware:
    """A signed-in session of someone who has two-factor login on but did not pass the code here (it began
    before they turned it on) is ended; with TWO_FACTOR_REQUIRED, those who must use it and have not turned
    it on see only the enrolment page. Only people who may use it (or whose session passed a code) cost a
    query."""

    ENROLMENT_PATHS = ("two_factor", "two_factor_start", "two_factor_confirm", "two_factor_qr", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and (DEVICE_ID_SESSION_KEY in request.session or may_use(user)):
            if not session_passes(request):
                auth_logout(request)
                messages.info(request, "Tài khoản đã bật xác thực hai bước; vui lòng đăng nhập lại, nhập mã xác thực.")
                return redirect_to_login(request.get_full_path())
            if must_enrol(request) and request.path not in {reverse(name) for name in self.ENROLMENT_PATHS}:
                return redirect("two_factor")
        return self.get_response(request)


# ---------------------------------------------------------------------------------------------------------
# Services


def _home_unit(user):
    return access.home_units(user).first()


def _lock_devices(user):
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def start_enrolment(*, user):
    """A fresh, unconfirmed authenticator device for the person (replacing an unconfirmed one)."""
    if not may_use(user):
        raise Refused("Xác thực hai bước dành cho lãnh đạo UBND và quản trị.")
    with transaction.atomic():
        _lock_devices(user)
        if is_on(user):
            raise Refused("Xác thực hai bước đã được bật cho tài khoản này.")
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def new_backup_codes(user) -> list[str]:
    """Replace the person's backup codes; each works once instead of the app's code."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Mã dự phòng", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def confirm_enrolment(*, request, user, code: str) -> tuple[object, list[str]]:
    """The first code from the app proves it holds the key: the device is confirmed, backup codes are made
    and this session counts as verified. Returns (device, backup codes)."""
    code = "".join((code or "").split())
    with transaction.atomic():
        _lock_devices(user)
        device = device_of(user, confirmed=False)
        if device is None:
            raise Refused("Chưa bắt đầu bật xác thực hai bước, hoặc đã bật xong.")
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            raise Refused(SLOW_DOWN)
        if not (code.isdigit() and len(code) == device.digits and device.verify_token(code)):
            raise Refused(WRONG_CODE)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_backup_codes(user)
        audit.record(
            user,
            actor=user,
            action="two_factor_on",
            label=f"Bật xác thực hai bước: {user.get_username()}",
            unit=_home_unit(user),
            from_state="off",
            to_state="on",
        )
    otp_login(request, device)
    return device, codes


def regenerate_backup_codes(*, user) -> list[str]:
    with transaction.atomic():
        _lock_devices(user)
        if not is_on(user):
            raise Refused("Xác thực hai bước chưa được bật.")
        codes = new_backup_codes(user)
        audit.record(
            user,
            actor=user,
            action="two_factor_backup_codes",
            label=f"Tạo lại mã dự phòng: {user.get_username()}",
            unit=_home_unit(user),
        )
    return codes


def _remove(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def disable(*, request, user, code: str):
    """Turning it off needs a current code (or a backup code), so a session left open is not enough."""
    if not is_on(user):
        raise Refused("Xác thực hai bước chưa được bật.")
    verify_or_count(request, user, code)
    with transaction.atomic():
        _lock_devices(user)
        _remove(user)
        audit.record(
            user,
            actor=user,
            action="two_factor_off",
            label=f"Tắt xác thực hai bước: {user.get_username()}",
            unit=_home_unit(user),
            from_state="on",
            to_state="off",
        )


def enrolled_people(actor):
    """Accounts with two-factor login on that `actor` administers: those holding a role inside the
    administrator's jurisdiction (every account for a superuser)."""
    users = get_user_model().objects.filter(totpdevice__confirmed=True).distinct()
    if actor.is_superuser:
        return users.order_by("username")
    assignments = access.scope(RoleAssignment.objects.filter(is_active=True), actor, roles=(Role.ADMIN,))
    return users.filter(pk__in=assignments.values("user")).order_by("username")


def reset(*, actor, user, reason: str):
    """An administrator turns it off for someone who lost their phone and backup codes."""
    reason = clean_reason(reason, required_message="Vui lòng ghi lý do đặt lại xác thực hai bước.")
    if not actor.has_perm("ansinh.administer"):
        raise Refused("Chỉ quản trị được đặt lại xác thực hai bước.")
    with transaction.atomic():
        _lock_devices(user)
        if not is_on(user):
            raise Refused("Tài khoản này chưa bật xác thực hai bước.")
        _remove(user)
        audit.record(
            user,
            actor=actor,
            action="two_factor_reset",
            label=f"Đặt lại xác thực hai bước: {user.get_username()}",
            unit=_home_unit(user),
            from_state="on",
            to_state="off",
            reason=reason,
        )
