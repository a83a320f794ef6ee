"""The year-end report of a province (or any area above a commune) as a background job."""

import datetime

from ansinh import jobs
from reports import exports
from units.models import Unit

YEAR_REPORT = "year_report"


@jobs.kind(YEAR_REPORT, "Báo cáo kết quả năm", unit="bước")
def year_report(job, progress):
    area = Unit.objects.select_related("kind", "parent").get(pk=job.params["area_id"])
    today = datetime.date.fromisoformat(job.params["today"])
    return exports.report_file(area, job.params["year"], today, job.params["format"], progress)
