"""The compiled registration list (issue 13): rows never split across pages, a group heading never stands
alone, names do not wrap, no empty number line; every list prints through a job."""

import datetime
import io
import re
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ansinh.models import Job
from registrations.models import MovementModel, Registration
from registrations.services import open_year
from tests.factories import UnitFactory, kind
from tests.pdfs import registration_list_pdf

KINDS = ["thon", "lang", "co-quan", "doanh-nghiep", "co-so-giao-duc"]
PREFIX = {"thon": "Thôn", "lang": "Làng", "co-quan": "Trạm", "doanh-nghiep": "Công ty TNHH", "co-so-giao-duc": "Trường"}


def page_texts(content):
    return [
        unicodedata.normalize("NFC", " ".join(page.extract_text().split()))
        for page in PdfReader(io.BytesIO(content)).pages
    ]


@pytest.fixture
def forty_units(kon_gang, province):
    """40 units, each with a unique name and a unique «registered/total» figure on its row."""
    year = open_year(province, 2026)
    rows = {}
    for i in range(40):
        code = KINDS[i % len(KINDS)]
        unit = UnitFactory(
            name=f"{PREFIX[code]} Kon Gang Tơ Pơng Đê Kjiêng số {i:02d}",
            kind=kind(code),
            parent=kon_gang,
            households=120 if code in ("thon", "lang") else None,
            staff=None if code in ("thon", "lang") else 120,
        )
        reg = Registration.objects.create(
            unit=unit,
            year=year,
            status=Registration.Status.ACCEPTED,
            registered_on=datetime.date(2026, 2, 5),
            base_count=120,
            committed_count=60 + i,
        )
        MovementModel.objects.create(registration=reg, name="Tổ tự quản an ninh trật tự, phòng cháy chữa cháy")
        rows[unit.name] = f"{60 + i}/120"
    return rows


def test_the_forty_unit_list_never_splits_a_row_or_strands_a_group_heading(client, clerk, kon_gang, forty_units):
    client.force_login(clerk)
    pages = page_texts(registration_list_pdf(client, kon_gang, 2026))
    assert len(pages) > 1
    for name, figure in forty_units.items():
        holding = [i for i, text in enumerate(pages) if name in text]
        assert len(holding) == 1, f"{name} on pages {holding}"
        assert figure in pages[holding[0]], f"{name}: its row's figure {figure} is on another page"
    for text in pages:
        for heading in re.finditer(r"\(\d+ đơn vị\)", text):
            rest = text[heading.end() :]
            assert any(name in rest for name in forty_units), f"group heading alone at the bottom: {text[-200:]}"


def test_the_list_prints_no_empty_number_line(client, clerk, kon_gang, forty_units):
    client.force_login(clerk)
    first = page_texts(registration_list_pdf(client, kon_gang, 2026))[0]
    assert "Số:" not in first
    assert "/DS-UBND" not in first


def test_the_list_prints_through_a_job_whose_file_the_clerk_downloads(client, clerk, kon_gang, forty_units):
    client.force_login(clerk)
    response = client.post(reverse("certificates:print_registration_list", args=[kon_gang.public_id]), {"nam": 2026})
    job = Job.objects.get()
    assert response["Location"] == reverse("job", args=[job.public_id])
    assert job.status == Job.Status.DONE
    download = client.get(reverse("job_download", args=[job.public_id]))
    assert "Trường Kon Gang Tơ Pơng Đê Kjiêng số 04" in " ".join(page_texts(b"".join(download.streaming_content)))


def test_outsiders_cannot_print_the_communes_list(client, outsider_clerk, village_head, kon_gang, forty_units):
    url = reverse("certificates:print_registration_list", args=[kon_gang.public_id])
    for user in (outsider_clerk, village_head):
        client.force_login(user)
        assert client.post(url, {"nam": 2026}).status_code == 404


def test_an_unknown_year_is_not_found(client, clerk, kon_gang, forty_units):
    client.force_login(clerk)
    url = reverse("certificates:print_registration_list", args=[kon_gang.public_id])
    assert client.post(url, {"nam": "abc"}).status_code == 404
    assert client.post(url, {"nam": 1999}).status_code == 404


def test_the_old_list_address_offers_the_print_button_and_prints_nothing(client, clerk, kon_gang, forty_units):
    client.force_login(clerk)
    response = client.get(reverse("registrations:board_pdf", args=[kon_gang.public_id]) + "?nam=2026")
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert f'action="{reverse("certificates:print_registration_list", args=[kon_gang.public_id])}"' in page
    assert '<input type="hidden" name="nam" value="2026">' in page
    assert "In danh sách (PDF)" in page
    assert Job.objects.count() == 0
