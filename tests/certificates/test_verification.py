import shutil
import subprocess
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from PIL import Image

from certificates import services
from certificates.printing import render_certificates


def test_anyone_sees_a_valid_certificate_without_logging_in(client, decision):
    certificate = decision.certificates.get(unit_name="Trường THCS Nguyễn Du")
    response = client.get(reverse("certificates:verify", args=[certificate.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "CÒN HIỆU LỰC" in body
    assert "Trường THCS Nguyễn Du" in body
    assert f"{certificate.number:02d}/GCN-UBND" in body
    assert "Xã Kon Gang" in body
    assert "năm 2026" in body


def test_the_public_page_names_nobody(client, decision, chairman):
    certificate = decision.certificates.first()
    chairman.first_name, chairman.last_name = "Trần Thị", "Bích"
    chairman.save()
    services.revoke(certificate=certificate, user=chairman, reason="Ông Lê Văn Tám báo sai tên đơn vị")
    response = client.get(reverse("certificates:verify", args=[certificate.code]))
    body = response.content.decode()
    # The page is the real one (a broken page names nobody either).
    assert (response.status_code, certificate.unit_name in body) == (200, True)
    for personal in ("Nguyễn Văn An", "Trần Thị", "Bích", "Lê Văn Tám", "chutich.konggang", "báo sai tên"):
        assert personal not in body


def test_a_revoked_certificate_shows_revoked_with_its_date(client, decision, chairman):
    certificate = decision.certificates.first()
    services.revoke(certificate=certificate, user=chairman, reason="Phát hiện vụ việc trong kỳ")
    certificate.refresh_from_db()
    response = client.get(reverse("certificates:verify", args=[certificate.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "ĐÃ THU HỒI" in body
    assert f"ngày {certificate.revoked_at.astimezone():%d/%m/%Y}" in body
    assert "CÒN HIỆU LỰC" not in body


def test_an_unknown_code_is_not_found(client, decision):
    response = client.get(reverse("certificates:verify", args=["khongcoma1234567"]))
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_the_verification_page_is_rate_limited_per_address(client, decision, settings):
    settings.VERIFY_RATE_LIMIT = 3
    url = reverse("certificates:verify", args=[decision.certificates.first().code])
    statuses = [client.get(url, REMOTE_ADDR="10.0.0.1").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_printed_qr_code_scans_to_the_verification_page(client, decision, tmp_path):
    import zxingcpp

    certificate = decision.certificates.get(unit_name="Làng Kon Gang Tơ Pơng")
    (tmp_path / "c.pdf").write_bytes(render_certificates([certificate]))
    pdftoppm = shutil.which("pdftoppm")
    subprocess.run([pdftoppm, "-r", "150", "-png", "-singlefile", tmp_path / "c.pdf", tmp_path / "page"], check=True)  # noqa: S603
    image = Image.open(tmp_path / "page.png")
    # A4 landscape at 150 dpi.
    assert image.size == (1754, 1241)
    (code,) = zxingcpp.read_barcodes(image)
    assert code.text == certificate.verify_url
    response = client.get(urlparse(code.text).path)
    assert response.status_code == 200
    assert "Làng Kon Gang Tơ Pơng" in response.content.decode()
