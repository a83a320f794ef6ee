"""Remove scans of signed forms that waited longer than PAPER_SCAN_PENDING_DAYS for the clerk's
confirmation (run daily beside the worker, e.g. from a systemd timer)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from registrations.paper_scans import discard_stale


class Command(BaseCommand):
    help = "Hủy các bản quét bản đăng ký đã ký chờ xác nhận quá số ngày quy định (mỗi lần hủy ghi nhật ký)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Số ngày chờ; mặc định PAPER_SCAN_PENDING_DAYS.")

    def handle(self, *args, days=None, **options):
        days = settings.PAPER_SCAN_PENDING_DAYS if days is None else days
        result = discard_stale(days)
        self.stdout.write(f"Đã hủy {len(result.removed)} bản quét chờ xác nhận quá {days} ngày.")
        for path in result.untracked:
            self.stdout.write(f"Giữ lại (không rõ người gửi, cần quản trị xem xét): {path}")
