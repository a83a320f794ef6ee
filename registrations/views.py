"""Registration pages: the clerk's board for a commune, a unit's registration (online or from paper), its
documents, its transitions, printing, progress and the province's deadlines. Every object is fetched
through ansinh.access, so what lies outside a person's jurisdiction is a 404."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ansinh import access, audit, uploads
from ansinh.pdf import pdf_response
from registrations import exports, queries, services, workflow
from registrations.filters import BoardFilter
from registrations.forms import (
    DeadlineFormSet,
    MovementModelFormSet,
    PaperEntryForm,
    RegistrationForm,
    ReturnForm,
    UploadForm,
)
from registrations.models import MovementModel, Registration, RegistrationDocument, Year
from registrations.requirements import document_label, facts_of, missing_items, required_documents
from registrations.rules import OVERSEEING_ROLES
from units.models import Category, Role, Unit

LAGGARDS_SHOWN = 200
FIRST_YEAR = 2000
SORT_KEYS = ("name", "kind", "status", "registered_on", "ratio", "missing", "late")


def _unit(request, public_id):
    return access.get_visible_or_404(
        Unit.objects.select_related("kind", "parent"), request.user, unit_field="", public_id=public_id
    )


def _commune(request, public_id):
    """A commune whose board the person may open; the board exists for communes only."""
    commune = _unit(request, public_id)
    if commune.kind.category != Category.COMMUNE:
        raise Http404
    _require(request, "registrations.view_board", commune)
    return commune


def _registration(request, public_id):
    qs = Registration.objects.select_related("unit__kind", "unit__parent", "year").prefetch_related(
        Prefetch("documents", queryset=RegistrationDocument.objects.alive().select_related("uploaded_by")),
        "movement_models",
    )
    return access.get_visible_or_404(qs, request.user, public_id=public_id)


def _require(request, perm, obj):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


def _year(request, unit) -> Year:
    """The year asked for in `?nam=` (this year by default). A year the province has not opened yet is
    never opened here (a GET writes nothing): registrations.middleware shows who may open it."""
    this_year = services.current_year_number()
    try:
        number = int(request.GET.get("nam") or this_year)
    except ValueError as exc:
        raise Http404 from exc
    try:
        return Year.objects.for_unit(unit, number)
    except Year.DoesNotExist as exc:
        if number == this_year:
            raise services.YearNotOpen(unit, number) from exc
        raise Http404(f"Năm {number} chưa được mở.") from exc


def _closed(request, year) -> bool:
    """A closed year takes no more work; say so instead of saving."""
    if year.is_open:
        return False
    messages.error(request, services.closed_year_message(year))
    return True


def _unit_year_url(unit, year):
    return f"{reverse('registrations:unit', args=[unit.public_id])}?nam={year.number}"


def _pick(request, units, url_name, title):
    """Go straight to the only unit, or let the person choose."""
    units = list(units)
    if len(units) == 1:
        return redirect(url_name, units[0].public_id)
    return render(request, "registrations/pick.html", {"units": units, "url_name": url_name, "title": title})


@login_required
def index(request):
    """The menu entry: the clerk's board, the unit head's own unit, or the progress of a jurisdiction."""
    roles = access.roles_of(request.user)
    if Role.POLICE_CLERK in roles:
        return _pick(request, access.home_units(request.user, Role.POLICE_CLERK), "registrations:board", "Đăng ký")
    if Role.UNIT_HEAD in roles:
        return mine(request)
    return progress_home(request)


@login_required
def mine(request):
    units = access.home_units(request.user, Role.UNIT_HEAD)
    return _pick(request, units, "registrations:unit", "Đăng ký của đơn vị")


@login_required
def progress_home(request):
    units = access.home_units(request.user, *OVERSEEING_ROLES)
    return _pick(request, units, "registrations:progress", "Tiến độ đăng ký")


# The clerk's board ---------------------------------------------------------------------------------------


@login_required
def board(request, public_id):
    commune = _commune(request, public_id)
    year = _year(request, commune)
    board_filter = BoardFilter(request.GET, queryset=queries.board_units(commune, year))
    rows = list(board_filter.qs)
    for unit in rows:
        unit.missing_list = missing_items(unit, queries.facts_of_row(unit))
        unit.can_accept = year.is_open and request.user.has_perm("registrations.accept", unit)
        unit.can_enter = year.is_open and request.user.has_perm("registrations.enter_paper", unit)
    registered = sum(1 for u in rows if u.reg_status in queries.REGISTERED_STATES)
    current_sort = request.GET.get("sort", "")
    sort_links = {key: f"-{key}" if current_sort == key else key for key in SORT_KEYS}
    sort_marks = {current_sort.lstrip("-"): "▼" if current_sort.startswith("-") else "▲"} if current_sort else {}
    out_of_scope = (
        Unit.objects.under(commune)
        .active()
        .exclude(
            Q(out_of_scope="", kind__takes_part=True) | Q(kind__category__in=[Category.PROVINCE, Category.DISTRICT])
        )
    )
    return render(
        request,
        "registrations/board.html",
        {
            "commune": commune,
            "year": year,
            "deadline": year.deadline_for(commune),
            "filter": board_filter,
            "rows": rows,
            "registered": registered,
            "total": len(rows),
            "sort_links": sort_links,
            "sort_marks": sort_marks,
            "out_of_scope": out_of_scope.select_related("kind"),
            "can_accept_any": any(u.can_accept and u.reg_status == Registration.Status.SUBMITTED for u in rows),
        },
    )


@login_required
@require_POST
def board_accept(request, public_id):
    """Receive many submitted registrations at once; each goes through the workflow on its own."""
    commune = _commune(request, public_id)
    ids = [value for value in request.POST.getlist("registration")[:500] if _is_uuid(value)]
    chosen = access.scope(
        Registration.objects.filter(public_id__in=ids, unit__path__startswith=commune.path), request.user
    )
    done, refused = 0, []
    for registration in chosen.select_related("unit"):
        try:
            workflow.perform(registration, "accept", request.user)
            done += 1
        except workflow.TransitionRefused as exc:
            refused.append(f"{registration.unit.name}: {exc}")
    if done:
        messages.success(request, f"Đã tiếp nhận {done} bản đăng ký.")
    if refused:
        messages.warning(request, f"Không tiếp nhận được {len(refused)} bản: " + " ".join(refused))
    if not done and not refused:
        messages.info(request, "Chưa chọn bản đăng ký nào. Đánh dấu các dòng «Đã nộp» rồi bấm «Tiếp nhận».")
    return redirect(f"{reverse('registrations:board', args=[commune.public_id])}?{request.POST.get('back', '')}")


@login_required
def board_pdf(request, public_id):
    commune = _commune(request, public_id)
    year = _year(request, commune)
    return pdf_response(
        "pdf/registration_list.html", exports.list_context(commune, year), f"danh-sach-dang-ky-{year.number}.pdf"
    )


@login_required
def board_xlsx(request, public_id):
    commune = _commune(request, public_id)
    year = _year(request, commune)
    return _xlsx(exports.list_workbook(commune, year), f"danh-sach-dang-ky-{year.number}.xlsx")


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# One unit's registration ---------------------------------------------------------------------------------


@login_required
def unit_page(request, public_id):
    """A unit's registration for the year: open it if it exists, otherwise offer to register."""
    unit = _unit(request, public_id)
    year = _year(request, unit)
    registration = Registration.objects.filter(unit=unit, year=year).first()
    if registration is not None:
        return redirect("registrations:detail", registration.public_id)
    return render(
        request,
        "registrations/unit.html",
        {
            "unit": unit,
            "year": year,
            "deadline": year.deadline_for(unit),
            "required": [document_label(unit, t) for t in required_documents(unit)],
        },
    )


def _new_registration(request, public_id, permission):
    """The checks before a unit's registration is entered: (unit, year, None), or a response that explains
    why not (out of scope, closed year, already registered)."""
    unit = _unit(request, public_id)
    year = _year(request, unit)
    if not unit.is_in_scope:
        return unit, year, render(request, "registrations/unit.html", {"unit": unit, "year": year})
    _require(request, permission, unit)
    if _closed(request, year):
        return unit, year, redirect(_unit_year_url(unit, year))
    existing = Registration.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        messages.info(request, services.duplicate_message(unit, year, existing))
        return unit, year, redirect("registrations:detail", existing.public_id)
    return unit, year, None


@login_required
def create(request, public_id):
    """Self-service registration (unit head or clerk), with photos of the signed pages."""
    unit, year, refusal = _new_registration(request, public_id, "registrations.register")
    if refusal is not None:
        return refusal
    form = RegistrationForm(request.POST or None, request.FILES or None, unit=unit)
    formset = MovementModelFormSet(request.POST or None, prefix="models", instance=Registration())
    show_models = unit.kind.requires_movement_model
    if request.method == "POST" and form.is_valid() and (not show_models or formset.is_valid()):
        try:
            with transaction.atomic():
                registration = services.start_registration(
                    unit=unit,
                    year=year,
                    user=request.user,
                    registered_on=timezone.localdate(),
                    **form.registration_values(),
                )
                _save_extras(request, registration, form, formset if show_models else None)
                if "submit" in request.POST:
                    workflow.perform(registration, "submit", request.user)
        except (services.RegistrationRefused, workflow.TransitionRefused) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Đã nộp bản đăng ký." if "submit" in request.POST else "Đã lưu bản nháp đăng ký.")
            return redirect("registrations:detail", registration.public_id)
    return render(
        request,
        "registrations/form.html",
        {"unit": unit, "year": year, "form": form, "formset": formset if show_models else None, "creating": True},
    )


def _save_extras(request, registration, form, formset):
    for doc_type, files in form.uploads():
        services.add_documents(registration=registration, doc_type=doc_type, files=files, user=request.user)
    if formset is not None:
        formset.instance = registration
        formset.save()


@login_required
def edit(request, public_id):
    registration = _registration(request, public_id)
    _require(request, "registrations.edit_registration", registration)
    if _closed(request, registration.year):
        return redirect("registrations:detail", registration.public_id)
    unit = registration.unit
    form = RegistrationForm(request.POST or None, request.FILES or None, instance=registration, unit=unit)
    show_models = unit.kind.requires_movement_model
    formset = MovementModelFormSet(request.POST or None, prefix="models", instance=registration)
    if request.method == "POST" and form.is_valid() and (not show_models or formset.is_valid()):
        with transaction.atomic():
            # The status may have moved since the page was read (received, returned): decide on the locked
            # row and write only the form's fields, so a concurrent transition is never undone.
            locked = Registration.objects.select_for_update().select_related("unit").get(pk=registration.pk)
            if not request.user.has_perm("registrations.edit_registration", locked):
                state = locked.get_status_display()
                messages.error(
                    request,
                    f"Bản đăng ký vừa chuyển sang trạng thái «{state}» nên không còn sửa được; "
                    "thay đổi của bạn chưa được lưu.",
                )
                return redirect("registrations:detail", registration.public_id)
            registration.save(update_fields=[*form.registration_values(), "updated_at"])
            _save_extras(request, registration, form, formset if show_models else None)
            audit.record(registration, actor=request.user, action="edit", label="Sửa bản đăng ký")
        messages.success(request, "Đã lưu bản đăng ký.")
        return redirect("registrations:detail", registration.public_id)
    return render(
        request,
        "registrations/form.html",
        {
            "unit": unit,
            "year": registration.year,
            "form": form,
            "formset": formset if show_models else None,
            "registration": registration,
        },
    )


@login_required
def paper_entry(request, public_id):
    """The clerk types in a paper registration in one screen; «Lưu và nhập tiếp» opens the next unit."""
    unit, year, refusal = _new_registration(request, public_id, "registrations.enter_paper")
    if refusal is not None:
        return refusal
    commune = exports.commune_of(unit)
    can_accept = request.user.has_perm("registrations.accept", unit)
    form = PaperEntryForm(request.POST or None, unit=unit, year=year, can_accept=can_accept)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                registration = services.start_registration(
                    unit=unit, year=year, user=request.user, on_paper=True, **form.registration_values()
                )
                if data.get("movement_model"):
                    MovementModel.objects.create(registration=registration, name=data["movement_model"])
                workflow.perform(registration, "submit", request.user)
                if data.get("accept_now"):
                    workflow.perform(registration, "accept", request.user)
        except (services.RegistrationRefused, workflow.TransitionRefused) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Đã nhập bản đăng ký giấy của {unit.name}.")
            following = _next_unregistered(commune, year) if "next" in request.POST else None
            if following is not None:
                return redirect(f"{reverse('registrations:paper', args=[following.public_id])}?nam={year.number}")
            return redirect(f"{reverse('registrations:board', args=[commune.public_id])}?nam={year.number}")
    return render(request, "registrations/paper.html", {"unit": unit, "year": year, "form": form, "commune": commune})


def _next_unregistered(commune, year):
    units = Unit.objects.under(commune).participating().exclude(registrations__year=year)
    return units.order_by("depth", "kind__sort_order", "name").first()


@login_required
def detail(request, public_id):
    registration = _registration(request, public_id)
    unit = registration.unit
    actions = workflow.available_actions(registration, request.user) if registration.year.is_open else []
    return render(
        request,
        "registrations/detail.html",
        {
            "registration": registration,
            "unit": unit,
            "year": registration.year,
            "missing": missing_items(unit, facts_of(registration)),
            "documents": [(document_label(unit, d.doc_type), d) for d in registration.documents.all()],
            "actions": actions,
            "history": audit.history(registration),
            "upload_form": UploadForm(unit=unit),
            "return_form": ReturnForm(),
            "deadline": registration.year.deadline_for(unit),
        },
    )


@login_required
@require_POST
def transition(request, public_id, action):
    registration = _registration(request, public_id)
    if action not in workflow.ACTIONS:
        raise Http404
    if _closed(request, registration.year):
        return redirect("registrations:detail", registration.public_id)
    reason = request.POST.get("reason", "")
    try:
        workflow.perform(registration, action, request.user, reason=reason)
    except workflow.TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        # By the action, not the state this page read: the row may have moved before the lock was taken.
        messages.success(request, f"{workflow.LABELS[action]}: {registration.unit.name}.")
    return redirect("registrations:detail", registration.public_id)


@login_required
@require_POST
def upload(request, public_id):
    registration = _registration(request, public_id)
    _require(request, "registrations.edit_registration", registration)
    if _closed(request, registration.year):
        return redirect("registrations:detail", registration.public_id)
    form = UploadForm(request.POST, request.FILES, unit=registration.unit)
    if form.is_valid():
        stored = services.add_documents(
            registration=registration,
            doc_type=form.cleaned_data["doc_type"],
            files=form.cleaned_data["files"],
            user=request.user,
        )
        messages.success(request, f"Đã tải lên {len(stored)} tệp.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("registrations:detail", registration.public_id)


def _document(request, public_id):
    qs = RegistrationDocument.objects.alive().select_related(
        "registration__unit__kind", "registration__unit__parent", "registration__year"
    )
    document = access.get_visible_or_404(qs, request.user, unit_field="registration__unit", public_id=public_id)
    _require(request, "registrations.view_files", document.registration.unit)
    return document


@login_required
def document_download(request, public_id):
    document = _document(request, public_id)
    # Reading a private document is worth a line in the trail (who read what, from where).
    audit.record(document, actor=request.user, action="download", label=f"Tải xuống: {document.original_name}")
    return uploads.serve(document, inline=request.GET.get("xem") == "1")


@login_required
@require_POST
def document_remove(request, public_id):
    document = _document(request, public_id)
    _require(request, "registrations.edit_registration", document.registration)
    if _closed(request, document.registration.year):
        return redirect("registrations:detail", document.registration.public_id)
    services.remove_document(document=document, user=request.user)
    messages.success(request, f"Đã gỡ tệp «{document.original_name}».")
    return redirect("registrations:detail", document.registration.public_id)


@login_required
def form_pdf(request, public_id):
    """The pre-filled Bản đăng ký for a unit that signs on paper (filled further if it registered)."""
    unit = _unit(request, public_id)
    year = _year(request, unit)
    registration = Registration.objects.filter(unit=unit, year=year).prefetch_related("movement_models").first()
    return pdf_response(
        "pdf/registration_form.html", exports.form_context(unit, year, registration), f"ban-dang-ky-{year.number}.pdf"
    )


# Progress and deadlines ----------------------------------------------------------------------------------


def _progress(unit, year):
    units = Unit.objects.under(unit, include_self=False)
    categories = queries.progress_by_category(units, year)
    communes = list(queries.communes_progress(unit, year)) if unit.kind.category != Category.COMMUNE else None
    laggards = (
        queries.with_registration(units.participating().select_related("kind", "parent"), year)
        .filter(Q(reg_id__isnull=True) | Q(reg_late=True) | ~Q(reg_status__in=queries.REGISTERED_STATES))
        .order_by("path")
    )
    return categories, communes, laggards


@login_required
def progress(request, public_id):
    unit = _unit(request, public_id)
    _require(request, "registrations.view_progress", unit)
    year = _year(request, unit)
    categories, communes, laggards = _progress(unit, year)
    shown = list(laggards[: LAGGARDS_SHOWN + 1])
    return render(
        request,
        "registrations/progress.html",
        {
            "unit": unit,
            "year": year,
            "categories": categories,
            "totals": queries.totals(categories),
            "communes": communes,
            "laggards": shown[:LAGGARDS_SHOWN],
            "more_laggards": len(shown) > LAGGARDS_SHOWN,
        },
    )


@login_required
def progress_xlsx(request, public_id):
    unit = _unit(request, public_id)
    _require(request, "registrations.view_progress", unit)
    year = _year(request, unit)
    categories, communes, laggards = _progress(unit, year)
    return _xlsx(
        exports.progress_workbook(unit, year, categories, communes, laggards), f"tien-do-dang-ky-{year.number}.xlsx"
    )


@login_required
def deadlines(request, public_id):
    """The province's dates for a year; communes inherit them."""
    province = _unit(request, public_id)
    if province.parent_id is not None:
        raise Http404
    _require(request, "registrations.edit_deadlines", province)
    year = _year(request, province)
    formset = DeadlineFormSet(request.POST or None, queryset=year.deadlines.all())
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            changed = formset.save()
            if changed:
                audit.record(
                    year,
                    actor=request.user,
                    action="edit_deadlines",
                    unit=province,
                    label=f"Sửa mốc thời gian năm {year.number}: {len(changed)} nhóm đơn vị",
                )
        messages.success(request, f"Đã lưu mốc thời gian năm {year.number}.")
        return redirect(f"{reverse('registrations:deadlines', args=[province.public_id])}?nam={year.number}")
    return render(request, "registrations/deadlines.html", {"province": province, "year": year, "formset": formset})


@login_required
@require_POST
def open_year(request, public_id):
    """The administrator opens another evaluation year of the province (up to next year)."""
    province = _unit(request, public_id)
    if province.parent_id is not None:
        raise Http404
    _require(request, "registrations.edit_deadlines", province)
    this_year = services.current_year_number()
    try:
        number = int(request.POST.get("nam", ""))
    except ValueError:
        number = 0
    url = reverse("registrations:deadlines", args=[province.public_id])
    if not FIRST_YEAR <= number <= this_year + 1:
        messages.error(request, f"Chỉ mở được năm đánh giá từ {FIRST_YEAR} đến {this_year + 1}.")
        return redirect(url)
    services.open_year(province, number, actor=request.user)
    messages.success(request, f"Đã mở năm đánh giá {number}.")
    return redirect(f"{url}?nam={number}")
