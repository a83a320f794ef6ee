"""check_files reports orphan files and rows whose file is missing (run after a restore)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from registrations import services
from registrations.models import RegistrationDocument
from tests.dossiers.conftest import TINY_PDF


@pytest.fixture
def documents(province, village, clerk):
    year = services.open_year(province, 2026)
    registration = services.start_registration(
        unit=village, year=year, user=clerk, registered_on="2026-02-01", base_count=5, committed_count=5
    )
    files = [SimpleUploadedFile(f"{n}.pdf", TINY_PDF, "application/pdf") for n in ("con", "mat")]
    return services.add_documents(registration=registration, doc_type="other", files=files, user=clerk)


def test_orphan_files_and_rows_without_their_file_are_listed(documents):
    kept, lost = documents
    default_storage.delete(lost.file.name)
    orphan = default_storage.save("registrations/2026/01/mo-coi.pdf", ContentFile(TINY_PDF))
    lost.soft_delete(None)  # a removed document still needs its file
    out = io.StringIO()
    call_command("check_files", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1:] == [
        "2 tệp được ghi trong cơ sở dữ liệu, 2 tệp trong kho.",
        "Tệp mồ côi (trong kho, không dòng nào trỏ tới): 1",
        f"  {orphan}",
        "Dòng thiếu tệp (có trong cơ sở dữ liệu, không có trong kho): 1",
        f"  registrations.RegistrationDocument #{lost.pk}: {lost.file.name}",
    ]
    assert RegistrationDocument.objects.filter(pk=kept.pk).exists()


def test_strict_mode_fails_when_a_file_is_missing(documents):
    default_storage.delete(documents[0].file.name)
    with pytest.raises(CommandError, match="1 dòng thiếu tệp."):
        call_command("check_files", "--strict", stdout=io.StringIO())


def test_a_complete_store_reports_nothing(documents):
    out = io.StringIO()
    call_command("check_files", "--strict", stdout=out)
    assert "Tệp mồ côi (trong kho, không dòng nào trỏ tới): 0" in out.getvalue()
    assert "Dòng thiếu tệp (có trong cơ sở dữ liệu, không có trong kho): 0" in out.getvalue()
