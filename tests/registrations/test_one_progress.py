"""One answer for a commune's registration progress: the board, the progress page, the compiled list (PDF
and Excel), the progress Excel and the commune's checklist item all read registrations.progress."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from dossiers.criteria import checklist
from dossiers.models import CheckCode, Dossier, DossierStatus
from registrations.models import Registration
from tests.dossiers.conftest import make_dossier, register
from tests.factories import UnitFactory, kind
from tests.pdfs import registration_list_pdf

S = Registration.Status
TODAY = "2026-02-20 09:00"


def workbook(client, url_name, unit):
    return load_workbook(io.BytesIO(client.get(reverse(url_name, args=[unit.public_id])).content))


@pytest.fixture
def kon_gang_year(kon_gang, year):
    """Kon Gang with a unit in every situation. Counted: the 2 villages, the agency, the school and the
    enterprise (5); registered (submitted or accepted): the accepted village and the late one (2).
    Not counted: the commune itself (registered), a returned agency (counted, not registered), an
    out-of-scope kindergarten and an archived village (both registered: they still do not count)."""
    village = UnitFactory(name="Làng A", kind=kind("lang"), parent=kon_gang)
    late_village = UnitFactory(name="Thôn B", kind=kind("thon"), parent=kon_gang)
    agency = UnitFactory(name="Trạm Y tế", kind=kind("co-quan"), parent=kon_gang, staff=9, households=None)
    school = UnitFactory(name="Trường THCS", kind=kind("co-so-giao-duc"), parent=kon_gang, staff=30)
    UnitFactory(name="Công ty Cà phê", kind=kind("doanh-nghiep"), parent=kon_gang, staff=120)
    kindergarten = UnitFactory(
        name="Trường mầm non", kind=kind("co-so-giao-duc"), parent=kon_gang, out_of_scope="kindergarten"
    )
    archived = UnitFactory(name="Thôn cũ", kind=kind("thon"), parent=kon_gang, archived_at=timezone.now())
    register(village, year)
    register(late_village, year, status=S.SUBMITTED)
    Registration.objects.filter(unit=late_village).update(is_late=True)
    register(agency, year, status=S.RETURNED)
    register(school, year, status=S.DRAFT)
    register(kindergarten, year)
    register(archived, year)
    make_dossier(village, year, DossierStatus.RECOGNISED, documents=False)
    make_dossier(archived, year, DossierStatus.RECOGNISED, documents=False)
    make_dossier(kon_gang, year, documents=False)
    return year


@freeze_time(TODAY)
def test_every_page_and_export_shows_the_same_registration_progress_of_a_commune(
    client, kon_gang, kon_gang_year, clerk
):
    client.force_login(clerk)
    board = client.get(reverse("registrations:board", args=[kon_gang.public_id]) + "?nam=2026")
    assert board.context["progress"].registered == 2
    assert board.context["progress"].total == 5
    assert '<strong id="board-registered">2/5</strong>' in board.content.decode()
    assert "Đã đăng ký = đã nộp hoặc đã tiếp nhận" in board.content.decode()
    row = board.content.decode().split('data-unit="Thôn B"')[1].split("</tr>")[0]
    assert '<span class="badge text-bg-primary">Đã nộp</span> <span class="badge text-bg-danger">Muộn</span>' in row

    page = client.get(reverse("registrations:progress", args=[kon_gang.public_id]) + "?nam=2026")
    assert '<div class="display-6" id="progress-registered">2/5</div>' in page.content.decode()
    assert "không tính đơn vị ngoài phạm vi hoặc đã ngừng theo dõi" in page.content.decode()

    listing = workbook(client, "registrations:board_xlsx", kon_gang)
    assert "2/5 đơn vị đã đăng ký" in listing.active["A3"].value

    sheet = workbook(client, "registrations:progress_xlsx", kon_gang)
    total_row = [r for r in sheet["Theo nhóm đơn vị"].iter_rows(values_only=True) if r[0] == "Tổng cộng"]
    assert total_row == [("Tổng cộng", 5, 2, 40, 1, 1, 3)]

    pdf = registration_list_pdf(client, kon_gang, 2026)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "2/5" in text

    dossier = Dossier.objects.with_facts().get(unit=kon_gang)
    item = next(i for i in checklist(dossier).items if i.criterion.check_code == CheckCode.MANAGED_UNITS)
    assert item.evidence == "2/5 đơn vị trực thuộc đã đăng ký; 1/5 được công nhận (cần 4, tức 70%)."
