"""Background jobs: the worker picks up what a killed worker left running (once), old results are pruned
without touching what people submitted, and the person's jobs are on their page and home queue."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from ansinh import jobs
from ansinh.models import Job
from registrations.models import Registration, RegistrationDocument
from registrations.services import open_year
from tests.factories import UnitFactory, kind

SUBMITTED_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_backend(settings):
    """Jobs wait in the database for `run_worker`, as in production."""
    settings.TASKS = DATABASE_BACKEND


@pytest.fixture
def list_job(kon_gang, province, clerk):
    """The compiled registration list of Kon Gang, queued by its clerk (three units on it)."""
    year = open_year(province, 2026)
    for name in ("Thôn Một", "Thôn Hai", "Thôn Ba"):
        UnitFactory(name=name, kind=kind("thon"), parent=kon_gang, households=50)
    return jobs.start(
        kind="registration_list",
        title="Danh sách đăng ký năm 2026 – Xã Kon Gang",
        filename="danh-sach-dang-ky-2026.pdf",
        params={"commune_id": kon_gang.pk, "year_id": year.pk},
        user=clerk,
    )


def taken_by_a_worker_that_died(job, worker_id, *, minutes_ago=0):
    """What a worker leaves when it is killed (SIGKILL, power cut) in the middle of a job: its task row
    and the job both say running, for ever."""
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim(worker_id)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=at)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, worker_id=worker_id, started_at=at, heartbeat_at=at, done=0
    )


# The worker closes and reopens its connection between tasks, as in production: on PostgreSQL that ends a
# test's wrapping transaction, so the tests that run it commit for real (and restore the shipped data).
RUNS_THE_WORKER = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker(worker_id):
    out = io.StringIO()
    call_command("run_worker", "--batch", "--no-reload", "--no-startup-delay", "--worker-id", worker_id, stdout=out)
    return out.getvalue()


def pdf_text(response):
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)


def test_a_job_waits_for_the_worker_with_the_database_backend(database_backend, client, clerk, list_job):
    assert (list_job.status, list_job.attempt) == (Job.Status.QUEUED, 1)
    client.force_login(clerk)
    page = client.get(reverse("job", args=[list_job.public_id])).content.decode()
    assert 'Đang chờ</span>: <span data-role="done">0</span>/1 phần.' in page
    assert reverse("job_download", args=[list_job.public_id]) not in page.split('class="btn btn-primary d-none"')[0]
    assert client.get(reverse("job_download", args=[list_job.public_id])).status_code == 404


@RUNS_THE_WORKER
def test_a_restarted_worker_queues_again_the_job_it_was_killed_in_and_finishes_it(
    database_backend, client, clerk, list_job
):
    taken_by_a_worker_that_died(list_job, "may-chu-1")
    dead_task = list_job.task_id

    output = run_worker("may-chu-1")

    job = Job.objects.get(pk=list_job.pk)
    assert "1 job(s) re-queued" in output
    assert (job.status, job.attempt, job.done, job.total) == (Job.Status.DONE, 2, 1, 1)
    assert DBTaskResult.objects.get(pk=dead_task).status == "FAILED"
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"
    client.force_login(clerk)
    download = client.get(reverse("job_download", args=[job.public_id]))
    assert "Thôn Một" in pdf_text(download)


@RUNS_THE_WORKER
def test_another_workers_job_is_queued_again_only_once_its_lease_ran_out(
    database_backend, clerk, kon_gang, list_job, settings
):
    settings.JOB_LEASE_SECONDS = 600
    taken_by_a_worker_that_died(list_job, "may-chu-2", minutes_ago=5)

    run_worker("may-chu-1")
    assert Job.objects.get(pk=list_job.pk).status == Job.Status.RUNNING

    Job.objects.filter(pk=list_job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=11))
    run_worker("may-chu-1")
    assert Job.objects.filter(pk=list_job.pk).values_list("status", "attempt").get() == (Job.Status.DONE, 2)


@RUNS_THE_WORKER
def test_a_worker_that_died_after_taking_the_task_but_before_starting_the_job_loses_nothing(database_backend, list_job):
    DBTaskResult.objects.get(pk=list_job.task_id).claim("may-chu-1")

    run_worker("may-chu-1")

    assert Job.objects.filter(pk=list_job.pk).values_list("status", "attempt").get() == (Job.Status.DONE, 2)


@RUNS_THE_WORKER
def test_recovering_twice_queues_the_job_once_and_the_old_attempt_writes_nothing(database_backend, list_job):
    taken_by_a_worker_that_died(list_job, "may-chu-1")

    assert [j.pk for j in jobs.recover(worker_id="may-chu-1")] == [list_job.pk]
    assert jobs.recover(worker_id="may-chu-1") == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    # The first attempt's task, were it still alive somewhere, is told the job is not its own any more.
    jobs.run_job.using(backend="default").enqueue(str(list_job.public_id), 1)
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    run_worker("may-chu-1")
    job = Job.objects.get(pk=list_job.pk)
    assert (job.status, job.attempt) == (Job.Status.DONE, 2)
    assert list(Job.objects.values_list("file", flat=True)) == [job.file.name]


def test_a_job_that_keeps_killing_its_worker_fails_with_a_reason(database_backend, client, clerk, list_job, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    taken_by_a_worker_that_died(list_job, "may-chu-1")
    jobs.recover(worker_id="may-chu-1")
    taken_by_a_worker_that_died(Job.objects.get(pk=list_job.pk), "may-chu-1")

    jobs.recover(worker_id="may-chu-1")

    assert Job.objects.get(pk=list_job.pk).status == Job.Status.FAILED
    client.force_login(clerk)
    page = client.get(reverse("job", args=[list_job.public_id])).content.decode()
    assert "Máy chủ dừng giữa chừng nhiều lần khi làm việc này. Vui lòng báo quản trị." in page


def test_old_jobs_and_task_rows_are_pruned_and_submitted_files_stay(
    database_backend, clerk, village, province, settings
):
    settings.JOB_KEEP_DAYS = 14
    now = timezone.now()
    year = open_year(province, 2026)
    registration = Registration.objects.create(
        unit=village,
        year=year,
        created_by=clerk,
        registered_on=datetime.date(2026, 1, 15),
        base_count=142,
        committed_count=142,
    )
    document = RegistrationDocument(registration=registration, doc_type="other")
    document.fill_from_upload(SimpleUploadedFile("bien-ban.pdf", SUBMITTED_PDF), clerk).save()

    def finished_job(title, days_ago, status=Job.Status.DONE):
        job = Job.objects.create(kind="certificates", title=title, requested_by=clerk, filename="a.pdf", status=status)
        job.file.save("a.pdf", ContentFile(b"%PDF-1.4 job"), save=False)
        Job.objects.filter(pk=job.pk).update(file=job.file.name, finished_at=now - datetime.timedelta(days=days_ago))
        return job

    old = finished_job("Cũ", 15)
    old_failed = finished_job("Cũ lỗi", 20, Job.Status.FAILED)
    recent = finished_job("Mới", 13)
    running = Job.objects.create(kind="certificates", title="Đang chạy", requested_by=clerk, status=Job.Status.RUNNING)
    task = jobs.run_job.enqueue("00000000-0000-0000-0000-000000000000", 1)
    DBTaskResult.objects.filter(pk=task.id).update(status="SUCCESSFUL", finished_at=now - datetime.timedelta(days=15))
    waiting = jobs.run_job.enqueue("00000000-0000-0000-0000-000000000001", 1)
    storage = old.file.storage

    out = io.StringIO()
    call_command("jobs_upkeep", stdout=out)

    assert "2 old job(s) and 1 task row(s) pruned" in out.getvalue()
    assert sorted(Job.objects.values_list("title", flat=True)) == ["Mới", "Đang chạy"]
    assert (storage.exists(old.file.name), storage.exists(old_failed.file.name)) == (False, False)
    assert storage.exists(recent.file.name)
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [DBTaskResult.objects.get(pk=waiting.id).pk]
    assert RegistrationDocument.objects.get(pk=document.pk).file.read() == SUBMITTED_PDF
    assert running.pk in Job.objects.values_list("pk", flat=True)


def test_my_jobs_lists_only_the_persons_own_jobs_with_progress_and_download(
    client, clerk, chairman, list_job, kon_gang
):
    Job.objects.create(kind="registration_list", title="Của người khác", requested_by=chairman)
    client.force_login(clerk)
    page = client.get(reverse("jobs")).content.decode()
    assert page.count("<tr>") == 2  # the header and one job
    assert "Danh sách đăng ký năm 2026 – Xã Kon Gang" in page
    assert "Của người khác" not in page
    assert 'class="progress-bar pct-100">100%' in page
    assert reverse("job_download", args=[list_job.public_id]) in page


def test_the_home_page_shows_a_finished_job_with_its_download(client, clerk, list_job):
    client.force_login(clerk)
    page = client.get(reverse("home")).content.decode()
    queues = page[page.index("Việc đang chờ bạn") :]
    assert "Tác vụ nền của bạn" in queues
    assert reverse("job", args=[list_job.public_id]) in queues
    assert reverse("job_download", args=[list_job.public_id]) in queues


def test_a_refused_job_shows_its_reason_and_keeps_no_file(client, clerk):
    @jobs.kind("test_refused", "Thử từ chối")
    def refused(job, progress):
        from ansinh.errors import Refused

        raise Refused("Danh mục loại đơn vị đã thay đổi.")

    try:
        job = jobs.start(kind="test_refused", title="Thử", params={}, user=clerk)
    finally:
        del jobs.KINDS["test_refused"]
    assert (job.status, job.message, bool(job.file)) == (Job.Status.FAILED, "Danh mục loại đơn vị đã thay đổi.", False)
    client.force_login(clerk)
    assert client.get(reverse("job_status", args=[job.public_id])).json()["message"] == (
        "Danh mục loại đơn vị đã thay đổi."
    )
