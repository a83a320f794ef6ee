"""Fill the database with the demo province: Gia Lai, Xã Kon Gang and Xã Đak Đoa, their units,
people for every role, and the year in progress. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from certificates import demo as certificates_demo
from dossiers import demo as dossiers_demo
from registrations import demo as registrations_demo
from scoring import demo as scoring_demo
from units import demo as units_demo

# Each app adds its part of the story, in the order of the year.
DEMO_MODULES = [units_demo, registrations_demo, dossiers_demo, scoring_demo, certificates_demo]


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (tỉnh Gia Lai, xã Kon Gang, xã Đak Đoa) và tài khoản demo."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Chạy cả khi DEBUG tắt (máy thật).")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG đang tắt: dữ liệu mẫu có mật khẩu công khai. Thêm --force nếu thật sự muốn.")
        for module in DEMO_MODULES:
            with transaction.atomic():
                summary = module.seed(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"{module.__name__}: {summary}"))
