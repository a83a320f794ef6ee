"""The unit browser (province → commune → its units), unit pages, and the Excel import of a commune's units."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ansinh import access
from ansinh.access import require
from ansinh.errors import Refused
from ansinh.text import clean
from units import importing, lineage, lineage_views, services
from units.filters import UnitFilter
from units.forms import ImportUploadForm, UnitForm
from units.models import Role, RoleAssignment, Unit

PAGE_SIZE = 50


def _get_unit(request, public_id):
    return access.get_visible_or_404(
        Unit.objects.select_related("kind", "parent"), request.user, unit_field="", public_id=public_id
    )


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
            "lineage": lineage.for_unit_page(unit, request.user),
            "lineage_form": lineage_views.form_for(unit, request.user),
        },
    )


@login_required
def edit(request, public_id):
    unit = _get_unit(request, public_id)
    require(request.user, "units.change_unit", unit)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_unit(unit=form.save(commit=False), user=request.user)
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect("units:detail", unit.public_id)
        messages.success(request, f"Đã lưu thông tin {unit.name}.")
        return redirect("units:detail", unit.public_id)
    return render(request, "units/form.html", {"form": form, "unit": unit, "parent": unit.parent})


@login_required
def add_child(request, public_id):
    parent = _get_unit(request, public_id)
    require(request.user, "units.add_child", parent)
    form = UnitForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(unit=form.save(commit=False), user=request.user)
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect("units:detail", parent.public_id)
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
    require(request.user, "units.change_unit", unit)
    try:
        services.archive_unit(unit=unit, user=request.user, reason=request.POST.get("reason", ""))
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("units:edit" if unit.parent else "units:detail", unit.public_id)
    messages.success(request, f"Đã ngừng theo dõi {unit.name}.")
    return redirect("units:detail", unit.parent.public_id)


@login_required
def import_template(request, public_id):
    commune = _get_unit(request, public_id)
    require(request.user, "units.add_child", commune)
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
    require(request.user, "units.add_child", commune)
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
    require(request.user, "units.add_child", commune)
    stored = request.session.pop(_session_key(commune), None)
    if stored is None:
        messages.error(request, "Phiên nhập đã hết hạn. Vui lòng tải tệp lên lại.")
        return redirect("units:import", commune.public_id)
    try:
        created, updated = importing.apply(commune, stored, actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("units:import", commune.public_id)
    messages.success(request, f"Đã nhập {created} đơn vị mới, cập nhật {updated} đơn vị của {commune.name}.")
    return redirect(reverse("units:detail", args=[commune.public_id]))


def _session_key(commune):
    return f"unit-import:{commune.public_id}"


def _administered(request, public_id):
    try:
        return services.administered_units(request.user).select_related("kind", "parent").get(public_id=public_id)
    except (Unit.DoesNotExist, ValidationError) as exc:
        raise Http404 from exc


@login_required
def move(request):
    """Change a unit's managing unit: find both by name, pick, confirm."""
    require(request.user, "ansinh.administer")
    if request.method == "POST":
        unit = _administered(request, request.POST.get("unit", ""))
        new_parent = _administered(request, request.POST.get("new_parent", ""))
        try:
            services.move_unit(
                unit=unit, new_parent=new_parent, actor=request.user, reason=request.POST.get("reason", "")
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Đã chuyển {unit.name} sang {new_parent.name}.")
            return redirect("units:detail", unit.public_id)
    q_unit, q_parent = request.GET.get("don_vi", ""), request.GET.get("cap_tren", "")
    context = {
        "q_unit": q_unit,
        "q_parent": q_parent,
        "units": services.search_units(request.user, q_unit),
        "parents": services.search_units(request.user, q_parent, administrative=True),
    }
    return render(request, "units/move.html", context)


@login_required
def roles(request):
    """Grant a role: find the person and the unit by name; the grants at the units found are listed."""
    require(request.user, "ansinh.administer")
    if request.method == "POST":
        unit = _administered(request, request.POST.get("unit", ""))
        try:
            user = services.user_by_username(request.POST.get("user", ""))
            services.grant_role(
                user=user,
                role=request.POST.get("role", ""),
                unit=unit,
                title=clean(request.POST.get("title", "")),
                actor=request.user,
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Đã phân quyền cho {user.get_username()} tại {unit.name}.")
            return redirect(f"{reverse('units:roles')}?don_vi={quote(unit.name)}")
    q_user, q_unit = request.GET.get("nguoi", ""), request.GET.get("don_vi", "")
    units = services.search_units(request.user, q_unit)
    assignments = (
        RoleAssignment.objects.filter(unit__in=[u.pk for u in units], is_active=True)
        .select_related("user", "unit")
        .order_by("unit__path", "role", "user__username")
    )
    context = {
        "q_user": q_user,
        "q_unit": q_unit,
        "users": services.search_users(q_user),
        "units": units,
        "assignments": assignments,
        "roles": Role.choices,
    }
    return render(request, "units/roles.html", context)


@login_required
@require_POST
def role_revoke(request, pk):
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "unit").filter(
            unit__in=services.administered_units(request.user), is_active=True
        ),
        pk=pk,
    )
    try:
        services.revoke_role(assignment=assignment, actor=request.user, reason=request.POST.get("reason", ""))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Đã thu hồi quyền của {assignment.user.get_username()} tại {assignment.unit.name}.")
    return redirect(f"{reverse('units:roles')}?don_vi={quote(assignment.unit.name)}")
