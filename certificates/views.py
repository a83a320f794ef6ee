"""Certificate pages: the list (filterable, printable as one PDF), a decision's certificates, one
certificate's PDF, revocation and re-issue, print jobs with their progress, and the public verification
page. Objects come through the access layer (strangers get 404); verbs are certificates/rules.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from ansinh import access, audit, client, jobs
from ansinh.errors import Refused
from certificates import jobs as print_jobs
from certificates import services
from certificates.filters import CertificateFilter
from certificates.forms import ReasonForm
from certificates.models import Certificate
from certificates.printing import render_certificates
from dossiers.models import Decision
from registrations.models import Year
from units.models import Category, Role, Unit

PAGE_SIZE = 50
PRINTING_ROLES = (Role.RECORDS_CLERK, Role.CHAIRMAN)


def _require(user, perm, obj):
    if not user.has_perm(perm, obj):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


def _decision(request, public_id):
    return access.get_visible_or_404(
        Decision.objects.select_related("issuer", "year"), request.user, unit_field="issuer", public_id=public_id
    )


def _certificate(request, public_id):
    return access.get_visible_or_404(
        Certificate.objects.select_related("decision__issuer", "decision__year", "issuer", "unit"),
        request.user,
        unit_field="issuer",
        public_id=public_id,
    )


def _pdf(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _print(request, certificates, *, title, filename):
    """Every batch is a print job with a progress page, so no web worker lays out a long PDF (with no
    worker configured, the job has already run when the page opens)."""
    certificates = list(certificates)
    if not certificates:
        messages.info(request, "Không có giấy công nhận nào còn hiệu lực để in.")
        return redirect("certificates:list")
    job = services.start_print_job(
        kind=print_jobs.CERTIFICATES,
        title=title,
        filename=filename,
        params={"certificate_ids": [c.pk for c in certificates]},
        total=len(certificates),
        user=request.user,
    )
    return redirect(jobs.page_url(job))


@login_required
def certificate_list(request):
    certificates = access.scope(
        Certificate.objects.select_related("decision__year", "issuer"), request.user, unit_field="issuer"
    )
    filterset = CertificateFilter(request.GET, queryset=certificates)
    page = Paginator(filterset.qs.order_by("-calendar_year", "issuer__name", "-number"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_print = access.home_units(request.user, *PRINTING_ROLES).exists()
    return render(request, "certificates/list.html", {"filter": filterset, "page": page, "can_print": can_print})


@login_required
@require_POST
def print_filtered(request):
    """One PDF of the valid certificates the filter selects, among those the person may print."""
    issuers = access.home_units(request.user, *PRINTING_ROLES)
    chosen = CertificateFilter(
        request.POST, queryset=Certificate.objects.valid().filter(issuer__in=issuers).for_printing()
    )
    # An invalid field is dropped by the filter, which would then print everything the person may print.
    if not chosen.is_valid():
        messages.error(request, "Bộ lọc không hợp lệ: " + " ".join(e for errs in chosen.errors.values() for e in errs))
        return redirect("certificates:list")
    certificates = chosen.qs
    return _print(request, certificates, title="Giấy công nhận (danh sách lọc)", filename="giay-cong-nhan.pdf")


@login_required
def decision_certificates(request, public_id):
    decision = _decision(request, public_id)
    _require(request.user, "certificates.view", decision)
    certificates = list(decision.certificates.select_related("unit", "revoked_by").order_by("number"))
    replaced = set(
        Certificate.objects.filter(replaces__in=[c.pk for c in certificates]).values_list("replaces_id", flat=True)
    )
    missing = decision.dossiers.exclude(certificates__isnull=False).count()
    return render(
        request,
        "certificates/decision.html",
        {
            "decision": decision,
            "certificates": certificates,
            "replaced": replaced,
            "missing": missing,
            "valid": sum(1 for c in certificates if not c.is_revoked),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def issue(request, public_id):
    decision = _decision(request, public_id)
    _require(request.user, "certificates.print", decision)
    issued = services.issue_for_decision(decision, request.user)
    messages.success(request, f"Đã cấp {len(issued)} giấy công nhận.")
    return redirect("certificates:decision", decision.public_id)


@login_required
@require_POST
def print_decision(request, public_id):
    decision = _decision(request, public_id)
    _require(request.user, "certificates.print", decision)
    return _print(
        request,
        decision.certificates.valid().for_printing(),
        title=f"Giấy công nhận – Quyết định số {decision.number_label}",
        filename=f"giay-cong-nhan-qd-{decision.number:02d}-{decision.calendar_year}.pdf",
    )


@login_required
def certificate_pdf(request, public_id):
    certificate = _certificate(request, public_id)
    _require(request.user, "certificates.print", certificate)
    filename = f"giay-cong-nhan-{certificate.number:02d}-{certificate.calendar_year}.pdf"
    return _pdf(render_certificates([certificate]), filename)


def _reason_action(request, public_id, perm, service, done):
    certificate = _certificate(request, public_id)
    _require(request.user, perm, certificate)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Vui lòng ghi rõ lý do (tối đa 1000 ký tự).")
    else:
        try:
            result = service(certificate=certificate, user=request.user, reason=form.cleaned_data["reason"])
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done(result))
    return redirect("certificates:decision", certificate.decision.public_id)


@login_required
@require_POST
def revoke(request, public_id):
    return _reason_action(
        request, public_id, "certificates.revoke", services.revoke, lambda c: f"Đã thu hồi giấy số {c.number_label}."
    )


@login_required
@require_POST
def reissue(request, public_id):
    return _reason_action(
        request, public_id, "certificates.reissue", services.reissue, lambda c: f"Đã cấp lại giấy số {c.number_label}."
    )


@login_required
def certificate_history(request, public_id):
    certificate = _certificate(request, public_id)
    _require(request.user, "certificates.view", certificate)
    return render(
        request, "certificates/history.html", {"certificate": certificate, "events": audit.history(certificate)}
    )


@login_required
def job_moved(request, public_id, to="job"):
    """Print jobs became the shared background jobs; an address someone kept still leads there (for the
    person who started the job; anyone else is told it does not exist, as on the job's own page)."""
    job = get_object_or_404(access.own_jobs(request.user), public_id=public_id)
    return redirect(to, job.public_id)


@login_required
@require_POST
def print_registration_list(request, public_id):
    """The board's compiled list (danh sách đăng ký) as PDF, always through a print job: even a 40-unit list
    takes seconds under load and must not hold a web worker."""
    commune = access.get_visible_or_404(
        Unit.objects.select_related("kind", "parent"), request.user, unit_field="", public_id=public_id
    )
    if commune.kind.category != Category.COMMUNE:
        raise Http404
    _require(request.user, "registrations.view_board", commune)
    try:
        year = Year.objects.for_unit(commune, int(request.POST.get("nam", "")))
    except (ValueError, Year.DoesNotExist) as exc:
        raise Http404 from exc
    filename = f"danh-sach-dang-ky-{year.number}.pdf"
    units = Unit.objects.under(commune).participating().count()
    job = services.start_print_job(
        kind=print_jobs.REGISTRATION_LIST,
        title=f"Danh sách đăng ký năm {year.number} – {commune.name} ({units} đơn vị)",
        filename=filename,
        params={"commune_id": commune.pk, "year_id": year.pk},
        total=1,
        user=request.user,
    )
    return redirect(jobs.page_url(job))


@require_GET
def verify(request, code):
    """Public (no login): whether a certificate is genuine and in force. Shows the unit, year, number and
    issuing body only — nobody's name."""
    if not client.within_limit(request, "certificate-verify", settings.VERIFY_RATE_LIMIT, 60):
        return render(request, "certificates/verify_limited.html", status=429)
    certificate = (
        Certificate.objects.select_related("decision__year", "issuer").filter(code=code).first()
        if len(code) <= 32
        else None
    )
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", {"code": code[:32]}, status=404)
    return render(request, "certificates/verify.html", {"c": certificate})
