"""Dossier pages: list, detail with documents, minutes, checklist and timeline; the review desk;
decisions and their PDF; incidents. Every object is fetched through the access layer."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ansinh import access, audit, uploads
from ansinh.access import require
from ansinh.errors import Refused
from dossiers import bundle, printing, queues, services, signing
from dossiers.criteria import checklist, checklists
from dossiers.filters import DossierFilter, IncidentFilter
from dossiers.forms import (
    AttendeeFormSet,
    CommentForm,
    CriteriaForm,
    DecisionForm,
    DocumentForm,
    DossierCreateForm,
    IncidentForm,
    MinutesForm,
    RequestForm,
)
from dossiers.models import (
    Decision,
    Dossier,
    DossierStatus,
    Incident,
    MeetingMinutes,
)
from dossiers.workflow import buttons, overdue_notice, transition
from registrations.models import Year
from units.models import Category, Role, Unit

PAGE_SIZE = 50


def _dossier(request, public_id, queryset=None):
    queryset = (
        queryset if queryset is not None else Dossier.objects.select_related("unit__kind", "unit__parent", "year")
    )
    try:
        return access.scope_any(queryset, request.user, *queues.DOSSIER_PLACES).get(public_id=public_id)
    except Dossier.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def dossier_list(request):
    dossiers = access.scope_any(
        Dossier.objects.with_deadlines().select_related("unit__kind", "unit__parent", "year"),
        request.user,
        *queues.DOSSIER_PLACES,
    )
    dossier_filter = DossierFilter(request.GET, queryset=dossiers)
    page = Paginator(dossier_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    units = services.units_ready_for_dossier(request.user)
    create_form = DossierCreateForm(units=units) if units.exists() else None
    return render(request, "dossiers/list.html", {"filter": dossier_filter, "page": page, "create_form": create_form})


@login_required
@require_POST
def dossier_create(request):
    form = DossierCreateForm(request.POST, units=services.units_ready_for_dossier(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["unit"]))
        return redirect("dossiers:list")
    unit = form.cleaned_data["unit"]
    try:
        dossier = services.open_dossier(unit=unit, year=services.open_year_for(unit), user=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:list")
    messages.success(request, f"Đã lập hồ sơ đề nghị công nhận của {unit}. Hãy tải lên tờ trình, báo cáo và biên bản.")
    return redirect("dossiers:detail", dossier.public_id)


@login_required
def dossier_detail(request, public_id):
    dossier = _dossier(request, public_id, Dossier.objects.with_facts())
    user = request.user
    result = checklist(dossier)
    can_confirm = user.has_perm("dossiers.confirm_criteria", dossier)
    minutes = MeetingMinutes.objects.filter(dossier=dossier).prefetch_related("attendees").first()
    criteria_form = CriteriaForm(items=result.items) if can_confirm else None
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "documents": dossier.documents.alive().select_related("uploaded_by"),
            "minutes": minutes,
            "checklist": result,
            "criteria_form": criteria_form,
            "criteria_rows": criteria_form.rows(result.items)
            if criteria_form
            else [(i, None, None) for i in result.items],
            "actions": buttons(dossier, user, result),
            "overdue_notice": overdue_notice(dossier),
            "can_upload": user.has_perm("dossiers.upload", dossier),
            "upload_form": DocumentForm(),
            "request_form": RequestForm(
                initial={"request_number": dossier.request_number, "request_date": dossier.request_date}
            ),
            "can_comment": user.has_perm("dossiers.comment", dossier),
            "comment_form": CommentForm(),
            "timeline": services.timeline(dossier),
        },
    )


@login_required
@require_POST
def dossier_transition(request, public_id):
    dossier = _dossier(request, public_id)
    action = request.POST.get("action", "")
    try:
        dossier = transition(dossier, action, request.user, reason=request.POST.get("reason", ""))
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Hồ sơ của {dossier.unit}: {dossier.get_status_display()}.")
    return redirect("dossiers:detail", dossier.public_id)


@login_required
@require_POST
def document_upload(request, public_id):
    dossier = _dossier(request, public_id)
    require(request.user, "dossiers.upload", dossier)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        doc = services.add_document(
            dossier=dossier, doc=form.save(commit=False), upload=form.cleaned_data["file"], user=request.user
        )
        messages.success(request, f"Đã tải lên «{doc.original_name}».")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("dossiers:detail", dossier.public_id)


@login_required
def document_file(request, public_id, document_id):
    dossier = _dossier(request, public_id)
    doc = get_object_or_404(dossier.documents.alive(), public_id=document_id)
    # Reading a private document is worth a line in the trail (who read what, from where).
    audit.record(doc, actor=request.user, unit=dossier.unit, action="download", label=f"Tải xuống: {doc.original_name}")
    return uploads.serve(doc, inline=request.GET.get("xem") == "1")


@login_required
@require_POST
def document_delete(request, public_id, document_id):
    dossier = _dossier(request, public_id)
    require(request.user, "dossiers.upload", dossier)
    doc = get_object_or_404(dossier.documents.alive(), public_id=document_id)
    services.delete_document(doc=doc, user=request.user)
    messages.success(request, f"Đã xóa «{doc.original_name}» khỏi hồ sơ.")
    return redirect("dossiers:detail", dossier.public_id)


@login_required
def minutes_edit(request, public_id):
    dossier = _dossier(request, public_id)
    require(request.user, "dossiers.upload", dossier)
    minutes = MeetingMinutes.objects.filter(dossier=dossier).first() or MeetingMinutes(dossier=dossier)
    form = MinutesForm(request.POST or None, request.FILES or None, instance=minutes)
    formset = AttendeeFormSet(request.POST or None, instance=minutes, prefix="attendees")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.save_minutes(
                dossier=dossier,
                minutes=form.save(commit=False),
                attendees=formset,
                scan=form.cleaned_data.get("scan"),
                user=request.user,
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Đã lưu biên bản cuộc họp.")
        return redirect("dossiers:detail", dossier.public_id)
    return render(request, "dossiers/minutes_form.html", {"dossier": dossier, "form": form, "formset": formset})


@login_required
@require_POST
def request_record(request, public_id):
    dossier = _dossier(request, public_id)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            services.record_request(
                dossier=dossier,
                user=request.user,
                number=form.cleaned_data["request_number"],
                day=form.cleaned_data["request_date"],
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Đã lưu số, ngày tờ trình.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("dossiers:detail", dossier.public_id)


@login_required
@require_POST
def criteria_confirm(request, public_id):
    dossier = _dossier(request, public_id, Dossier.objects.with_facts())
    require(request.user, "dossiers.confirm_criteria", dossier)
    form = CriteriaForm(request.POST, items=checklist(dossier).items)
    if form.is_valid():
        services.confirm_criteria(dossier=dossier, user=request.user, answers=form.answers())
        messages.success(request, "Đã lưu kết quả thẩm định các tiêu chí.")
    else:
        messages.error(request, "Chưa lưu: ghi rõ lý do cho mỗi tiêu chí đánh giá không đạt.")
    return redirect("dossiers:detail", dossier.public_id)


@login_required
@require_POST
def comment_add(request, public_id):
    dossier = _dossier(request, public_id)
    require(request.user, "dossiers.comment", dossier)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(dossier=dossier, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Đã gửi ý kiến.")
    else:
        messages.error(request, "Ý kiến không được để trống.")
    return redirect("dossiers:detail", dossier.public_id)


@login_required
def dossier_bundle(request, public_id):
    """One unit's year as a zip, built while the person waits (a unit's files are a few; a commune's whole
    year is a background job, `commune_bundle`)."""
    dossier = _dossier(request, public_id, Dossier.objects.select_related("unit__kind", "unit__parent", "year"))
    require(request.user, "dossiers.download_bundle", dossier.unit)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    bundle.write_unit_bundle(out, dossier=dossier, user=request.user)
    out.seek(0)
    label = f"Tải xuống: hồ sơ lưu trữ năm {dossier.year.number} của {dossier.unit.name}"
    audit.record(dossier, actor=request.user, unit=dossier.unit, action="download", label=label)
    response = FileResponse(
        out, as_attachment=True, filename=bundle.unit_filename(dossier), content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def commune_bundle(request, public_id):
    """A commune's whole year (one folder per unit) as a zip, built by the worker with a progress page."""
    commune = access.get_visible_or_404(
        Unit.objects.select_related("kind", "parent"), request.user, unit_field="", public_id=public_id
    )
    if commune.kind.category != Category.COMMUNE:
        raise Http404
    require(request.user, "dossiers.download_bundle", commune)
    try:
        year = Year.objects.for_unit(commune, int(request.POST.get("nam", "")))
    except (ValueError, Year.DoesNotExist) as exc:
        raise Http404 from exc
    job = services.start_commune_bundle(commune=commune, year=year, user=request.user)
    return redirect("certificates:job", job.public_id)


@login_required
def review_desk(request):
    """Dossiers submitted to the levels where I sit in the standing office (or chair), oldest deadline first."""
    levels = access.home_units(request.user, Role.STEERING_OFFICE, Role.CHAIRMAN)
    waiting = list(
        queues.at_desk(Dossier.objects.with_facts(), request.user, Role.STEERING_OFFICE, Role.CHAIRMAN)
        .filter(status__in=[DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW, DossierStatus.RECOMMENDED])
        .by_due_date()
    )
    results = checklists(waiting)
    rows = [(d, results[d.pk]) for d in waiting]
    return render(request, "dossiers/review_desk.html", {"rows": rows, "levels": levels})


@login_required
def decision_list(request):
    decisions = access.scope(Decision.objects.select_related("issuer", "year"), request.user, unit_field="issuer")
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    issuers = access.home_units(request.user, Role.CHAIRMAN)
    return render(request, "dossiers/decision_list.html", {"page": page, "issuers": issuers})


@login_required
def decision_create(request, issuer_id):
    issuer = get_object_or_404(access.home_units(request.user, Role.CHAIRMAN), public_id=issuer_id)
    require(request.user, "dossiers.issue_decision", issuer)
    candidates = (
        Dossier.objects.recommended_at(issuer).with_deadlines().select_related("unit", "year").order_by("unit__name")
    )
    initial = {**services.decision_defaults(issuer=issuer, user=request.user), "dossiers": list(candidates)}
    form = DecisionForm(request.POST or None, initial=initial, dossiers=candidates)
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        data = form.cleaned_data
        values = form.decision_values()
        # Two steps: a POST without «confirm» shows the decision with its number; only the confirmation
        # (carrying the number that was read) takes the number and issues it.
        try:
            if "confirm" in request.POST and data["number"]:
                decision = services.issue_decision(
                    issuer=issuer,
                    dossiers=data["dossiers"],
                    user=request.user,
                    issued_on=data["issued_on"],
                    expected_number=data["number"],
                    **values,
                )
            else:
                preview = services.preview_decision(
                    issuer=issuer, dossiers=data["dossiers"], user=request.user, issued_on=data["issued_on"], **values
                )
                return render(
                    request,
                    "dossiers/decision_preview.html",
                    {"issuer": issuer, "form": form, **printing.decision_context(preview, list(data["dossiers"]))},
                )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Đã ban hành Quyết định số {decision.number_label}.")
            return redirect("dossiers:decision_detail", decision.public_id)
    overdue = sorted({overdue_notice(d) for d in candidates} - {""})
    return render(request, "dossiers/decision_form.html", {"issuer": issuer, "form": form, "overdue_notices": overdue})


@login_required
@require_POST
def decision_printed(request, public_id):
    decision = _decision(request, public_id)
    try:
        services.mark_printed(decision=decision, user=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Đã ghi nhận: {decision} đã in.")
    return redirect("dossiers:decision_list")


def _decision(request, public_id):
    """A decision is seen where it was issued and by the units it recognises (a commune recognised by the
    province reads the province's decision)."""
    decisions = access.scope_any(Decision.objects.all(), request.user, "issuer", "dossiers__unit")
    try:
        return Decision.objects.select_related("issuer", "year").get(pk__in=decisions.values("pk"), public_id=public_id)
    except Decision.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def decision_detail(request, public_id):
    decision = _decision(request, public_id)
    units = decision.dossiers.select_related("unit__kind").order_by("unit__name")
    signature = signing.signature_status(decision)
    return render(
        request, "dossiers/decision_detail.html", {"decision": decision, "dossiers": units, "signature": signature}
    )


@login_required
def decision_pdf(request, public_id):
    decision = _decision(request, public_id)
    require(request.user, "dossiers.print_decision", decision)
    # The PDF is made when the decision is issued; a download only ever reads it.
    stored = signing.existing_pdf(decision)
    if stored is None:
        messages.error(
            request, "Quyết định chưa ký số, chưa có bản PDF lưu trữ: bấm «Ký số và lưu bản PDF» trước khi in."
        )
        return redirect("dossiers:decision_detail", decision.public_id)
    return signing.pdf_response(stored)


@login_required
@require_POST
def decision_sign(request, public_id):
    decision = _decision(request, public_id)
    try:
        stored = services.sign_decision(decision=decision, user=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Đã ký số và lưu bản PDF quyết định." if stored.signed else "Đã lưu bản PDF quyết định (không ký số).",
        )
    return redirect("dossiers:decision_detail", decision.public_id)


@login_required
def incident_list(request):
    incidents = access.scope(Incident.objects.alive().select_related("unit", "recorded_by"), request.user)
    incident_filter = IncidentFilter(request.GET, queryset=incidents)
    page = Paginator(incident_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_record = request.user.has_perm("dossiers.record_incidents")
    return render(
        request, "dossiers/incident_list.html", {"filter": incident_filter, "page": page, "can_record": can_record}
    )


@login_required
def incident_create(request):
    require(request.user, "dossiers.record_incidents")
    units = services.units_policed_by(request.user)
    if not units.exists():
        # A superuser passes the permission but polices no unit: the form would offer nothing to choose.
        raise PermissionDenied("Chỉ cán bộ Công an xã được ghi nhận vụ việc.")
    form = IncidentForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.record_incident(incident=form.save(commit=False), user=request.user)
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Đã ghi nhận vụ việc tại {incident.unit}.")
            return redirect("dossiers:incident_detail", incident.public_id)
    return render(request, "dossiers/incident_form.html", {"form": form})


def _incident(request, public_id):
    return access.get_visible_or_404(
        Incident.objects.alive().select_related("unit", "recorded_by"), request.user, public_id=public_id
    )


@login_required
def incident_detail(request, public_id):
    incident = _incident(request, public_id)
    dossiers = Dossier.objects.filter(unit=incident.unit).select_related("year").order_by("-year__number")
    return render(request, "dossiers/incident_detail.html", {"incident": incident, "dossiers": dossiers})


@login_required
@require_POST
def incident_delete(request, public_id):
    incident = _incident(request, public_id)
    require(request.user, "dossiers.record_incident", incident)
    try:
        services.delete_incident(incident=incident, user=request.user, reason=request.POST.get("reason", ""))
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:incident_detail", incident.public_id)
    messages.success(request, "Đã xóa vụ việc (vẫn lưu trong nhật ký).")
    return redirect("dossiers:incident_list")
