"""Reading what a print job produced, as a person does: the button's POST leads to the job's page, whose
download link gives the PDF."""

from django.urls import resolve, reverse


def job_pdf(client, response) -> bytes:
    """The PDF behind a print button's response (a redirect to its job page)."""
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.view_name == "job", response["Location"]
    download = reverse("job_download", args=[match.kwargs["public_id"]])
    assert download in client.get(response["Location"]).content.decode()
    file = client.get(download)
    assert file["Content-Type"] == "application/pdf"
    return b"".join(file.streaming_content)


def registration_list_pdf(client, commune, year_number) -> bytes:
    """The commune's compiled list, printed with the board's button."""
    url = reverse("certificates:print_registration_list", args=[commune.public_id])
    return job_pdf(client, client.post(url, {"nam": year_number}))
