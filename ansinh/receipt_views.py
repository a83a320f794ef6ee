"""The printed receipt (giấy biên nhận) of a submitted registration or dossier, for whoever may see it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse

from ansinh import access, receipts
from ansinh.pdf import pdf_response
from dossiers.models import Dossier
from registrations.models import Registration


def _receipt(request, model, public_id):
    obj = access.get_visible_or_404(
        model.objects.select_related("unit__parent", "year"), request.user, public_id=public_id
    )
    if not obj.receipt_code:
        raise Http404("Chưa nộp nên chưa có giấy biên nhận.")
    lookup_url = request.build_absolute_uri(reverse("lookup") + f"?ma={obj.receipt_code}")
    filename = f"bien-nhan-{obj.receipt_code.lower()}.pdf"
    return pdf_response("pdf/receipt.html", receipts.receipt_context(obj, lookup_url=lookup_url), filename)


@login_required
def registration_receipt(request, public_id):
    return _receipt(request, Registration, public_id)


@login_required
def dossier_receipt(request, public_id):
    return _receipt(request, Dossier, public_id)
