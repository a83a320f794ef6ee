"""Registration pages: the clerk's board for a commune, a unit's registration (online or from paper), its
documents, its transitions, printing, progress and the province's deadlines. Every object is fetched
through ansinh.access, so what lies outside a person's jurisdiction is a 404."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ansinh import access, audit, jobs, uploads
from ansinh.access import require
from ansinh.display import filter_controls
from ansinh.errors import Refused
from ansinh.pdf import pdf_response
from registrations import display, exports, progress, queries, services, workflow
from registrations.filters import BoardFilter
from registrations.forms import (
    CorrectionForm,
    DeadlineFormSet,
    MovementModelFormSet,
    PaperEntryForm,
    RegistrationForm,
    ReturnForm,
    UploadForm,
)
from registrations.jobs import REGISTRATION_LIST_XLSX
from registrations.models import Registration, RegistrationDocument, Year
from registrations.requirements import document_label, facts_of, missing_items, required_documents
from units.models import Category, Role, Unit

PROGRESS_PAGE_SIZE = 50
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
    require(request.user, "registrations.view_board", commune)
    return commune


def _province(request, public_id):
    """A province whose years the person administers; deadlines and years exist for provinces only."""
    province = _unit(request, public_id)
    if province.parent_id is not None:
        raise Http404
    require(request.user, "registrations.edit_deadlines", province)
    return province


def _registration(request, public_id):
    qs = Registration.objects.select_related("unit__kind", "unit__parent", "year").prefetch_related(
        Prefetch("documents", queryset=RegistrationDocument.objects.alive().select_related("uploaded_by")),
        "movement_models",
    )
    return access.get_visible_or_404(qs, request.user, public_id=public_id)


def _year(request, unit, data=None) -> Year:
    """The year asked for in `?nam=` (or `data`'s `nam`; this year by default). A year the province has not
    opened yet is never opened here (a GET writes nothing): registrations.middleware shows who may open it."""
    this_year = services.current_year_number()
    data = request.GET if data is None else data
    try:
        number = int(data.get("nam") or this_year)
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
    messages.error(request, year.closed_message)
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
    if access.holds(request.user, Role.POLICE_CLERK):
        return _pick(request, access.home_units(request.user, Role.POLICE_CLERK), "registrations:board", "Đăng ký")
    if access.holds(request.user, Role.UNIT_HEAD):
        return mine(request)
    return progress_home(request)


@login_required
def mine(request):
    units = access.home_units(request.user, Role.UNIT_HEAD)
    return _pick(request, units, "registrations:unit", "Đăng ký của đơn vị")


@login_required
def progress_home(request):
    units = access.home_units_where(request.user, "registrations.view_progress")
    return _pick(request, units, "registrations:progress", "Tiến độ đăng ký")


# The clerk's board ---------------------------------------------------------------------------------------


@login_required
def board(request, public_id):
    commune = _commune(request, public_id)
    year = _year(request, commune)
    board_filter = BoardFilter(request.GET, queryset=queries.board_units(commune, year))
    rows = display.board_rows(list(board_filter.qs), year, request.user)
    current_sort = request.GET.get("sort", "")
    sort_links = {key: f"-{key}" if current_sort == key else key for key in SORT_KEYS}
    sort_marks = {current_sort.lstrip("-"): "▼" if current_sort.startswith("-") else "▲"} if current_sort else {}
    return render(
        request,
        "registrations/board.html",
        {
            "commune": commune,
            "year": year,
            "deadline": year.deadline_for(commune),
            "filter": board_filter,
            "filter_controls": filter_controls(board_filter.form),
            "rows": rows,
            "progress": progress.area_progress(commune, year).total,
            "counted_note": progress.COUNTED_NOTE,
            "sort_links": sort_links,
            "sort_marks": sort_marks,
            "out_of_scope": queries.out_of_scope_units(commune),
            "can_accept_any": any(u.pickable for u in rows),
        },
    )


@login_required
@require_POST
def board_accept(request, public_id):
    """Receive many submitted registrations at once; each goes through the workflow on its own."""
    commune = _commune(request, public_id)
    ids = [value for value in request.POST.getlist("registration")[: services.BULK_LIMIT] if _is_uuid(value)]
    done, refused = services.accept_many(commune=commune, public_ids=ids, user=request.user)
    if done:
        messages.success(request, f"Đã tiếp nhận {done} bản đăng ký.")
    if refused:
        messages.warning(request, f"Không tiếp nhận được {len(refused)} bản: " + " ".join(refused))
    if not done and not refused:
        messages.info(request, "Chưa chọn bản đăng ký nào. Đánh dấu các dòng «Đã nộp» rồi bấm «Tiếp nhận».")
    return redirect(f"{reverse('registrations:board', args=[commune.public_id])}?{request.POST.get('back', '')}")


@login_required
def board_pdf(request, public_id):
    """The old address of the compiled list's PDF. The list is printed by a print job, which a GET may not
    start, so this page offers the button that does (POST to certificates:print_registration_list)."""
    commune = _commune(request, public_id)
    year = _year(request, commune)
    return render(request, "registrations/board_pdf.html", {"commune": commune, "year": year})


@login_required
def board_xlsx(request, public_id):
    """The compiled list as Excel. The board's button POSTs: a commune with more units than
    PRINT_LIST_INLINE_LIMIT gets a background job (400 units take over a second), others the file at once,
    as a GET (a kept link) always does."""
    commune = _commune(request, public_id)
    year = _year(request, commune, request.POST if request.method == "POST" else request.GET)
    filename = f"danh-sach-dang-ky-{year.number}.xlsx"
    if request.method == "POST":
        units = Unit.objects.under(commune).participating().count()
        if units > settings.PRINT_LIST_INLINE_LIMIT:
            job = jobs.start(
                kind=REGISTRATION_LIST_XLSX,
                title=f"Danh sách đăng ký năm {year.number} – {commune.name} (Excel, {units} đơn vị)",
                filename=filename,
                params={"commune_id": commune.pk, "year_id": year.pk},
                user=request.user,
            )
            return redirect(jobs.page_url(job))
    return _xlsx(exports.list_workbook(commune, year), filename)


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
    require(request.user, permission, unit)
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
    formset = _movement_models(request, unit, Registration())
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        submit = "submit" in request.POST
        try:
            registration = services.register(
                unit=unit,
                year=year,
                user=request.user,
                values=form.registration_values(),
                documents=list(form.uploads()),
                movement_models=formset,
                rules=form.chosen_rules() if form.rules else None,
                submit=submit,
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Đã nộp bản đăng ký." if submit else "Đã lưu bản nháp đăng ký.")
            return redirect("registrations:detail", registration.public_id)
    return render(
        request,
        "registrations/form.html",
        {
            "unit": unit,
            "year": year,
            "form": form,
            "formset": formset,
            "creating": True,
            "late_notice": services.late_notice(unit, year),
        },
    )


def _movement_models(request, unit, registration):
    """The movement-model rows of the form, for the kinds that must run one (None for the others)."""
    if not unit.kind.requires_movement_model:
        return None
    return MovementModelFormSet(request.POST or None, prefix="models", instance=registration)


@login_required
def edit(request, public_id):
    registration = _registration(request, public_id)
    require(request.user, "registrations.edit_registration", registration)
    if _closed(request, registration.year):
        return redirect("registrations:detail", registration.public_id)
    unit = registration.unit
    form = RegistrationForm(request.POST or None, request.FILES or None, instance=registration, unit=unit)
    formset = _movement_models(request, unit, registration)
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            services.edit_registration(
                registration=registration,
                user=request.user,
                values=form.registration_values(),
                documents=list(form.uploads()),
                movement_models=formset,
                rules=form.chosen_rules() if form.rules else None,
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Đã lưu bản đăng ký.")
        return redirect("registrations:detail", registration.public_id)
    return render(
        request,
        "registrations/form.html",
        {"unit": unit, "year": registration.year, "form": form, "formset": formset, "registration": registration},
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
        try:
            services.enter_paper(
                unit=unit,
                year=year,
                user=request.user,
                values=form.registration_values(),
                movement_model=form.cleaned_data.get("movement_model", ""),
                accept=form.cleaned_data.get("accept_now", False),
                rules=form.chosen_rules(),
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Đã nhập bản đăng ký giấy của {unit.name}.")
            following = queries.next_unregistered(commune, year) if "next" in request.POST else None
            if following is not None:
                return redirect(f"{reverse('registrations:paper', args=[following.public_id])}?nam={year.number}")
            return redirect(f"{reverse('registrations:board', args=[commune.public_id])}?nam={year.number}")
    return render(request, "registrations/paper.html", {"unit": unit, "year": year, "form": form, "commune": commune})


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
            "late_notice": services.late_notice(unit, registration.year)
            if not registration.on_paper and any(t.target == Registration.Status.SUBMITTED for t in actions)
            else "",
            "late_consequence": services.LATE_CONSEQUENCE,
        },
    )


@login_required
def correct(request, public_id):
    """The clerk corrects a filed registration's date and counts, with a reason and a proof."""
    registration = _registration(request, public_id)
    require(request.user, "registrations.correct", registration)
    form = CorrectionForm(request.POST or None, request.FILES or None, registration=registration)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_registration(registration=registration, user=request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Đã điều chỉnh bản đăng ký của {registration.unit.name}.")
            return redirect("registrations:detail", registration.public_id)
    return render(
        request,
        "registrations/correct.html",
        {
            "registration": registration,
            "unit": registration.unit,
            "year": registration.year,
            "form": form,
            "deadline": registration.year.deadline_for(registration.unit),
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
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        # By the action, not the state this page read: the row may have moved before the lock was taken.
        messages.success(request, f"{workflow.LABELS[action]}: {registration.unit.name}.")
    return redirect("registrations:detail", registration.public_id)


@login_required
@require_POST
def upload(request, public_id):
    registration = _registration(request, public_id)
    require(request.user, "registrations.edit_registration", registration)
    form = UploadForm(request.POST, request.FILES, unit=registration.unit)
    if form.is_valid():
        try:
            stored = services.add_documents(
                registration=registration,
                doc_type=form.cleaned_data["doc_type"],
                files=form.cleaned_data["files"],
                user=request.user,
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
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
    require(request.user, "registrations.view_files", document.registration.unit)
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
    require(request.user, "registrations.edit_registration", document.registration)
    try:
        services.remove_document(document=document, user=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
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
    """The area's figures, its children's (none for a commune: its units are listed instead) and the units
    not yet registered or late (a commune only; above it the children lead there)."""
    if unit.kind.category == Category.COMMUNE:
        return progress.area_progress(unit, year), None, progress.laggards(unit, year)
    figures, children = progress.area_and_children(unit, year.number)
    return figures, children, None


@login_required
def progress_page(request, public_id):
    unit = _unit(request, public_id)
    require(request.user, "registrations.view_progress", unit)
    year = _year(request, unit)
    figures, children, laggards = _progress(unit, year)
    rows = children if children is not None else laggards
    page = Paginator(rows, PROGRESS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registrations/progress.html",
        {
            "unit": unit,
            "year": year,
            "figures": figures,
            "counted_note": progress.COUNTED_NOTE,
            "children": children is not None,
            "page": page,
            "ancestors": [a for a in unit.ancestors() if access.sees(request.user, a)],
        },
    )


@login_required
def progress_xlsx(request, public_id):
    unit = _unit(request, public_id)
    require(request.user, "registrations.view_progress", unit)
    year = _year(request, unit)
    figures, children, laggards = _progress(unit, year)
    return _xlsx(
        exports.progress_workbook(unit, year, figures, children, laggards), f"tien-do-dang-ky-{year.number}.xlsx"
    )


@login_required
def deadlines(request, public_id):
    """The province's dates for a year; communes inherit them."""
    province = _province(request, public_id)
    year = _year(request, province)
    formset = DeadlineFormSet(request.POST or None, queryset=year.deadlines.filter(commune=None))
    if request.method == "POST" and formset.is_valid():
        values = {form.instance.pk: {name: form.cleaned_data[name] for name in form.changed_data} for form in formset}
        services.save_deadlines(year=year, user=request.user, values=values)
        messages.success(request, f"Đã lưu mốc thời gian năm {year.number}.")
        return redirect(f"{reverse('registrations:deadlines', args=[province.public_id])}?nam={year.number}")
    return render(request, "registrations/deadlines.html", {"province": province, "year": year, "formset": formset})


@login_required
@require_POST
def open_year(request, public_id):
    """The administrator opens another evaluation year of the province (up to next year)."""
    province = _province(request, public_id)
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
