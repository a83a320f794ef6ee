from django.core.management.base import BaseCommand, CommandError

from units.divisions import import_divisions


class Command(BaseCommand):
    help = "Nạp danh mục tỉnh và xã/phường (sau sắp xếp 2025, có mã) từ gói vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument("--province", help='Chỉ nạp một tỉnh, ví dụ: --province "Gia Lai"')

    def handle(self, *args, province=None, **options):
        try:
            created, updated = import_divisions(province)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {created}, cập nhật {updated} đơn vị hành chính."))
