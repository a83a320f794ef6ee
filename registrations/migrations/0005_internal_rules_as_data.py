"""Internal rules as rows (TT124 Điều 6 khoản 1, Điều 7 khoản 1), with the environment rule the five
booleans lacked; the booleans already ticked carry over."""

from django.db import migrations, models

ARTICLE_6 = "TT124 Điều 6 khoản 1 (cơ quan, doanh nghiệp); Điều 7 khoản 1 (cơ sở giáo dục)"
# code, name, old boolean field ("" for a rule the booleans did not have), order
RULES = [
    ("bao-ve-co-quan", "bảo vệ cơ quan, doanh nghiệp", "has_rule_unit_protection", 10),
    ("bao-ve-bi-mat-nha-nuoc", "bảo vệ bí mật nhà nước", "has_rule_state_secrets", 20),
    ("bao-ve-chinh-tri-noi-bo", "bảo vệ chính trị nội bộ", "has_rule_internal_politics", 30),
    ("an-toan-lao-dong", "an toàn lao động", "has_rule_labour_safety", 40),
    ("phong-chay-chua-chay", "phòng cháy, chữa cháy", "has_rule_fire_prevention", 50),
    ("bao-ve-moi-truong", "bảo vệ môi trường", "", 60),
]
KINDS = ["co-quan", "doanh-nghiep", "co-so-giao-duc"]


def add_rules(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    InternalRule = apps.get_model("registrations", "InternalRule")
    Registration = apps.get_model("registrations", "Registration")
    kinds = list(UnitKind.objects.filter(code__in=KINDS))
    UnitKind.objects.filter(code__in=KINDS).update(requires_internal_rules=True)
    for code, name, field, order in RULES:
        rule, _ = InternalRule.objects.update_or_create(
            code=code,
            defaults={"name": name, "reference": "Điều 6 khoản 1", "source": ARTICLE_6, "sort_order": order},
        )
        rule.kinds.add(*kinds)
        if field:
            for registration in Registration.objects.filter(**{field: True}):
                registration.internal_rules.add(rule)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0004_deadline_steps_required"),
        ("units", "0003_authority"),
    ]

    operations = [
        migrations.CreateModel(
            name='InternalRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='mã')),
                ('name', models.CharField(help_text='Ví dụ: bảo vệ bí mật nhà nước.', max_length=120, verbose_name='tên nội quy, quy chế')),
                ('reference', models.CharField(blank=True, help_text='Ví dụ: Điều 6 khoản 1', max_length=120, verbose_name='căn cứ')),
                ('source', models.CharField(blank=True, max_length=255, verbose_name='nguồn')),
                ('sort_order', models.PositiveSmallIntegerField(default=100, verbose_name='thứ tự')),
                ('is_active', models.BooleanField(default=True, verbose_name='đang áp dụng')),
                ('kinds', models.ManyToManyField(related_name='internal_rules', to='units.unitkind', verbose_name='loại đơn vị phải có')),
            ],
            options={
                'verbose_name': 'nội quy, quy chế nội bộ',
                'verbose_name_plural': 'nội quy, quy chế nội bộ',
                'ordering': ['sort_order', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='registration',
            name='internal_rules',
            field=models.ManyToManyField(blank=True, related_name='registrations', to='registrations.internalrule', verbose_name='nội quy, quy chế đã ban hành'),
        ),
        migrations.RunPython(add_rules, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='registration',
            name='has_rule_fire_prevention',
        ),
        migrations.RemoveField(
            model_name='registration',
            name='has_rule_internal_politics',
        ),
        migrations.RemoveField(
            model_name='registration',
            name='has_rule_labour_safety',
        ),
        migrations.RemoveField(
            model_name='registration',
            name='has_rule_state_secrets',
        ),
        migrations.RemoveField(
            model_name='registration',
            name='has_rule_unit_protection',
        ),
    ]
