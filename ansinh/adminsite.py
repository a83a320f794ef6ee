"""The Django admin at /quan-tri/: the same input rules as the portal's forms, and the same two-step login.

Every ModelAdmin registered here, ours and the libraries' alike, edits through a form that mixes in
ansinh.forms.SafeInput: `register` gives the admin class, its add form (the user admin's) and its inlines
a safe form, so a NUL byte typed in the admin gets the Vietnamese refusal instead of a database error, and
nobody has to remember a base class. The login form is the portal's two-step one (ansinh.twofactor), and
a person who has turned on two-factor login reaches the admin only with a session that passed the code."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.urls import reverse

from ansinh import twofactor
from ansinh.forms import SafeInput


def safe_form(form):
    """`form`, or a subclass of it that mixes in SafeInput first."""
    if issubclass(form, SafeInput):
        return form
    return type(f"Safe{form.__name__}", (SafeInput, form), {"__module__": form.__module__})


def safe_admin_class(admin_class):
    """A subclass of `admin_class` (a ModelAdmin or an inline) whose forms all mix in SafeInput."""
    attrs = {"__module__": admin_class.__module__, "form": safe_form(admin_class.form)}
    if getattr(admin_class, "add_form", None) is not None:
        attrs["add_form"] = safe_form(admin_class.add_form)
    if getattr(admin_class, "inlines", None):
        attrs["inlines"] = [safe_admin_class(inline) for inline in admin_class.inlines]
    return type(admin_class.__name__, (admin_class,), attrs)


class AdminLoginForm(SafeInput, AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản không có quyền quản trị.",
        "inactive": "Tài khoản này đã bị khóa.",
    }


class AdminSite(admin.AdminSite):
    site_header = "Quản trị Cổng An toàn về ANTT"
    site_title = "Quản trị ANTT"
    index_title = "Quản trị hệ thống"
    login_form = AdminLoginForm

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, safe_admin_class(admin_class or admin.ModelAdmin), **options)

    def has_permission(self, request):
        return super().has_permission(request) and twofactor.session_passes(request)

    def login(self, request, extra_context=None):
        """The password step checks the staff flag as Django's admin does; someone with two-factor login
        on is then asked for the code on the portal's code page, which returns here."""
        if request.method == "GET" and self.has_permission(request):
            return super().login(request, extra_context)
        from ansinh.views import TwoStepLoginView

        context = {
            **self.each_context(request),
            "title": "Đăng nhập",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            **(extra_context or {}),
        }
        if "next" not in request.GET and "next" not in request.POST:
            context["next"] = reverse("admin:index", current_app=self.name)
        request.current_app = self.name
        return TwoStepLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form,
            template_name=self.login_template or "admin/login.html",
            redirect_authenticated_user=False,
        )(request)
