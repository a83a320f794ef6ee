"""Background jobs: the registry of job kinds, `start` (the one way to queue a job), the task that runs
any kind, and the upkeep the worker does (re-queue jobs whose worker died, prune old results).

Each app declares its kinds in its own `jobs.py`, imported once at start-up (AnsinhConfig.ready):

    from ansinh import jobs

    @jobs.kind("dossier_bundle", "Hồ sơ nén", unit="hồ sơ")
    def bundle(job, progress):
        return build_zip(job.params["dossier_ids"], progress)   # bytes → the job's file

and a view calls `jobs.start(kind="dossier_bundle", title=…, filename="ho-so.zip", params=…, total=n,
user=request.user)` and redirects to `jobs.page_url(job)`. A runner gets the job and `progress(done)`;
it returns bytes or an open File (stored as the job's private file, named `filename`) or a str (a message shown to the
person, for jobs that write rows rather than a file). A Refused it raises is shown as the failure reason.

Runners are looked up by kind in this registry only: nothing in a job's params names code to run.
With the immediate task backend (dev, tests) a job has run when `start` returns; with the database
backend `manage.py run_worker` runs it."""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ansinh import access, queues
from ansinh.errors import Refused
from ansinh.models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    run: object
    unit: str


KINDS: dict[str, Kind] = {}


def kind(name, label, *, unit="phần"):
    """Register the decorated function as the runner of job kind `name`; `unit` counts its progress."""

    def register(run):
        if name in KINDS:
            raise ValueError(f"Job kind {name!r} is registered twice")
        KINDS[name] = Kind(name, label, run, unit)
        return run

    return register


def kind_label(job) -> str:
    known = KINDS.get(job.kind)
    return known.label if known else job.kind


def progress_unit(job) -> str:
    known = KINDS.get(job.kind)
    return known.unit if known else "phần"


def page_url(job) -> str:
    return reverse("job", args=[job.public_id])


class Superseded(Exception):
    """This run no longer holds the job: it was re-queued (its worker looked dead) or already finished."""


def start(*, kind, title, params, user, total=1, filename="", next_url=""):
    """Queue a job of a registered kind and hand it to the task backend.

    Side effects: one Job row and one enqueued task, written in one transaction (with the database
    backend, a worker never sees a task without its job, nor a job without its task); with the immediate
    backend the job has run (done or failed) when this returns."""
    if kind not in KINDS:
        raise ValueError(f"Unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title[: Job._meta.get_field("title").max_length],
            filename=filename,
            params=params,
            total=total,
            next_url=next_url,
            requested_by=user,
        )
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job):
    result = run_job.enqueue(str(job.public_id), job.attempt)
    # The immediate backend has already run the job: only a queued row still needs its task id.
    Job.objects.filter(pk=job.pk, attempt=job.attempt).update(task_id=str(result.id)[:64])


def _mine(job, attempt):
    return Job.objects.filter(pk=job.pk, attempt=attempt)


@task(takes_context=True)
def run_job(context, job_id: str, attempt: int):
    """Run one attempt of a job. Side effects: the job moves queued → running → done (file or message
    saved) or failed (reason kept); an attempt that is not the job's current one does nothing."""
    worker_id = (context.task_result.worker_ids or [""])[-1][:64]
    now = timezone.now()
    claimed = Job.objects.filter(public_id=job_id, attempt=attempt, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, worker_id=worker_id, started_at=now, heartbeat_at=now
    )
    if not claimed:
        logger.info("Job %s attempt %s is not queued any more; skipped", job_id, attempt)
        return
    job = Job.objects.get(public_id=job_id)

    def progress(done):
        if not _mine(job, attempt).update(done=min(done, job.total), heartbeat_at=timezone.now()):
            raise Superseded

    try:
        outcome = KINDS[job.kind].run(job, progress)
    except Superseded:
        logger.warning("Job %s attempt %s was re-queued while it ran; this run stops", job_id, attempt)
        return
    except Refused as exc:
        _fail(job, attempt, message=str(exc), error="")
        return
    except Exception as exc:
        _fail(job, attempt, message="", error=repr(exc)[:2000])
        raise
    _finish(job, attempt, outcome)


def _fail(job, attempt, *, message, error):
    _mine(job, attempt).update(status=Job.Status.FAILED, message=message, error=error, finished_at=timezone.now())


def _finish(job, attempt, outcome):
    fields = {"status": Job.Status.DONE, "done": job.total, "finished_at": timezone.now()}
    if isinstance(outcome, bytes | File):
        # An open File is output too large to hold in memory (a commune's archive, spooled to disk).
        with outcome if isinstance(outcome, File) else ContentFile(outcome) as stored:
            job.file.save(job.filename, stored, save=False)
        fields["file"] = job.file.name
    else:
        fields["message"] = outcome or ""
    if not _mine(job, attempt).filter(status=Job.Status.RUNNING).update(**fields) and job.file:
        # Re-queued at the last moment: the current attempt writes its own file.
        job.file.delete(save=False)


def recover(*, worker_id="", now=None) -> list[Job]:
    """Queue again the jobs whose worker died: those taken by `worker_id` (a worker that is just starting
    runs nothing yet, so whatever it held before a restart is orphaned) and those whose heartbeat is older
    than JOB_LEASE_SECONDS (any worker). A job past JOB_MAX_ATTEMPTS fails instead, so a job that kills
    its worker does not loop forever.

    Rows are locked and re-checked, so two workers recovering at once queue a job once. The old attempt's
    progress writes then match nothing, so if it was alive after all it stops at its next step (run_job).
    Side effects: the jobs' attempt, status and task id; the dead attempt's task row marked failed."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    lost = Q(status=Job.Status.RUNNING, heartbeat_at__lt=stale)
    if worker_id:
        lost |= Q(status=Job.Status.RUNNING, worker_id=worker_id)
    orphans = _taken_but_never_claimed(worker_id, stale)
    if orphans:
        # Matched on the task id too: a job another worker re-queued meanwhile has a new one.
        lost |= Q(status=Job.Status.QUEUED, task_id__in=orphans)
    requeued = []
    with transaction.atomic():
        for job in Job.objects.select_for_update(skip_locked=True).filter(lost):
            _close_dead_task(job.task_id, now)
            if job.attempt >= settings.JOB_MAX_ATTEMPTS:
                job.status = Job.Status.FAILED
                job.message = "Máy chủ dừng giữa chừng nhiều lần khi làm việc này. Vui lòng báo quản trị."
                job.finished_at = now
                job.save(update_fields=["status", "message", "finished_at"])
                continue
            job.attempt += 1
            job.status = Job.Status.QUEUED
            job.done = 0
            job.worker_id = ""
            job.save(update_fields=["attempt", "status", "done", "worker_id"])
            requeued.append(job)
        for job in requeued:
            _enqueue(job)
            logger.warning("Job %s re-queued as attempt %s", job.public_id, job.attempt)
    return requeued


def _taken_but_never_claimed(worker_id, stale):
    """Queued jobs whose task a worker took (the row left READY) and which that worker never claimed:
    it died in between."""
    by_uuid = {}
    for task_id in Job.objects.filter(status=Job.Status.QUEUED).exclude(task_id="").values_list("task_id", flat=True):
        try:
            by_uuid[uuid.UUID(task_id)] = task_id
        except ValueError:
            continue
    taken = DBTaskResult.objects.filter(pk__in=list(by_uuid)).exclude(status=TaskResultStatus.READY)
    return [
        by_uuid[t.pk]
        for t in taken.only("pk", "started_at", "worker_ids")
        if (t.started_at and t.started_at < stale) or (worker_id and t.worker_ids[-1:] == [worker_id])
    ]


def _close_dead_task(task_id, now):
    try:
        pk = uuid.UUID(task_id)
    except ValueError:
        return
    DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=now, exception_class_path="", traceback="worker died"
    )


def prune(*, now=None) -> tuple[int, int]:
    """Delete finished jobs older than JOB_KEEP_DAYS with their files, and finished task rows as old.
    Jobs hold only what the portal produced (renders, exports, import outcomes): nothing a person
    submitted lives here. Returns (jobs, task rows) deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.JOB_KEEP_DAYS)
    old = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=cutoff)
    jobs = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        jobs += 1
    tasks, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    ).delete()
    return jobs, tasks


# A finished job stays in the person's queue card this long; the "my jobs" page keeps it until pruned.
FRESH = timedelta(hours=24)


def for_user(user):
    """The home page's queue of the person's own jobs: those still running and those just finished."""
    recent = access.own_jobs(user).filter(
        Q(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]) | Q(finished_at__gte=timezone.now() - FRESH)
    )

    def item(job):
        note = f"{job.get_status_display()} · {job.percent}%"
        if job.status == Job.Status.DONE and job.file:
            return queues.Item(job.title, page_url(job), note=note, action_url=download_url(job), action_label="Tải về")
        return queues.Item(job.title, page_url(job), note=note)

    return [
        queues.build(
            "Tác vụ nền của bạn", recent, item, url=reverse("jobs"), order=lambda qs: qs.order_by("-created_at")
        )
    ]


def download_url(job) -> str:
    return reverse("job_download", args=[job.public_id])
