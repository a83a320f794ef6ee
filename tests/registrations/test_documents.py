from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registrations.models import Registration, RegistrationDocument

S = Registration.Status
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(client, reg, doc_type, *files):
    return client.post(
        reverse("registrations:upload", args=[reg.public_id]),
        {"doc_type": doc_type, "files": list(files)},
        follow=True,
    )


def test_an_exe_renamed_to_pdf_is_refused(client, make_registration, village, village_head):
    reg = make_registration(village, user=village_head)
    client.force_login(village_head)
    response = upload(
        client, reg, "party_resolution", SimpleUploadedFile("nghi-quyet.pdf", EXE, content_type="application/pdf")
    )
    assert "Tệp «nghi-quyet.pdf» không phải định dạng được chấp nhận" in response.content.decode()
    assert RegistrationDocument.objects.count() == 0


def test_an_exe_renamed_to_pdf_is_refused_on_the_registration_form_too(client, year, village, village_head):
    client.force_login(village_head)
    response = client.post(
        reverse("registrations:create", args=[village.public_id]),
        {
            "base_count": 142,
            "committed_count": 142,
            "note": "",
            "submit": "1",
            "doc_registration_form": [SimpleUploadedFile("ban-dang-ky.pdf", EXE)],
        },
    )
    assert response.status_code == 200
    assert "không phải định dạng được chấp nhận" in response.content.decode()
    assert Registration.objects.count() == 0


def test_a_file_over_the_limit_is_refused(settings, client, make_registration, village, village_head, photo):
    settings.UPLOAD_MAX_BYTES = 50
    reg = make_registration(village, user=village_head)
    client.force_login(village_head)
    response = upload(client, reg, "registration_form", photo)
    assert "dung lượng 69\xa0byte, vượt giới hạn 50\xa0byte." in response.content.decode()
    assert RegistrationDocument.objects.count() == 0


def test_several_photos_are_stored_under_random_names_and_downloaded_by_the_clerk(
    client, make_registration, village, village_head, clerk, photo, pdf_file
):
    reg = make_registration(village, user=village_head)
    client.force_login(village_head)
    response = upload(client, reg, "registration_form", photo, pdf_file)
    assert "Đã tải lên 2 tệp." in response.content.decode()
    docs = list(RegistrationDocument.objects.order_by("pk"))
    assert [d.original_name for d in docs] == ["trang-1.png", "nghi-quyet.pdf"]
    assert "trang-1" not in docs[0].file.name

    client.force_login(clerk)
    download = client.get(reverse("registrations:document", args=[docs[1].public_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_clerk_of_another_commune_gets_404_on_the_files(
    client, make_registration, village, village_head, outsider_clerk, photo
):
    reg = make_registration(village, user=village_head)
    client.force_login(village_head)
    upload(client, reg, "registration_form", photo)
    doc = RegistrationDocument.objects.get()
    client.force_login(outsider_clerk)
    assert client.get(reverse("registrations:document", args=[doc.public_id])).status_code == 404
    assert client.post(reverse("registrations:document_remove", args=[doc.public_id])).status_code == 404
    assert (
        client.post(
            reverse("registrations:upload", args=[reg.public_id]), {"doc_type": "other", "files": [photo]}
        ).status_code
        == 404
    )
    assert RegistrationDocument.objects.alive().count() == 1


def test_removing_a_document_only_hides_it(client, make_registration, village, village_head, photo):
    reg = make_registration(village, user=village_head)
    client.force_login(village_head)
    upload(client, reg, "registration_form", photo)
    doc = RegistrationDocument.objects.get()
    response = client.post(reverse("registrations:document_remove", args=[doc.public_id]), follow=True)
    assert "Đã gỡ tệp «trang-1.png»." in response.content.decode()
    doc.refresh_from_db()
    assert doc.deleted_at is not None
    assert doc.deleted_by == village_head
    assert client.get(reverse("registrations:document", args=[doc.public_id])).status_code == 404


def test_village_head_cannot_change_documents_once_received(client, make_registration, village, village_head, photo):
    reg = make_registration(village, S.ACCEPTED)
    client.force_login(village_head)
    assert (
        client.post(
            reverse("registrations:upload", args=[reg.public_id]), {"doc_type": "other", "files": [photo]}
        ).status_code
        == 403
    )
    assert RegistrationDocument.objects.count() == 0
