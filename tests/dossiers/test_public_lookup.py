"""Receipt codes and the public lookup: a code is drawn at the first submission and kept on resubmission;
anyone may look it up from the login page, and learns the unit, the year, the step and a return reason —
never a person or a document."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ansinh import receipts
from dossiers.workflow import transition
from registrations import workflow as registration_workflow
from registrations.models import Registration
from tests.dossiers.conftest import make_dossier, register

CODE = re.compile(r"^ANTT-26-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


@pytest.fixture
def submitted_registration(year, village, village_head):
    reg = register(village, year, status=Registration.Status.DRAFT)
    return registration_workflow.perform(reg, "submit", village_head)


@pytest.fixture
def returned_dossier(year, other_village, clerk, steering_office):
    dossier = make_dossier(other_village, year)
    dossier = transition(dossier, "submit", clerk)
    return transition(dossier, "return", steering_office, reason="Thiếu chữ ký của Bí thư chi bộ trên biên bản.")


def test_first_submission_draws_a_code_and_resubmission_keeps_it(year, village, village_head, clerk):
    reg = register(village, year, status=Registration.Status.DRAFT)
    assert reg.receipt_code == ""
    reg = registration_workflow.perform(reg, "submit", village_head)
    first = reg.receipt_code
    assert CODE.match(first)
    reg = registration_workflow.perform(reg, "return", clerk, reason="Thiếu số hộ")
    reg = registration_workflow.perform(reg, "resubmit", village_head)
    assert reg.receipt_code == first
    assert Registration.objects.get(pk=reg.pk).receipt_code == first


def test_codes_are_read_in_any_case_with_or_without_dashes():
    assert receipts.normalise("antt-26-7k3f-q9xz") == "ANTT-26-7K3F-Q9XZ"
    assert receipts.normalise("ANTT267K3FQ9XZ") == "ANTT-26-7K3F-Q9XZ"
    assert receipts.normalise(" antt 26 7k3f q9xz ") == "ANTT-26-7K3F-Q9XZ"
    # Crockford: O reads as zero, I and L as one.
    assert receipts.normalise("ANTT-26-7K3F-QOIL") == "ANTT-26-7K3F-Q011"
    assert receipts.normalise("ANTT-26-7K3F") is None
    assert receipts.normalise("ANTT-26-7K3F-Q9U!") is None


def test_lookup_of_a_submitted_registration_shows_unit_year_and_step(client, submitted_registration):
    code = submitted_registration.receipt_code
    response = client.get(reverse("lookup"), {"ma": code.lower().replace("-", "")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Làng Kon Gang Tơ Pơng" in page
    assert "2026" in page
    assert "Đã nộp" in page
    assert code in page
    assert "Lý do trả lại" not in page


def test_lookup_of_a_returned_dossier_shows_the_reason(client, returned_dossier):
    response = client.get(reverse("lookup"), {"ma": returned_dossier.receipt_code})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thôn Hà Lòng" in page
    assert "Yêu cầu bổ sung" in page
    assert "Thiếu chữ ký của Bí thư chi bộ trên biên bản." in page


def test_an_unknown_or_malformed_code_is_not_found(client, submitted_registration):
    for typed in ("ANTT-26-0000-0000", "xin chào"):
        response = client.get(reverse("lookup"), {"ma": typed})
        assert response.status_code == 404
        assert "Không tìm thấy" in response.content.decode()


def test_the_empty_form_is_reachable_from_the_login_page(client):
    login = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("lookup")}"' in login
    response = client.get(reverse("lookup"))
    assert response.status_code == 200
    assert "Tra cứu hồ sơ" in response.content.decode()


def test_lookups_beyond_the_allowance_are_refused_with_429(client, settings, submitted_registration):
    settings.PUBLIC_LOOKUP_MAX = 3
    code = submitted_registration.receipt_code
    statuses = [client.get(reverse("lookup"), {"ma": code}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(reverse("lookup"), {"ma": code})
    assert "quá nhiều lần" in refused.content.decode()
    other_address = client.get(reverse("lookup"), {"ma": code}, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200


def test_lookup_writes_nothing(client, submitted_registration, django_assert_max_num_queries):
    before = Registration.objects.get(pk=submitted_registration.pk).updated_at
    with django_assert_max_num_queries(4):
        client.get(reverse("lookup"), {"ma": submitted_registration.receipt_code})
    assert Registration.objects.get(pk=submitted_registration.pk).updated_at == before


def test_receipt_pdf_prints_the_code_for_those_who_see_the_unit(client, submitted_registration, clerk, outsider_clerk):
    url = reverse("registrations:receipt", args=[submitted_registration.public_id])
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "GIẤY BIÊN NHẬN" in text
    assert submitted_registration.receipt_code in text
    assert "Làng Kon Gang Tơ Pơng" in text
    client.force_login(outsider_clerk)
    assert client.get(url).status_code == 404


def test_a_draft_has_no_receipt(client, year, village, village_head):
    reg = register(village, year, status=Registration.Status.DRAFT)
    client.force_login(village_head)
    assert client.get(reverse("registrations:receipt", args=[reg.public_id])).status_code == 404


def test_dossier_receipt_prints_for_the_unit_and_its_commune(client, returned_dossier, clerk, outsider_clerk):
    url = reverse("dossiers:receipt", args=[returned_dossier.public_id])
    client.force_login(clerk)
    text = PdfReader(io.BytesIO(client.get(url).content)).pages[0].extract_text()
    assert "Hồ sơ đề nghị công nhận" in text
    assert returned_dossier.receipt_code in text
    client.force_login(outsider_clerk)
    assert client.get(url).status_code == 404
