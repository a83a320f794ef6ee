"""The dashboard of a jurisdiction for a year (drill-down: country → province → commune → unit) and the
year-end report with its Excel and PDF. Numbers come from reports.figures; every number links to the list
behind it. URLs of the rows are built here once, not by a tag per row."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from ansinh import access
from ansinh.pdf import pdf_response
from ansinh.replica import reads_from_replica
from registrations import progress
from registrations.services import current_year_number
from reports import exports
from reports.figures import NATIONAL_CACHE_SECONDS, figures, national_figures
from scoring.services import area_classification
from units.models import MANAGED_CATEGORIES, Unit

PAGE_SIZE = 50
FIRST_YEAR = 2000


def _year_number(request) -> int:
    this_year = current_year_number()
    try:
        number = int(request.GET.get("nam") or this_year)
    except ValueError as exc:
        raise Http404 from exc
    if not FIRST_YEAR <= number <= this_year + 1:
        raise Http404
    return number


def _area(request, public_id):
    area = access.get_visible_or_404(
        Unit.objects.select_related("kind", "parent"), request.user, unit_field="", public_id=public_id
    )
    if area.kind.category in MANAGED_CATEGORIES:
        raise Http404
    if not request.user.has_perm("reports.view_dashboard", area):
        raise PermissionDenied("Bạn không có quyền xem thống kê của đơn vị này.")
    return area


def _links(area, number):
    """Builders of the URLs behind the numbers, for `area` (None: the whole country)."""
    dossiers = reverse("dossiers:list")

    def dossier_list(unit=area, status=""):
        query = {"nam": number, "khu_vuc": unit.public_id if unit else "", "status": status}
        return f"{dossiers}?{urlencode({k: v for k, v in query.items() if v})}"

    def drill(unit):
        if unit.kind.category in MANAGED_CATEGORIES:
            return reverse("registrations:unit", args=[unit.public_id]) + f"?nam={number}"
        return reverse("reports:dashboard", args=[unit.public_id]) + f"?nam={number}"

    def progress_page(unit=area):
        return reverse("registrations:progress", args=[unit.public_id]) + f"?nam={number}" if unit else ""

    return dossier_list, drill, progress_page


def _render_dashboard(request, area, number):
    computed_at = None
    if area is None:
        # One pass over the whole country: shared by every superuser for a few minutes.
        data, classification, computed_at = national_figures(number, timezone.localdate())
    else:
        data, classification = figures(area, number, timezone.localdate()), area_classification(area, number)
    page = Paginator(data.lines, PAGE_SIZE).get_page(request.GET.get("page"))
    dossier_list, drill, progress_page = _links(area, number)
    for line in page:
        line.url = drill(line.unit)
        line.progress_url = progress_page(line.unit) if line.unit.kind.category not in MANAGED_CATEGORIES else line.url
        line.dossiers_url = dossier_list(line.unit) if line.unit.kind.category not in MANAGED_CATEGORIES else line.url
    states, offset = [], 0
    for s, label, n, pct in data.dossier_states:
        states.append((s, label, n, pct, dossier_list(status=s), offset))
        offset += pct
    ancestors = [a for a in area.ancestors() if access.sees(request.user, a)] if area else []
    return render(
        request,
        "reports/dashboard.html",
        {
            "area": area,
            "year_number": number,
            "years": [number - 1, number + 1] if number < current_year_number() + 1 else [number - 1],
            "data": data,
            "page": page,
            "states": states,
            "ancestors": ancestors,
            "national": request.user.is_superuser,
            "counted_note": progress.COUNTED_NOTE,
            "progress_url": progress_page(),
            "dossiers_url": dossier_list(),
            "recognised_url": dossier_list(status="recognised"),
            "review_url": dossier_list(status="submitted"),
            "decision_url": dossier_list(status="recommended"),
            "no_dossier_url": dossier_list(status="draft"),
            "classification": classification,
            "computed_at": computed_at,
            "cache_minutes": NATIONAL_CACHE_SECONDS // 60,
        },
    )


@login_required
def index(request):
    """The menu entry: the country for a superuser, else the person's own jurisdiction (or a choice)."""
    if request.user.is_superuser:
        return redirect("reports:national")
    units = [
        u
        for u in access.home_units_where(request.user, "reports.view_dashboard")
        if u.kind.category not in MANAGED_CATEGORIES
    ]
    if len(units) == 1:
        return redirect("reports:dashboard", units[0].public_id)
    return render(
        request, "registrations/pick.html", {"units": units, "url_name": "reports:dashboard", "title": "Thống kê"}
    )


@login_required
@reads_from_replica
def national(request):
    if not request.user.is_superuser:
        raise Http404
    return _render_dashboard(request, None, _year_number(request))


@login_required
@reads_from_replica
def dashboard(request, public_id):
    return _render_dashboard(request, _area(request, public_id), _year_number(request))


def _report(request, public_id):
    area = _area(request, public_id)
    number = _year_number(request)
    today = timezone.localdate()
    return area, number, exports.report_context(area, figures(area, number, today), figures(area, number - 1, today))


@login_required
@reads_from_replica
def report(request, public_id):
    area, number, context = _report(request, public_id)
    return render(request, "reports/report.html", {**context, "year_number": number})


@login_required
@reads_from_replica
def report_xlsx(request, public_id):
    area, number, context = _report(request, public_id)
    response = HttpResponse(exports.report_workbook(context), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-ket-qua-{number}.xlsx"'
    return response


@login_required
@reads_from_replica
def report_pdf(request, public_id):
    area, number, context = _report(request, public_id)
    return pdf_response("pdf/year_report.html", exports.pdf_context(context), f"bao-cao-ket-qua-{number}.pdf")
