"""Private files in an S3-compatible bucket (moto's S3 server): uploads land in the bucket, leave only
through the permission-checked views, and check_files compares the bucket with the rows."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from registrations.models import RegistrationDocument
from tests.registrations.conftest import PDF
from tests.registrations.test_documents import upload

pytestmark = pytest.mark.usefixtures("private_files_in_s3")


def bucket_objects(s3):
    client, bucket = s3
    return {o["Key"]: client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in list_keys(s3)}


def list_keys(s3):
    client, bucket = s3
    return client.list_objects_v2(Bucket=bucket).get("Contents", [])


def test_an_upload_lands_in_the_bucket_and_is_served_only_to_its_commune(
    client, private_files_in_s3, make_registration, village, village_head, clerk, outsider_clerk, pdf_file
):
    reg = make_registration(village, user=village_head)
    client.force_login(village_head)
    response = upload(client, reg, "registration_form", pdf_file)
    assert "Đã tải lên 1 tệp." in response.content.decode()
    doc = RegistrationDocument.objects.get()
    assert bucket_objects(private_files_in_s3) == {doc.file.name: PDF}

    client.force_login(clerk)
    download = client.get(reverse("registrations:document", args=[doc.public_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    shown = client.get(reverse("registrations:document", args=[doc.public_id]) + "?xem=1")
    assert shown["Content-Disposition"].startswith("inline")
    assert b"".join(shown.streaming_content) == PDF

    client.force_login(outsider_clerk)
    assert client.get(reverse("registrations:document", args=[doc.public_id])).status_code == 404


def test_a_pdf_with_javascript_in_the_bucket_is_only_downloaded(
    client, make_registration, village, village_head, clerk
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    scripted = PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>")
    reg = make_registration(village, user=village_head)
    client.force_login(village_head)
    upload(client, reg, "registration_form", SimpleUploadedFile("co-ma.pdf", scripted, "application/pdf"))
    doc = RegistrationDocument.objects.get()
    client.force_login(clerk)
    shown = client.get(reverse("registrations:document", args=[doc.public_id]) + "?xem=1")
    assert shown["Content-Disposition"].startswith("attachment")
    assert b"".join(shown.streaming_content) == scripted


def test_a_document_whose_object_is_gone_is_a_404_not_a_500(
    client, private_files_in_s3, make_registration, village, village_head, clerk, pdf_file
):
    reg = make_registration(village, user=village_head)
    client.force_login(village_head)
    upload(client, reg, "registration_form", pdf_file)
    doc = RegistrationDocument.objects.get()
    s3_client, bucket = private_files_in_s3
    s3_client.delete_object(Bucket=bucket, Key=doc.file.name)
    client.force_login(clerk)
    assert client.get(reverse("registrations:document", args=[doc.public_id])).status_code == 404


def test_check_files_lists_the_bucket(
    private_files_in_s3, make_registration, village, village_head, clerk, pdf_file, photo, client
):
    reg = make_registration(village, user=village_head)
    client.force_login(village_head)
    upload(client, reg, "registration_form", pdf_file, photo)
    kept, lost = RegistrationDocument.objects.order_by("pk")
    default_storage.delete(lost.file.name)
    orphan = default_storage.save("registrations/2026/01/mo-coi.pdf", ContentFile(PDF))
    out = io.StringIO()
    call_command("check_files", stdout=out)
    _, bucket = private_files_in_s3
    assert out.getvalue().splitlines() == [
        f"Kho tệp: s3://{bucket} ({default_storage.endpoint_url})",
        "2 tệp được ghi trong cơ sở dữ liệu, 2 tệp trong kho.",
        "Tệp mồ côi (trong kho, không dòng nào trỏ tới): 1",
        f"  {orphan}",
        "Dòng thiếu tệp (có trong cơ sở dữ liệu, không có trong kho): 1",
        f"  registrations.RegistrationDocument #{lost.pk}: {lost.file.name}",
    ]
    assert {o["Key"] for o in list_keys(private_files_in_s3)} == {kept.file.name, orphan}
