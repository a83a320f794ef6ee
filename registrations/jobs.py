"""The compiled registration list of a big commune as Excel, written by the background worker."""

from ansinh import jobs
from registrations import exports
from registrations.models import Year
from units.models import Unit

REGISTRATION_LIST_XLSX = "registration_list_xlsx"


@jobs.kind(REGISTRATION_LIST_XLSX, "Danh sách đăng ký (Excel)")
def registration_list_xlsx(job, progress):
    commune = Unit.objects.select_related("kind", "parent").get(pk=job.params["commune_id"])
    return exports.list_workbook(commune, Year.objects.get(pk=job.params["year_id"]))
