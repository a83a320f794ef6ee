"""Pages of two-factor login: the code step of the login, the person's own page (turn on with a QR code,
backup codes, turn off with a code) and the administrator's reset. The work is in ansinh.twofactor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken

from ansinh import twofactor
from ansinh.access import require
from ansinh.errors import Refused
from ansinh.forms import CodeForm, TwoFactorResetForm
from ansinh.login import locked_out


@never_cache
def login_code(request):
    """The second step of the login, for the person whose password this session has just accepted."""
    user = twofactor.pending_user(request)
    if user is None:
        messages.info(request, "Phiên đăng nhập đã hết hạn; vui lòng nhập lại mật khẩu.")
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if twofactor.is_locked(request, user):
            return locked_out(request)
        if form.is_valid():
            try:
                device = twofactor.verify_or_count(request, user, form.cleaned_data["code"])
            except Refused as exc:
                form.add_error("code", str(exc))
            else:
                return redirect(twofactor.finish(request, user, device))
    return render(request, "registration/login_code.html", {"form": form, "pending_user": user})


@never_cache
@login_required
def two_factor(request):
    user = request.user
    device = twofactor.device_of(user)
    if device is None and not twofactor.may_use(user):
        require(user, "ansinh.use_two_factor")
    context = {"device": device, "two_factor_required": twofactor.must_enrol(request)}
    if device is None:
        pending = twofactor.device_of(user, confirmed=False)
        if pending is not None:
            context.update(pending=pending, secret=twofactor.secret_text(pending), form=CodeForm())
    else:
        form = CodeForm()
        # Turning it off is not what the page is opened for: the cursor does not wait in that field.
        form.fields["code"].widget.attrs.pop("autofocus", None)
        context.update(
            backup_left=StaticToken.objects.filter(device__user=user).count(),
            new_codes=request.session.pop(twofactor.NEW_BACKUP_CODES_KEY, None),
            form=form,
        )
    return render(request, "ansinh/two_factor.html", context)


@login_required
@require_POST
def two_factor_start(request):
    require(request.user, "ansinh.use_two_factor")
    try:
        twofactor.start_enrolment(user=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("two_factor")


@login_required
@require_POST
def two_factor_confirm(request):
    require(request.user, "ansinh.use_two_factor")
    form = CodeForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(" ".join(form.errors.get("code", [])))
        _, codes = twofactor.confirm_enrolment(request=request, user=request.user, code=form.cleaned_data["code"])
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        request.session[twofactor.NEW_BACKUP_CODES_KEY] = codes
        messages.success(request, "Đã bật xác thực hai bước. Từ lần đăng nhập sau, bạn sẽ được hỏi mã xác thực.")
    return redirect("two_factor")


@never_cache
@login_required
def two_factor_qr(request):
    """The QR code of the key being set up (never of a confirmed one: it is shown once, while setting up)."""
    require(request.user, "ansinh.use_two_factor")
    device = twofactor.device_of(request.user, confirmed=False)
    if device is None:
        raise Http404
    return HttpResponse(twofactor.qr_svg(device), content_type="image/svg+xml")


@login_required
@require_POST
def two_factor_backup_codes(request):
    require(request.user, "ansinh.use_two_factor")
    try:
        request.session[twofactor.NEW_BACKUP_CODES_KEY] = twofactor.regenerate_backup_codes(user=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã tạo mã dự phòng mới; các mã cũ không còn dùng được.")
    return redirect("two_factor")


@login_required
@require_POST
def two_factor_disable(request):
    form = CodeForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(" ".join(form.errors.get("code", [])))
        twofactor.disable(request=request, user=request.user, code=form.cleaned_data["code"])
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã tắt xác thực hai bước.")
    return redirect("two_factor")


@never_cache
@login_required
def two_factor_people(request):
    """The administrator's list of accounts with two-factor login on, to reset one whose phone is lost."""
    require(request.user, "ansinh.administer")
    people = twofactor.enrolled_people(request.user)
    return render(request, "ansinh/two_factor_people.html", {"people": people, "form": TwoFactorResetForm()})


@login_required
@require_POST
def two_factor_reset(request, pk):
    person = get_object_or_404(twofactor.enrolled_people(request.user), pk=pk)
    require(request.user, "ansinh.administer")
    form = TwoFactorResetForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(" ".join(form.errors.get("reason", [])))
        twofactor.reset(actor=request.user, user=person, reason=form.cleaned_data["reason"])
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Đã đặt lại xác thực hai bước của {person.get_username()}.")
    return redirect("two_factor_people")
