import io

from django.urls import reverse
from pypdf import PdfReader

from ansinh.models import Job
from tests.pdfs import job_pdf


def test_a_batch_becomes_a_job_whose_file_the_clerk_downloads(client, records_clerk, decision):
    client.force_login(records_clerk)
    response = client.post(reverse("certificates:print_decision", args=[decision.public_id]))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job", args=[job.public_id])
    # The immediate backend (no worker configured) ran the job inline.
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 12, 12)
    page = client.get(response["Location"]).content.decode()
    assert 'src="/static/js/job.js"' in page
    assert reverse("job_download", args=[job.public_id]) in page
    status = client.get(reverse("job_status", args=[job.public_id])).json()
    assert status == {
        "status": "done",
        "label": "Xong",
        "done": 12,
        "total": 12,
        "percent": 100,
        "message": "",
    }
    download = client.get(reverse("job_download", args=[job.public_id]))
    assert download["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert len(reader.pages) == 12
    assert "Trường THCS Nguyễn Du" in "".join(p.extract_text() for p in reader.pages)


def test_another_person_cannot_see_or_download_someone_elses_job(client, records_clerk, chairman, decision):
    client.force_login(records_clerk)
    client.post(reverse("certificates:print_decision", args=[decision.public_id]))
    job = Job.objects.get()
    client.force_login(chairman)
    for name in ("job", "job_status", "job_download"):
        assert client.get(reverse(name, args=[job.public_id])).status_code == 404


def test_an_address_of_the_old_print_job_pages_leads_to_the_job(client, records_clerk, decision):
    client.force_login(records_clerk)
    client.post(reverse("certificates:print_decision", args=[decision.public_id]))
    job = Job.objects.get()
    response = client.get(f"/giay-cong-nhan/lenh-in/{job.public_id}/tai-ve/")
    assert (response.status_code, response["Location"]) == (302, f"/tac-vu/{job.public_id}/tai-ve/")


def test_the_filtered_list_prints_only_what_the_filter_selects(client, records_clerk, decision):
    client.force_login(records_clerk)
    response = client.post(reverse("certificates:print_filtered"), {"q": "truong"})
    text = [p.extract_text() for p in PdfReader(io.BytesIO(job_pdf(client, response))).pages]
    assert len(text) == 2
    assert any("Trường THCS Nguyễn Du" in t for t in text)
    assert any("Trường Tiểu học Lê Quý Đôn" in t for t in text)


def test_the_filtered_list_prints_nothing_for_a_person_who_may_not_print(client, steering_office, decision):
    client.force_login(steering_office)
    response = client.post(reverse("certificates:print_filtered"), {})
    assert response.status_code == 302
    assert Job.objects.count() == 0


def test_list_pages_keep_a_flat_number_of_queries(client, records_clerk, decision, django_assert_max_num_queries):
    client.force_login(records_clerk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("certificates:list"))
    assert response.content.decode().count("/GCN-UBND") == 12
    with django_assert_max_num_queries(14):
        response = client.get(reverse("certificates:decision", args=[decision.public_id]))
    assert response.content.decode().count("Còn hiệu lực") == 12


def test_a_bad_year_in_the_filter_is_refused_in_vietnamese(client, records_clerk, decision):
    client.force_login(records_clerk)
    response = client.get(reverse("certificates:list"), {"nam": "abc"})
    assert response.status_code == 200
    assert "Bộ lọc không hợp lệ" in response.content.decode()
