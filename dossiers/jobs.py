"""The archive (hồ sơ lưu trữ) of a commune's year, built by the background worker."""

import tempfile

from django.core.files import File

from ansinh import jobs
from dossiers import bundle
from registrations.models import Year
from units.models import Unit

COMMUNE_BUNDLE = "dossier_bundle"


@jobs.kind(COMMUNE_BUNDLE, "Hồ sơ lưu trữ năm của xã", unit="đơn vị")
def commune_bundle(job, progress):
    # A commune's year can hold hundreds of megabytes of scans: the zip is spooled to a temporary file,
    # which the job stores and closes.
    commune = Unit.objects.select_related("kind", "parent").get(pk=job.params["commune_id"])
    year = Year.objects.get(pk=job.params["year_id"])
    out = tempfile.TemporaryFile()  # noqa: SIM115
    bundle.write_commune_bundle(out, commune=commune, year=year, user=job.requested_by, on_progress=progress)
    out.seek(0)
    return File(out, name=job.filename)
