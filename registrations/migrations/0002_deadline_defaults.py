"""Default dates from the Kon Gang plan (Thông tư 124): registration to UBND xã before 13/02 and compiled
upward before 15/02; khu dân cư evaluated 01/11–31/10 with results before 29/10 and recognition before
15/11; the other kinds evaluated 16/11–15/11 with results before 13/11 and recognition before 20/11."""

from django.db import migrations

# category, registration, compiled, period start (previous year), period end, dossier, review, recognition
DEFAULTS = [
    ("commune", "13/02", "15/02", "16/11", "15/11", "13/11", "18/11", "20/11"),
    ("residential_area", "13/02", "15/02", "01/11", "31/10", "29/10", "10/11", "15/11"),
    ("agency", "13/02", "15/02", "16/11", "15/11", "13/11", "18/11", "20/11"),
    ("enterprise", "13/02", "15/02", "16/11", "15/11", "13/11", "18/11", "20/11"),
    ("school", "13/02", "15/02", "16/11", "15/11", "13/11", "18/11", "20/11"),
    ("other", "13/02", "15/02", "16/11", "15/11", "13/11", "18/11", "20/11"),
]


def add_defaults(apps, schema_editor):
    DeadlineDefault = apps.get_model("registrations", "DeadlineDefault")
    for cat, reg, compiled, start, end, dossier, review, recognition in DEFAULTS:
        DeadlineDefault.objects.update_or_create(
            category=cat,
            defaults=dict(
                registration_due=reg,
                registration_compiled_due=compiled,
                period_start=start,
                period_end=end,
                dossier_due=dossier,
                review_due=review,
                recognition_due=recognition,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("registrations", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
