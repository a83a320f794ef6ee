"""Certificate batches and the compiled registration list, rendered by the background worker."""

from ansinh import jobs
from ansinh.pdf import render_pdf
from certificates.models import Certificate
from certificates.printing import render_certificates
from registrations import exports
from registrations.models import Year
from units.models import Unit

CERTIFICATES = "certificates"
REGISTRATION_LIST = "registration_list"


@jobs.kind(CERTIFICATES, "Giấy công nhận", unit="giấy")
def certificates(job, progress):
    ids = job.params["certificate_ids"]
    order = {pk: i for i, pk in enumerate(ids)}
    batch = sorted(Certificate.objects.for_printing().filter(pk__in=ids), key=lambda c: order[c.pk])
    return render_certificates(batch, progress)


@jobs.kind(REGISTRATION_LIST, "Danh sách đăng ký")
def registration_list(job, progress):
    commune = Unit.objects.select_related("kind", "parent").get(pk=job.params["commune_id"])
    year = Year.objects.get(pk=job.params["year_id"])
    return render_pdf("pdf/registration_list.html", exports.list_context(commune, year))
