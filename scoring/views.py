"""Scoring pages: a dossier's score sheet (both scores side by side), entering a score, its PDF, the
classification list and the candidates for awards and for điển hình, with their Excel exports."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ansinh import access, xlsx
from ansinh.errors import Refused
from ansinh.pdf import pdf_response
from dossiers.models import Dossier
from registrations.models import Year
from scoring import exports, services
from scoring.classification import BANDS, BY_CODE, format_points
from scoring.forms import ListFilterForm, ScoreForm
from scoring.models import SheetKind
from scoring.rules import ENTERS_NOW, WHO_ENTERS
from units.models import Category, Unit

KIND_SLUGS = {"tu-cham": SheetKind.SELF, "tham-dinh": SheetKind.REVIEW}
PAGE_SIZE = 100


def _dossier(request, public_id):
    return access.get_visible_or_404(
        Dossier.objects.select_related("unit__kind", "unit__parent", "year", "decision"),
        request.user,
        public_id=public_id,
    )


def _band_json():
    """The bands for the running total in the browser, from the one table in scoring.classification."""
    return [{"from": float(b.lower), "label": b.label, "colour": b.colour} for b in BANDS]


@login_required
def sheet(request, public_id):
    dossier = _dossier(request, public_id)
    try:
        table = services.sheet_table(dossier)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:detail", dossier.public_id)
    return render(
        request,
        "scoring/sheet.html",
        {
            "dossier": dossier,
            "table": table,
            "can_self": request.user.has_perm("scoring.enter_self_score", dossier),
            "can_review": request.user.has_perm("scoring.enter_review_score", dossier),
        },
    )


@login_required
def sheet_enter(request, public_id, kind_slug):
    dossier = _dossier(request, public_id)
    kind = KIND_SLUGS.get(kind_slug)
    if kind is None:
        raise Http404
    if not request.user.has_perm(WHO_ENTERS[kind], dossier):
        raise PermissionDenied("Bạn không có quyền chấm điểm hồ sơ này.")
    try:
        table = services.sheet_table(dossier)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:detail", dossier.public_id)
    items = [row.item for group in table.groups for row in group.rows]
    attribute = "self_points" if kind == SheetKind.SELF else "review_points"
    existing = {
        row.item.pk: getattr(row, attribute)
        for group in table.groups
        for row in group.rows
        if getattr(row, attribute) is not None
    }
    compare = (
        {row.item.pk: row.self_points for group in table.groups for row in group.rows}
        if kind == SheetKind.REVIEW
        else {}
    )
    form = ScoreForm(request.POST or None, items=items, initial_points=existing, compare_points=compare)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.enter_scores(dossier=dossier, kind=kind, user=request.user, points=form.points())
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            band = saved.band
            messages.success(
                request, f"Đã lưu {kind.label.lower()}: {format_points(saved.total)} điểm, xếp loại {band.label}."
            )
            return redirect("scoring:sheet", dossier.public_id)
    return render(
        request,
        "scoring/sheet_form.html",
        {
            "dossier": dossier,
            "kind": kind,
            "form": form,
            "table": table,
            "is_open": request.user.has_perm(ENTERS_NOW[kind], dossier),
            "bands_json": json.dumps(_band_json()),
        },
    )


@login_required
def sheet_pdf(request, public_id):
    dossier = _dossier(request, public_id)
    try:
        table = services.sheet_table(dossier)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:detail", dossier.public_id)
    filename = f"bang-cham-diem-{dossier.year.number}-{dossier.public_id.hex[:8]}.pdf"
    return pdf_response("pdf/score_sheet.html", exports.sheet_pdf_context(dossier, table), filename)


def _list_filters(request):
    """The year, commune and band the lists are filtered by; the newest visible year by default."""
    provinces = {g.path[:6] for g in access.grants(request.user)}
    years = Year.objects.all() if request.user.is_superuser else Year.objects.filter(province__path__in=provinces)
    numbers = sorted(set(years.values_list("number", flat=True)), reverse=True) or [timezone.localdate().year]
    communes = list(
        access.scope(Unit.objects.filter(kind__category=Category.COMMUNE), request.user, unit_field="").order_by("name")
    )
    form = ListFilterForm(request.GET or None, years=numbers, communes=communes)
    data = form.cleaned_data if form.is_valid() else {}
    number = data.get("year") or numbers[0]
    commune = next((c for c in communes if c.pk == data.get("commune")), None)
    scope_name = commune.name if commune else ", ".join(u.name for u in access.home_units(request.user)[:3])
    return form, number, commune, data.get("band") or "", scope_name


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=xlsx.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def classification_list(request):
    form, number, commune, band_code, scope_name = _list_filters(request)
    dossiers = services.scored_dossiers(request.user, number, commune=commune)
    counts = services.band_counts(dossiers)
    if band_code == "unscored":
        dossiers = dossiers.filter(review_total__isnull=True)
    elif band_code in BY_CODE:
        dossiers = dossiers.filter(services.band_q(BY_CODE[band_code]))
    if request.GET.get("xuat") == "excel":
        content = exports.classification_workbook(services.rows(dossiers), number, scope_name)
        return _xlsx(content, f"xep-loai-{number}.xlsx")
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scoring/classification_list.html",
        {
            "form": form,
            "number": number,
            "page": page,
            "rows": services.rows(page.object_list),
            "counts": [(band, counts[band.code]) for band in BANDS],
            "unscored": counts["unscored"],
            "scope_name": scope_name,
        },
    )


CANDIDATE_LISTS = {
    "khen-thuong": (
        services.award_candidates,
        "Đơn vị có thể đề nghị khen thưởng",
        "Đơn vị xếp loại Khá trở lên theo điểm thẩm định; đơn vị Xuất sắc nhiều năm liền là đề nghị Bằng khen "
        "tự nhiên. Việc công nhận vẫn cần đạt đủ các tiêu chí.",
    ),
    "dien-hinh": (
        services.model_unit_candidates,
        "Đơn vị có thể chọn làm điển hình",
        "Đơn vị đã được công nhận đạt tiêu chuẩn trong năm và xếp loại Khá trở lên.",
    ),
}


@login_required
def candidates(request, list_slug):
    if list_slug not in CANDIDATE_LISTS:
        raise Http404
    query, title, explanation = CANDIDATE_LISTS[list_slug]
    form, number, commune, _, scope_name = _list_filters(request)
    if "band" in form.fields:
        del form.fields["band"]
    dossiers = query(request.user, number, commune=commune)
    if request.GET.get("xuat") == "excel":
        content = exports.candidates_workbook(services.with_streaks(dossiers, number), number, scope_name, title)
        return _xlsx(content, f"{list_slug}-{number}.xlsx")
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scoring/candidates.html",
        {
            "form": form,
            "number": number,
            "page": page,
            "rows": services.with_streaks(page.object_list, number),
            "title": title,
            "explanation": explanation,
            "list_slug": list_slug,
            "scope_name": scope_name,
        },
    )
