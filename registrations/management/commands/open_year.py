"""Open a province's evaluation year from the default dates (or the administrator's button in the portal)."""

from django.core.management.base import BaseCommand, CommandError

from registrations.services import open_year
from units.divisions import name_matches
from units.models import Unit


class Command(BaseCommand):
    help = "Mở năm đánh giá cho một tỉnh (hoặc mọi tỉnh), lấy mốc thời gian mặc định."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Năm, ví dụ 2027.")
        parser.add_argument("--province", help="Mã tỉnh (ví dụ 52) hoặc tên («Gia Lai»); bỏ trống: mọi tỉnh.")

    def handle(self, *args, year, province=None, **options):
        provinces = list(Unit.objects.filter(parent=None))
        if province:
            # As import_divisions takes it: the code, or the name with or without «Tỉnh»/«Thành phố».
            provinces = [p for p in provinces if p.code == province or name_matches(p.name, province)]
        if not provinces:
            raise CommandError(f"Không tìm thấy tỉnh «{province}».")
        for unit in provinces:
            opened = open_year(unit, year)
            self.stdout.write(f"{unit.name}: năm {opened.number}, {opened.deadlines.count()} nhóm mốc thời gian.")
