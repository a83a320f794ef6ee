from django.db import migrations

FIELDS = [
    "public_id", "kind", "title", "params", "requested_by_id", "status", "done", "total", "file", "filename",
    "error", "created_at", "finished_at",
]


def copy_print_jobs(apps, schema_editor):
    """Print jobs became the shared background jobs (ansinh.Job): same ids (their pages redirect), kinds,
    progress and files (the stored name is kept, so the file stays where it is)."""
    PrintJob = apps.get_model("certificates", "PrintJob")
    Job = apps.get_model("ansinh", "Job")
    for old in PrintJob.objects.order_by("pk").iterator():
        job = Job.objects.create(**{name: getattr(old, name) for name in FIELDS})
        # auto_now_add replaced the original time on create.
        Job.objects.filter(pk=job.pk).update(created_at=old.created_at)


def copy_back(apps, schema_editor):
    PrintJob = apps.get_model("certificates", "PrintJob")
    Job = apps.get_model("ansinh", "Job")
    for job in Job.objects.filter(kind__in=["certificates", "registration_list"]).order_by("pk").iterator():
        old = PrintJob.objects.create(**{name: getattr(job, name) for name in FIELDS})
        PrintJob.objects.filter(pk=old.pk).update(created_at=job.created_at)
        job.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_certificates"),
        ("ansinh", "0003_job"),
    ]

    operations = [
        migrations.RunPython(copy_print_jobs, copy_back),
        migrations.DeleteModel(name="PrintJob"),
    ]
