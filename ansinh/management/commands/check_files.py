"""Compare the database with the private files: files on disk that no row names (orphans, harmless: an
upload whose transaction rolled back, or a backup taken files-first) and rows whose file is missing (a
restore that lost files: those documents cannot be opened). Run it after every restore (see README)."""

import os

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models


def stored_names() -> dict[str, list[str]]:
    """{file name: ["app.Model #pk", …]} for every FileField of every model, soft-deleted rows included."""
    names = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                rows = model._base_manager.exclude(**{field.name: ""}).values_list("pk", field.name)
                for pk, name in rows.iterator():
                    names.setdefault(name, []).append(f"{model._meta.label} #{pk}")
    return names


def files_on_disk(root) -> set[str]:
    found = set()
    for folder, _, files in os.walk(root):
        for file in files:
            found.add(os.path.relpath(os.path.join(folder, file), root).replace(os.sep, "/"))
    return found


class Command(BaseCommand):
    help = "Đối chiếu cơ sở dữ liệu với thư mục tệp riêng: tệp mồ côi và dòng thiếu tệp."

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="Thoát với mã lỗi khi có dòng thiếu tệp.")

    def handle(self, *args, strict=False, **options):
        root = default_storage.location
        rows = stored_names()
        disk = files_on_disk(root)
        orphans = sorted(disk - set(rows))
        missing = sorted((name, owner) for name, owners in rows.items() if name not in disk for owner in owners)
        self.stdout.write(f"Thư mục tệp: {root}")
        self.stdout.write(f"{len(rows)} tệp được ghi trong cơ sở dữ liệu, {len(disk)} tệp trên đĩa.")
        self.stdout.write(f"Tệp mồ côi (trên đĩa, không dòng nào trỏ tới): {len(orphans)}")
        for name in orphans:
            self.stdout.write(f"  {name}")
        self.stdout.write(f"Dòng thiếu tệp (có trong cơ sở dữ liệu, không có trên đĩa): {len(missing)}")
        for name, owner in missing:
            self.stdout.write(f"  {owner}: {name}")
        if strict and missing:
            raise CommandError(f"{len(missing)} dòng thiếu tệp.")
