"""The confirmed Excel import of a commune's units, as a background job when the file is long."""

from ansinh import jobs
from units import importing
from units.models import Unit

UNIT_IMPORT = "unit_import"


@jobs.kind(UNIT_IMPORT, "Nhập đơn vị từ Excel", unit="đơn vị")
def unit_import(job, progress):
    # All rows are written in one transaction (nothing half-imported), so its progress shows only at the end.
    commune = Unit.objects.get(pk=job.params["commune_id"])
    created, updated = importing.apply(commune, job.params["rows"], actor=job.requested_by)
    return imported_message(commune, created, updated)


def imported_message(commune, created, updated):
    return f"Đã nhập {created} đơn vị mới, cập nhật {updated} đơn vị của {commune.name}."
