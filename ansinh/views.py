"""Home page, sign-in, the notification inbox, the audit trail and the server-error page."""

import sys

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from ansinh import access, audit, notify, queues, twofactor, xlsx
from ansinh.filters import AuditFilter
from ansinh.forms import SafeInput
from ansinh.models import AuditEvent, Notification


class LoginForm(SafeInput, AuthenticationForm):
    """The sign-in form; failed attempts are counted by django-axes (ansinh.login), for the admin's too."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa.",
    }


class TwoStepLoginView(auth_views.LoginView):
    """The password step of every login form (the admin's too): someone with two-factor login on is not
    logged in yet but sent to the code page (ansinh.twofactor)."""

    def form_valid(self, form):
        user = form.get_user()
        if not twofactor.is_on(user):
            return super().form_valid(form)
        twofactor.begin(self.request, user, self.get_redirect_url())
        return redirect("login_code")


class LoginView(TwoStepLoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


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


@login_required
def audit_log(request):
    """Who did what, when and from where, within the administrator's jurisdiction; `?xuat=xlsx` exports
    the filtered rows."""
    if not request.user.has_perm("ansinh.view_audit"):
        raise PermissionDenied("Chỉ quản trị được xem nhật ký thao tác.")
    events = access.scope(AuditEvent.objects.select_related("actor", "unit").order_by("-at", "-pk"), request.user)
    audit_filter = AuditFilter(request.GET, queryset=events)
    if request.GET.get("xuat") == "xlsx":
        response = HttpResponse(audit.workbook(audit_filter.qs), content_type=xlsx.XLSX)
        response["Content-Disposition"] = 'attachment; filename="nhat-ky-thao-tac.xlsx"'
        return response
    page = Paginator(audit_filter.qs, 50).get_page(request.GET.get("page"))
    return render(request, "ansinh/audit_log.html", {"filter": audit_filter, "page": page})


# Seconds a person (or a script) should wait before retrying while the database is out of reach.
DATABASE_RETRY_SECONDS = 5


def server_error(request):
    """The 500 page, or a 503 «Hệ thống đang bận» when the database could not be reached (a restart, a
    failover): the person only has to retry. Rendered without the request's context, whose processors
    would ask the same database again."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    return HttpResponseServerError(render_to_string("500.html"))
