"""Dossier pages: list, detail with documents, minutes, checklist and timeline; the review desk;
decisions and their PDF; incidents. Every object is fetched through the access layer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ansinh import access, audit, nd30, phrases, uploads
from ansinh.errors import Refused
from ansinh.text import fold
from ansinh.workflow import TransitionRefused
from dossiers import services, signing
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
)
from dossiers.models import (
    CAPACITY_LINES,
    Capacity,
    Decision,
    Dossier,
    DossierDocument,
    DossierDocumentType,
    DossierStatus,
    Incident,
    IssuerSettings,
    MeetingMinutes,
)
from dossiers.workflow import available_actions, transition
from units.models import Role

PAGE_SIZE = 50


def _require(user, perm, obj):
    if not user.has_perm(perm, obj):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


def _dossier(request, public_id, queryset=None):
    queryset = (
        queryset if queryset is not None else Dossier.objects.select_related("unit__kind", "unit__parent", "year")
    )
    return access.get_visible_or_404(queryset, request.user, public_id=public_id)


@login_required
def dossier_list(request):
    dossiers = access.scope(
        Dossier.objects.with_deadlines().select_related("unit__kind", "unit__parent", "year"), request.user
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
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
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
            "actions": available_actions(dossier, user),
            "can_upload": user.has_perm("dossiers.upload", dossier),
            "upload_form": DocumentForm(),
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
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Hồ sơ của {dossier.unit}: {dossier.get_status_display()}.")
    return redirect("dossiers:detail", dossier.public_id)


@login_required
@require_POST
def document_upload(request, public_id):
    dossier = _dossier(request, public_id)
    _require(request.user, "dossiers.upload", dossier)
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
    return uploads.serve(doc, inline=request.GET.get("xem") == "1")


@login_required
@require_POST
def document_delete(request, public_id, document_id):
    dossier = _dossier(request, public_id)
    _require(request.user, "dossiers.upload", dossier)
    doc = get_object_or_404(dossier.documents.alive(), public_id=document_id)
    services.delete_document(doc=doc, user=request.user)
    messages.success(request, f"Đã xóa «{doc.original_name}» khỏi hồ sơ.")
    return redirect("dossiers:detail", dossier.public_id)


@login_required
def minutes_edit(request, public_id):
    dossier = _dossier(request, public_id)
    _require(request.user, "dossiers.upload", dossier)
    minutes = MeetingMinutes.objects.filter(dossier=dossier).first() or MeetingMinutes(dossier=dossier)
    form = MinutesForm(request.POST or None, request.FILES or None, instance=minutes)
    formset = AttendeeFormSet(request.POST or None, instance=minutes, prefix="attendees")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            is_new = minutes.pk is None
            minutes = form.save(commit=False)
            minutes.updated_by = request.user
            scan = form.cleaned_data.get("scan")
            if scan:
                minutes.document = services.add_document(
                    dossier=dossier,
                    doc=DossierDocument(doc_type=DossierDocumentType.MINUTES),
                    upload=scan,
                    user=request.user,
                )
            minutes.save()
            formset.instance = minutes
            formset.save()
            audit.record(
                dossier,
                actor=request.user,
                action="minutes",
                label="Lập biên bản cuộc họp" if is_new else "Sửa biên bản cuộc họp",
                reason=f"Họp ngày {minutes.met_on:%d/%m/%Y}, chủ trì: {minutes.chaired_by}",
            )
        messages.success(request, "Đã lưu biên bản cuộc họp.")
        return redirect("dossiers:detail", dossier.public_id)
    return render(request, "dossiers/minutes_form.html", {"dossier": dossier, "form": form, "formset": formset})


@login_required
@require_POST
def criteria_confirm(request, public_id):
    dossier = _dossier(request, public_id, Dossier.objects.with_facts())
    _require(request.user, "dossiers.confirm_criteria", dossier)
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
    _require(request.user, "dossiers.comment", dossier)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(dossier=dossier, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Đã gửi ý kiến.")
    else:
        messages.error(request, "Ý kiến không được để trống.")
    return redirect("dossiers:detail", dossier.public_id)


@login_required
def review_desk(request):
    """Dossiers of the units managed where I sit in the standing office (or chair), oldest deadline first."""
    levels = access.home_units(request.user, Role.STEERING_OFFICE, Role.CHAIRMAN)
    waiting = list(
        access.scope(Dossier.objects.with_facts(), request.user)
        .filter(unit__parent__in=levels)
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
    _require(request.user, "dossiers.issue_decision", issuer)
    candidates = Dossier.objects.recommended_at(issuer).select_related("unit", "year").order_by("unit__name")
    settings = IssuerSettings.for_unit(issuer)
    title = next((a.title for a in request.user.role_assignments.filter(unit=issuer, role=Role.CHAIRMAN)), "")
    initial = {
        "issued_on": timezone.localdate(),
        "symbol": settings.symbol,
        "capacity": Capacity.DEPUTY if fold(title).startswith("pho ") else settings.default_capacity,
        "signer_name": request.user.get_full_name(),
        "dossiers": list(candidates),
    }
    form = DecisionForm(request.POST or None, initial=initial, dossiers=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.issue_decision(
                issuer=issuer,
                dossiers=data["dossiers"],
                user=request.user,
                issued_on=data["issued_on"],
                signer_name=data["signer_name"],
                capacity=data["capacity"],
                symbol=data["symbol"],
            )
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Đã ban hành Quyết định số {decision.number_label}.")
            return redirect("dossiers:decision_detail", decision.public_id)
    return render(request, "dossiers/decision_form.html", {"issuer": issuer, "form": form})


def _decision(request, public_id):
    return access.get_visible_or_404(
        Decision.objects.select_related("issuer", "year"), request.user, unit_field="issuer", public_id=public_id
    )


@login_required
def decision_detail(request, public_id):
    decision = _decision(request, public_id)
    units = decision.dossiers.select_related("unit__kind").order_by("unit__name")
    signature = signing.signature_status(decision)
    return render(
        request, "dossiers/decision_detail.html", {"decision": decision, "dossiers": units, "signature": signature}
    )


def decision_context(decision):
    """What the printed decision needs."""
    issuer = decision.issuer
    settings = IssuerSettings.for_unit(issuer)
    dossiers = list(decision.dossiers.select_related("unit__kind").order_by("unit__kind__sort_order", "unit__name"))
    body = f"ỦY BAN NHÂN DÂN {issuer.name.upper()}"
    authority = body if decision.capacity == Capacity.ON_BEHALF else f"CHỦ TỊCH {body}"
    return {
        "decision": decision,
        "issuer_lines": nd30.issuing_body_lines(issuer),
        "doc_number": nd30.document_number(decision.number, decision.symbol),
        "date_line": nd30.date_line(settings.place, decision.issued_on),
        "authority": authority,
        # Mid-sentence the kind word is lower case: "Công an xã Kon Gang".
        "issuer_inline": issuer.name[:1].lower() + issuer.name[1:],
        "subject": phrases.DECISION_SUBJECT.format(year=decision.year.number),
        "standard": phrases.STANDARD_QUOTED,
        "legal_basis": phrases.DECISION_LEGAL_BASIS,
        "capacity_lines": CAPACITY_LINES[Capacity(decision.capacity)],
        "recipients": settings.recipient_lines,
        "dossiers": dossiers,
    }


@login_required
def decision_pdf(request, public_id):
    decision = _decision(request, public_id)
    _require(request.user, "dossiers.print_decision", decision)
    try:
        stored = signing.stored_pdf(decision, decision_context)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:decision_detail", decision.public_id)
    return signing.pdf_response(stored)


@login_required
def incident_list(request):
    incidents = access.scope(Incident.objects.alive().select_related("unit", "recorded_by"), request.user)
    incident_filter = IncidentFilter(request.GET, queryset=incidents)
    page = Paginator(incident_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_record = services.units_policed_by(request.user).exists()
    return render(
        request, "dossiers/incident_list.html", {"filter": incident_filter, "page": page, "can_record": can_record}
    )


@login_required
def incident_create(request):
    units = services.units_policed_by(request.user)
    if not units.exists():
        raise PermissionDenied("Chỉ cán bộ Công an xã được ghi nhận vụ việc.")
    form = IncidentForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        incident = services.record_incident(incident=form.save(commit=False), user=request.user)
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
    _require(request.user, "dossiers.record_incident", incident)
    try:
        services.delete_incident(incident=incident, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dossiers:incident_detail", incident.public_id)
    messages.success(request, "Đã xóa vụ việc (vẫn lưu trong nhật ký).")
    return redirect("dossiers:incident_list")
