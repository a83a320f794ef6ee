"""Compare the database with the private files: stored files that no row names (orphans, harmless: an
upload whose transaction rolled back, or a backup taken files-first) and rows whose file is missing (a
restore that lost files: those documents cannot be opened). Run it after every restore (see README).
The files are listed through the storage API, so a bucket is checked like the local disk."""

import posixpath

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


def stored_files(storage, folder="") -> set[str]:
    """Every file name in `storage` under `folder`, as a FileField stores it."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return set()
    found = {posixpath.join(folder, name) for name in files}
    for sub in folders:
        found |= stored_files(storage, posixpath.join(folder, sub))
    return found


def describe(storage) -> str:
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        return f"s3://{bucket}/{storage.location}".rstrip("/") + (
            f" ({storage.endpoint_url})" if storage.endpoint_url else ""
        )
    return str(storage.location)


class Command(BaseCommand):
    help = "Đối chiếu cơ sở dữ liệu với kho tệp riêng (thư mục hoặc bucket S3): tệp mồ côi và dòng thiếu tệp."

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="Thoát với mã lỗi khi có dòng thiếu tệp.")

    def handle(self, *args, strict=False, **options):
        rows = stored_names()
        stored = stored_files(default_storage)
        orphans = sorted(stored - set(rows))
        missing = sorted((name, owner) for name, owners in rows.items() if name not in stored for owner in owners)
        self.stdout.write(f"Kho tệp: {describe(default_storage)}")
        self.stdout.write(f"{len(rows)} tệp được ghi trong cơ sở dữ liệu, {len(stored)} tệp trong kho.")
        self.stdout.write(f"Tệp mồ côi (trong kho, không dòng nào trỏ tới): {len(orphans)}")
        for name in orphans:
            self.stdout.write(f"  {name}")
        self.stdout.write(f"Dòng thiếu tệp (có trong cơ sở dữ liệu, không có trong kho): {len(missing)}")
        for name, owner in missing:
            self.stdout.write(f"  {owner}: {name}")
        if strict and missing:
            raise CommandError(f"{len(missing)} dòng thiếu tệp.")
