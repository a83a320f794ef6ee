"""Home page, sign-in (with a limit on failed attempts) and the notification inbox."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ansinh import access, notify, queues
from ansinh.models import Notification


def _attempts_key(request, username):
    address = request.META.get("REMOTE_ADDR", "")
    return f"login-failures:{(username or '').strip().lower()}:{address}"


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses further attempts for a while after too many failures for one account from one address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def clean(self):
        key = _attempts_key(self.request, self.data.get("username"))
        if cache.get(key, 0) >= settings.LOGIN_MAX_FAILURES:
            minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
            raise ValidationError(
                f"Đăng nhập sai quá {settings.LOGIN_MAX_FAILURES} lần. Vui lòng thử lại sau {minutes} phút.",
                code="throttled",
            )
        try:
            return super().clean()
        except ValidationError:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)
            raise


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        cache.delete(_attempts_key(self.request, form.cleaned_data.get("username")))
        return super().form_valid(form)


@login_required
def home(request):
    """Each role lands on what waits for it (its queues), then on the cards that lead to its work."""
    units = access.home_units(request.user)
    return render(request, "ansinh/home.html", {"home_units": units, "queues": queues.for_user(request.user)})


@login_required
def notifications(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "ansinh/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk):
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notify.mark_read(note)
    return redirect(note.url or "notifications")


@login_required
@require_POST
def notifications_read_all(request):
    n = notify.mark_all_read(request.user)
    messages.success(request, f"Đã đánh dấu {n} thông báo là đã đọc.")
    return redirect("notifications")
