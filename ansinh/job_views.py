"""Pages of background jobs: the person's own jobs, one job's progress (polled as JSON by static JS),
and its file. A job is only ever shown to the person who started it; anyone else gets 404."""

import mimetypes

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from ansinh import access, audit, jobs
from ansinh.models import Job
from units.models import Unit

PAGE_SIZE = 30
# Shown in the browser; everything else (Excel, zip) is downloaded.
INLINE_TYPES = {"application/pdf"}


def _job(request, public_id):
    return get_object_or_404(access.own_jobs(request.user), public_id=public_id)


@login_required
def job_list(request):
    page = Paginator(access.own_jobs(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for job in page:
        job.kind_label = jobs.kind_label(job)
    return render(request, "ansinh/jobs.html", {"page": page, "keep_days": settings.JOB_KEEP_DAYS})


@login_required
def job_detail(request, public_id):
    job = _job(request, public_id)
    return render(request, "ansinh/job.html", {"job": job, "progress_unit": jobs.progress_unit(job)})


@login_required
def job_status(request, public_id):
    job = _job(request, public_id)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
        }
    )


@login_required
def job_download(request, public_id):
    job = _job(request, public_id)
    if job.status != Job.Status.DONE or not job.file:
        raise Http404
    content_type = mimetypes.guess_type(job.filename)[0] or "application/octet-stream"
    # Every download of a produced file (a commune's archive, a batch of certificates) leaves a line in the
    # trail, on the unit it was made for.
    unit = Unit.objects.filter(pk=job.params.get("commune_id") or job.params.get("area_id")).first()
    audit.record(job, actor=request.user, unit=unit, action="download", label=f"Tải xuống: {job.title}")
    response = FileResponse(
        job.file.open("rb"),
        content_type=content_type,
        filename=job.filename,
        as_attachment=content_type not in INLINE_TYPES,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
