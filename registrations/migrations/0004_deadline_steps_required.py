"""Every Deadline and default now has the two new steps (filled by 0003), so they become required."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registrations", "0003_deadline_steps_and_sources")]

    operations = [
        migrations.AlterField(
            model_name='deadline',
            name='classification_due',
            field=models.DateField(verbose_name='hạn tờ trình xếp loại'),
        ),
        migrations.AlterField(
            model_name='deadline',
            name='results_compiled_due',
            field=models.DateField(verbose_name='hạn tổng hợp kết quả gửi Thường trực BCĐ'),
        ),
        migrations.AlterField(
            model_name='deadlinedefault',
            name='classification_due',
            field=models.CharField(max_length=5, verbose_name='hạn tờ trình xếp loại (dd/mm)'),
        ),
        migrations.AlterField(
            model_name='deadlinedefault',
            name='results_compiled_due',
            field=models.CharField(max_length=5, verbose_name='hạn tổng hợp kết quả gửi Thường trực BCĐ (dd/mm)'),
        ),
    ]
