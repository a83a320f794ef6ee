"""Background work (Django tasks API): render a print job's file, report progress, store the file privately.

`manage.py db_worker` runs these when TASKS_BACKEND is the database backend; otherwise they run inline."""

import tempfile

from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from ansinh.pdf import render_pdf
from certificates.models import Certificate, PrintJob
from certificates.printing import render_certificates
from dossiers import bundle
from registrations import exports
from registrations.models import Year
from units.models import Unit


def _certificates(job, on_progress):
    ids = job.params["certificate_ids"]
    order = {pk: i for i, pk in enumerate(ids)}
    certificates = sorted(Certificate.objects.for_printing().filter(pk__in=ids), key=lambda c: order[c.pk])
    return render_certificates(certificates, on_progress)


def _registration_list(job, on_progress):
    commune = Unit.objects.select_related("kind", "parent").get(pk=job.params["commune_id"])
    year = Year.objects.get(pk=job.params["year_id"])
    return render_pdf("pdf/registration_list.html", exports.list_context(commune, year))


def _dossier_bundle(job, on_progress):
    # A commune's year can hold hundreds of megabytes of scans: the zip is written to a temporary file.
    commune = Unit.objects.select_related("kind", "parent").get(pk=job.params["commune_id"])
    year = Year.objects.get(pk=job.params["year_id"])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - run_print_job saves and closes it
    user = job.requested_by
    bundle.write_commune_bundle(out, commune=commune, year=year, user=user, on_progress=on_progress)
    out.seek(0)
    return File(out)


RENDERERS = {
    PrintJob.Kind.CERTIFICATES: _certificates,
    PrintJob.Kind.REGISTRATION_LIST: _registration_list,
    PrintJob.Kind.DOSSIER_BUNDLE: _dossier_bundle,
}


@task()
def run_print_job(job_id: str):
    """Side effects: the job row moves queued → running → done (file saved) or failed (error kept)."""
    job = PrintJob.objects.get(public_id=job_id)
    PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.RUNNING)

    def progress(done):
        PrintJob.objects.filter(pk=job.pk).update(done=done)

    try:
        content = RENDERERS[job.kind](job, progress)
    except Exception as exc:
        PrintJob.objects.filter(pk=job.pk).update(
            status=PrintJob.Status.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        raise
    # A renderer returns the bytes of a PDF, or an open File for output too large to hold in memory.
    with content if isinstance(content, File) else ContentFile(content) as stored:
        job.file.save(job.filename, stored, save=False)
    PrintJob.objects.filter(pk=job.pk).update(
        status=PrintJob.Status.DONE, file=job.file.name, done=job.total, finished_at=timezone.now()
    )
