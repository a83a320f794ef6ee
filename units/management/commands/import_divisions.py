from django.core.management.base import BaseCommand, CommandError

from units.divisions import import_divisions, record_2025_mergers


class Command(BaseCommand):
    help = "Nạp danh mục tỉnh và xã/phường (sau sắp xếp 2025, có mã) từ gói vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument("--province", help='Chỉ nạp một tỉnh, ví dụ: --province "Gia Lai"')
        parser.add_argument(
            "--mergers",
            action="store_true",
            help="Ghi nhận cả việc sắp xếp xã năm 2025: xã cũ nào sáp nhập, chia tách vào xã mới nào.",
        )

    def handle(self, *args, province=None, mergers=False, **options):
        try:
            created, updated = import_divisions(province)
            self.stdout.write(self.style.SUCCESS(f"Đã tạo {created}, cập nhật {updated} đơn vị hành chính."))
            if mergers:
                old, linked = record_2025_mergers(province)
                done = f"Sắp xếp năm 2025: {old} xã cũ mới ghi nhận, {linked} quan hệ sáp nhập/chia tách."
                self.stdout.write(self.style.SUCCESS(done))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
