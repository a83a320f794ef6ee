import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from ansinh.models import Job
from certificates import services
from certificates.models import Certificate, CertificateSettings
from tests.certificates.conftest import TWELVE_UNITS, issue
from tests.pdfs import job_pdf


def pdf_pages(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_issuing_a_decision_gives_each_unit_a_numbered_certificate(decision):
    certificates = list(decision.certificates.order_by("number"))
    assert [c.number for c in certificates] == list(range(1, 13))
    assert sorted(c.unit_name for c in certificates) == sorted(name for name, _ in TWELVE_UNITS)
    assert {c.managing_unit_name for c in certificates} == {"Xã Kon Gang"}
    assert certificates[0].number_label == "01/GCN-UBND"


def test_codes_are_unguessable_and_url_safe(decision):
    codes = list(decision.certificates.values_list("code", flat=True))
    assert len(set(codes)) == 12
    # 16 characters of the URL-safe alphabet carry 96 bits.
    assert all(len(code) == 16 and code.replace("-", "").replace("_", "").isalnum() for code in codes)


def test_issuing_again_adds_nothing(decision, chairman):
    assert services.issue_for_decision(decision, chairman) == []
    assert Certificate.objects.count() == 12


def test_numbers_follow_on_across_decisions_with_the_configured_symbol(decision, kon_gang, year, chairman):
    CertificateSettings.objects.create(unit=kon_gang, symbol="GCN-ANTT")
    second = issue(kon_gang, year, chairman, [("Thôn Mới", "thon")], number_day=20)
    certificate = second.certificates.get()
    assert certificate.number_label == "13/GCN-ANTT"


def test_records_clerk_prints_a_decision_as_one_pdf_with_a_page_per_unit(client, records_clerk, decision):
    client.force_login(records_clerk)
    response = client.post(reverse("certificates:print_decision", args=[decision.public_id]))
    pages = pdf_pages(job_pdf(client, response))
    assert len(pages) == 12
    for name, _ in TWELVE_UNITS:
        assert sum(1 for text in pages if name in text) == 1, name
    first = next(text for text in pages if "Làng Kon Gang Tơ Pơng" in text)
    assert "GIẤY CÔNG NHẬN" in first
    number = decision.certificates.get(unit_name="Làng Kon Gang Tơ Pơng").number
    assert f"Số: {number:02d}/GCN-UBND" in first
    assert "Quyết định số 01/QĐ-UBND ngày 14/11/2026" in first
    assert "Kon Gang, ngày 14 tháng 11 năm 2026" in first
    assert "Nguyễn Văn An" in first
    assert "Đơn vị quản lý: Xã Kon Gang" in first
    assert "http://127.0.0.1:8000/giay-cong-nhan/xac-minh/" in first


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_no_certificate_of_a_batch_carries_a_page_number(client, records_clerk, decision, tmp_path):
    client.force_login(records_clerk)
    response = client.post(reverse("certificates:print_decision", args=[decision.public_id]))
    (tmp_path / "batch.pdf").write_bytes(job_pdf(client, response))
    pdftoppm = shutil.which("pdftoppm")
    # Page 2 at 100 dpi, in grey: the frame starts 9 mm (35 px) from the top edge.
    subprocess.run(  # noqa: S603
        [
            pdftoppm,
            "-r",
            "100",
            "-gray",
            "-png",
            "-f",
            "2",
            "-l",
            "2",
            "-singlefile",
            tmp_path / "batch.pdf",
            tmp_path / "p",
        ],
        check=True,
    )
    page = Image.open(tmp_path / "p.png").convert("L")
    assert page.size == (1170, 827)
    # A batch is one document, but each page is a certificate of its own: nothing above the frame.
    assert page.crop((0, 0, page.width, 32)).getextrema() == (255, 255)
    assert page.crop((0, 32, page.width, 50)).getextrema()[0] < 128, "the frame is drawn"


def test_chairman_prints_one_certificate(client, chairman, decision):
    certificate = decision.certificates.get(unit_name="Trường THCS Nguyễn Du")
    client.force_login(chairman)
    response = client.get(reverse("certificates:pdf", args=[certificate.public_id]))
    assert response.status_code == 200
    (text,) = pdf_pages(response.content)
    assert "Trường THCS Nguyễn Du" in text
    assert f"Số: {certificate.number:02d}/GCN-UBND" in text
    assert certificate.code in text


def test_a_long_unit_name_keeps_its_certificate_on_one_page(client, chairman, decision):
    certificate = decision.certificates.get(unit_name="Trường THCS Nguyễn Du")
    name = "Trường Trung học phổ thông Nguyễn Bỉnh Khiêm, thị trấn Đak Đoa, huyện Đak Đoa, tỉnh Gia Lai"
    Certificate.objects.filter(pk=certificate.pk).update(unit_name=name)
    client.force_login(chairman)
    response = client.get(reverse("certificates:pdf", args=[certificate.public_id]))
    (text,) = pdf_pages(response.content)
    assert name.replace(" ", "") in text.replace(" ", "").replace("\n", "")
    assert "Nguyễn Văn An" in text


@pytest.mark.parametrize("who", ["steering_office", "clerk"])
def test_other_roles_of_the_issuing_level_cannot_print(client, request, decision, who):
    client.force_login(request.getfixturevalue(who))
    certificate = decision.certificates.first()
    assert client.post(reverse("certificates:print_decision", args=[decision.public_id])).status_code == 403
    assert client.get(reverse("certificates:pdf", args=[certificate.public_id])).status_code == 403


def test_outsiders_get_404_on_every_certificate_page(client, outsider_clerk, village_head, decision):
    certificate = decision.certificates.first()
    urls = [
        ("get", reverse("certificates:decision", args=[decision.public_id])),
        ("post", reverse("certificates:print_decision", args=[decision.public_id])),
        ("post", reverse("certificates:issue", args=[decision.public_id])),
        ("get", reverse("certificates:pdf", args=[certificate.public_id])),
        ("get", reverse("certificates:history", args=[certificate.public_id])),
        ("post", reverse("certificates:revoke", args=[certificate.public_id])),
        ("post", reverse("certificates:reissue", args=[certificate.public_id])),
    ]
    for user in (outsider_clerk, village_head):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url, {"reason": "x"}).status_code == 404, (user, url)


def test_certificates_of_an_older_decision_are_issued_from_its_page(client, records_clerk, decision):
    Certificate.objects.all().delete()
    client.force_login(records_clerk)
    page = client.get(reverse("certificates:decision", args=[decision.public_id]))
    assert "12 đơn vị chưa có" in page.content.decode()
    client.post(reverse("certificates:issue", args=[decision.public_id]))
    assert Certificate.objects.filter(decision=decision).count() == 12


def test_the_clerks_home_page_says_how_many_decisions_still_lack_certificates(client, records_clerk, decision):
    client.force_login(records_clerk)
    assert "quyết định còn đơn vị chưa được cấp giấy" not in client.get("/").content.decode()
    Certificate.objects.filter(unit_name="Thôn Hà Lòng").delete()
    page = client.get("/").content.decode()
    assert '<span class="badge text-bg-warning">1</span> quyết định còn đơn vị chưa được cấp giấy.' in page


def test_an_invalid_filter_prints_nothing_and_says_why(client, records_clerk):
    client.force_login(records_clerk)

    response = client.post(reverse("certificates:print_filtered"), {"nam": "abc"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("certificates:list")
    assert [str(m).startswith("Bộ lọc không hợp lệ: ") for m in response.context["messages"]] == [True]
    assert Job.objects.count() == 0
