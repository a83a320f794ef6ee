"""The unit browser (province → commune → its units), unit pages, and the Excel import of a commune's units."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ansinh import access, audit
from units import importing, lineage, lineage_views
from units.filters import UnitFilter
from units.forms import ImportUploadForm, UnitForm
from units.models import Unit

PAGE_SIZE = 50


def _get_unit(request, public_id):
    return access.get_visible_or_404(
        Unit.objects.select_related("kind", "parent"), request.user, unit_field="", public_id=public_id
    )


def _require(request, perm, obj):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


@login_required
def browse(request):
    """Start at the top of the person's jurisdiction."""
    tops = list(access.home_units(request.user))
    if request.user.is_superuser and not tops:
        tops = list(Unit.objects.filter(parent=None).select_related("kind"))
    if len(tops) == 1:
        return redirect("units:detail", tops[0].public_id)
    return render(request, "units/browse.html", {"tops": tops})


@login_required
def detail(request, public_id):
    unit = _get_unit(request, public_id)
    children = (
        access.scope(unit.children.all(), request.user, unit_field="")
        .select_related("kind")
        .annotate(
            n_children=Count("children", filter=Q(children__archived_at__isnull=True)),
        )
        .filter(archived_at__isnull=True)
        .order_by("kind__sort_order", "name")
    )
    unit_filter = UnitFilter(request.GET, queryset=children)
    page = Paginator(unit_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ancestors = [(a, access.sees(request.user, a)) for a in unit.ancestors()]
    return render(
        request,
        "units/detail.html",
        {
            "unit": unit,
            "filter": unit_filter,
            "page": page,
            "ancestors": ancestors,
            "lineage": lineage.for_unit_page(unit),
            "lineage_form": lineage_views.form_for(unit, request.user),
        },
    )


@login_required
def edit(request, public_id):
    unit = _get_unit(request, public_id)
    _require(request, "units.change_unit", unit)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            changed = ", ".join(form.fields[f].label for f in form.changed_data)
            form.save()
            audit.record(unit, actor=request.user, action="edit", label="Sửa thông tin đơn vị", reason=changed)
        messages.success(request, f"Đã lưu thông tin {unit.name}.")
        return redirect("units:detail", unit.public_id)
    return render(request, "units/form.html", {"form": form, "unit": unit, "parent": unit.parent})


@login_required
def add_child(request, public_id):
    parent = _get_unit(request, public_id)
    _require(request, "units.add_child", parent)
    form = UnitForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            unit = form.save()
            audit.record(unit, actor=request.user, action="create", label="Thêm đơn vị")
        messages.success(request, f"Đã thêm {unit.name} vào {parent.name}.")
        if "save_and_add" in request.POST:
            return redirect("units:add_child", parent.public_id)
        return redirect("units:detail", parent.public_id)
    return render(request, "units/form.html", {"form": form, "parent": parent})


@login_required
@require_POST
def archive(request, public_id):
    """Units are never deleted: their registrations and dossiers stay readable."""
    unit = _get_unit(request, public_id)
    _require(request, "units.change_unit", unit)
    if unit.parent is None:
        messages.error(request, "Không thể ngừng theo dõi đơn vị cấp cao nhất.")
        return redirect("units:detail", unit.public_id)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, "Vui lòng ghi lý do ngừng theo dõi đơn vị (ví dụ: sáp nhập, giải thể).")
        return redirect("units:edit", unit.public_id)
    with transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(archived_at=timezone.now())
        audit.record(unit, actor=request.user, action="archive", label="Ngừng theo dõi đơn vị", reason=reason)
    messages.success(request, f"Đã ngừng theo dõi {unit.name}.")
    return redirect("units:detail", unit.parent.public_id)


@login_required
def import_template(request, public_id):
    commune = _get_unit(request, public_id)
    _require(request, "units.add_child", commune)
    response = HttpResponse(
        importing.build_template(commune),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi.xlsx"'
    return response


@login_required
def import_upload(request, public_id):
    """Upload → every row checked → preview; nothing is written until the clerk confirms."""
    commune = _get_unit(request, public_id)
    _require(request, "units.add_child", commune)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importing.parse(form.cleaned_data["file"], commune)
        if result.ok:
            request.session[_session_key(commune)] = result.as_session()
    return render(request, "units/import.html", {"commune": commune, "form": form, "result": result})


@login_required
@require_POST
def import_confirm(request, public_id):
    commune = _get_unit(request, public_id)
    _require(request, "units.add_child", commune)
    stored = request.session.pop(_session_key(commune), None)
    if stored is None:
        messages.error(request, "Phiên nhập đã hết hạn. Vui lòng tải tệp lên lại.")
        return redirect("units:import", commune.public_id)
    try:
        created, updated = importing.apply(commune, stored, actor=request.user)
    except importing.ImportRejected as exc:
        messages.error(request, str(exc))
        return redirect("units:import", commune.public_id)
    messages.success(request, f"Đã nhập {created} đơn vị mới, cập nhật {updated} đơn vị của {commune.name}.")
    return redirect(reverse("units:detail", args=[commune.public_id]))


def _session_key(commune):
    return f"unit-import:{commune.public_id}"
