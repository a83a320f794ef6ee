"""Login throttling with django-axes: failures are counted per account and address pair (a wrong password
typed by one clerk locks neither the office's shared address nor the chairman's account for the others),
and more loosely per address, so that trying many accounts from one place is refused too."""

import logging

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.core.mail import mail_admins
from django.dispatch import receiver
from django.shortcuts import render

log = logging.getLogger("ansinh.security")


def lockout_message() -> str:
    minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
    return f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút, hoặc liên hệ quản trị để được mở khóa."


class Handler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS lists the pair first and the address alone second; the address-wide count is
    scaled so that it locks at ADDRESS_FAILURE_LIMIT while the pair locks at AXES_FAILURE_LIMIT."""

    def get_failures(self, request, credentials=None) -> int:
        counts = [
            sum(attempts.values_list("failures_since_start", flat=True))
            for attempts in self.get_user_attempts(request, credentials)
        ]
        pair, *rest = counts or [0]
        by_address = rest[0] if rest else 0
        return max(pair, by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_MAX_FAILURES)


class Backend(AxesStandaloneBackend):
    """django-axes' check before any password is tried. Every login form passes its request; a call without
    one (the test client's login(), a shell) is no login form and is left to the other backends."""

    def authenticate(self, request=None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The login page (the admin's sends here too) with the reason in Vietnamese; 429: retry later."""
    from ansinh.views import LoginForm

    return render(
        request, "registration/login.html", {"form": LoginForm(request), "lockout": lockout_message()}, status=429
    )


@receiver(user_locked_out)
def alert_on_lockout(sender, request, username, ip_address, **kwargs):
    """A lockout is worth a person's attention: someone guesses passwords, or a colleague is stuck."""
    log.warning("Login locked out: account %r from %s", username, ip_address)
    mail_admins(
        "Khóa đăng nhập do sai mật khẩu nhiều lần",
        f"Tài khoản: {username}\nĐịa chỉ: {ip_address}\nĐường dẫn: {request.path if request else ''}",
        fail_silently=True,
    )
