"""Nhận bản giấy đã ký: the clerk uploads a scan of a signed registration form, sees which registration
its QR code names, and confirms; nothing is filed before the confirmation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ansinh import access, uploads
from ansinh.errors import Refused
from ansinh.forms import SafeInput
from registrations import paper_scans
from registrations.models import Registration

SESSION_KEY = "paper-scan"
SCAN_TYPES = ("jpg", "png", "webp", "pdf")


class ScanForm(SafeInput, forms.Form):
    file = forms.FileField(
        label="Bản quét hoặc ảnh chụp bản đăng ký đã ký",
        help_text="Ảnh JPG, PNG hoặc tệp PDF; chụp rõ cả trang, kể cả mã QR ở góc dưới bên trái.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.validate_upload(upload)
        extension = uploads.detect_type(upload)
        if extension not in SCAN_TYPES:
            raise ValidationError("Chỉ nhận ảnh (JPG, PNG, WEBP) hoặc tệp PDF của bản đăng ký.")
        upload.detected_type = extension
        return upload


@login_required
def paper_scan(request):
    access.require(request.user, "registrations.receive_paper_scans")
    form = ScanForm(request.POST or None, request.FILES or None)
    registration = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            registration = paper_scans.match(paper_scans.read_code(upload, upload.detected_type), request.user)
        except Refused as exc:
            form.add_error("file", str(exc))
        else:
            request.session[SESSION_KEY] = {
                "pending": paper_scans.keep_pending(
                    upload, upload.detected_type, registration=registration, user=request.user
                ),
                "name": upload.name,
                "registration": str(registration.public_id),
            }
    return render(request, "registrations/paper_scan.html", {"form": form, "registration": registration})


@login_required
@require_POST
def paper_scan_confirm(request):
    access.require(request.user, "registrations.receive_paper_scans")
    parked = request.session.pop(SESSION_KEY, None)
    if not parked:
        messages.error(request, "Phiên nhận bản giấy đã hết hạn. Vui lòng tải bản quét lên lại.")
        return redirect("registrations:paper_scan")
    registration = access.get_visible_or_404(
        Registration.objects.select_related("unit", "year"), request.user, public_id=parked["registration"]
    )
    if not request.user.has_perm("registrations.attach_paper", registration):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    try:
        paper_scans.attach(
            registration=registration, pending_name=parked["pending"], original_name=parked["name"], user=request.user
        )
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("registrations:paper_scan")
    messages.success(
        request,
        f"Đã đính kèm bản đăng ký có chữ ký vào đăng ký năm {registration.year.number} của {registration.unit}.",
    )
    return redirect("registrations:detail", registration.public_id)
