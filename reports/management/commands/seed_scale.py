import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from reports.scale import seed_scale
from units.models import Category, Unit


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu quy mô toàn quốc để đo hiệu năng: nạp danh mục tỉnh, xã (import_divisions) rồi thêm "
        "khoảng 30 đơn vị mỗi xã, đăng ký và hồ sơ của hai năm. Chạy lại cùng --seed không thêm gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--per-commune", type=int, default=30)
        parser.add_argument("--max-communes", type=int, help="Chỉ sinh cho N xã đầu tiên (đo ở quy mô nhỏ).")
        parser.add_argument("--province", help="Chỉ nạp một tỉnh (như import_divisions --province).")

    def handle(self, *args, seed, per_commune, max_communes, province, **options):
        started = time.perf_counter()
        if province or not Unit.objects.filter(kind__category=Category.COMMUNE).exclude(code="").exists():
            call_command("import_divisions", *(["--province", province] if province else []), stdout=self.stdout)
        created = seed_scale(seed=seed, per_commune=per_commune, max_communes=max_communes, out=self.stdout.write)
        total = Unit.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã thêm {created} đơn vị (tổng {total}) trong {time.perf_counter() - started:.0f} giây."
            )
        )
