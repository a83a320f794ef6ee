"""The demo province is how people first judge the portal: it must load twice without change, every link
each demo account can reach from its home page must answer without a server error or a dead link, and
what it prints and exports must open.

The crawl follows pages, not downloads: a printed PDF costs ~100 ms–1 s to render and the crawl meets the
same few kinds hundreds of times. It checks that each download link resolves; one of each kind is
rendered and opened below."""

import hashlib
import io
import re
import unicodedata
import zipfile
from collections import deque

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from ansinh import access
from dossiers.models import Decision, DecisionPdf, Dossier, DossierDocument
from registrations.models import RegistrationDocument
from tests.pdfs import registration_list_pdf
from units.demo import ACCOUNTS
from units.models import Unit

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/quan-tri/", "/static/", "/dang-xuat/")
MAX_PAGES = 120
# Views that answer with a file rather than a page, linked from a page. (The board's list, PDF or Excel, is
# a POST that may become a background job; the GETs are opened below all the same.)
DOWNLOADS = {
    "registrations:form_pdf",
    "registrations:progress_xlsx",
    "registrations:document",
    "dossiers:decision_pdf",
    "dossiers:bundle",
    "dossiers:document",
    "units:import_template",
}

pytestmark = pytest.mark.usefixtures("demo_province")


@pytest.fixture(autouse=True)
def _demo_files(settings, demo_province):
    """Pages read the demo's stored files too (a decision's signed PDF, whether a PDF may show inline)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": demo_province}},
    }


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label != "sessions"}


def _crawl(client):
    """Pages reached within three clicks of home, the (url, status) of those that failed, and the kinds of
    download linked from them (each checked to resolve, not fetched)."""
    seen, queue, broken, downloads = set(), deque([("/", 0)]), [], set()
    while queue and len(seen) < MAX_PAGES:
        url, depth = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        try:
            view = resolve(url.split("?")[0]).view_name
        except Resolver404:
            broken.append((url, 404))
            continue
        if view in DOWNLOADS:
            downloads.add(view)
            continue
        response = client.get(url)
        if response.status_code >= 500 or response.status_code == 404:
            broken.append((url, response.status_code))
            continue
        if response.status_code == 302:
            # A menu entry that picks the person's only unit lands on that unit's page.
            queue.append((response["Location"], depth))
            continue
        if depth < 3 and response.get("Content-Type", "").startswith("text/html"):
            queue.extend((link.replace("&amp;", "&"), depth + 1) for link in LINK.findall(response.content.decode()))
    return seen, broken, downloads


def _client(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_demo_loads_again_without_change(db):
    before = _counts()
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert _counts() == before


# Every kind of download is linked from some page, so the test below opens what people can reach: for each
# kind, an account whose pages link it. (The board prints its list through a print job, a POST; the GET list
# PDF is opened below all the same.)
LINKED_FOR = {
    "congan.konggang": {"registrations:document"},
    "congan.dakdoa": {"units:import_template"},
    "truongthon.konggang": {"registrations:form_pdf", "dossiers:document"},
    "bcd.konggang": {"registrations:progress_xlsx", "dossiers:bundle"},
    "vanthu.konggang": {"dossiers:decision_pdf"},
}


# One test per account, so that pytest-xdist shares the crawls out between its workers.
@pytest.mark.parametrize("username", [username for username, *_ in ACCOUNTS])
def test_every_account_reaches_its_pages_without_a_broken_link(db, username):
    seen, broken, linked = _crawl(_client(username))
    assert broken == []
    assert len(seen) > 3
    assert set().union(*LINKED_FOR.values()) == DOWNLOADS
    assert linked >= LINKED_FOR.get(username, set())


def _pdf_text(response) -> str:
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    # A decision comes back as its stored (signed) file, streamed.
    return _text(b"".join(response.streaming_content) if response.streaming else response.content)


def _text(body: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def test_each_kind_of_demo_print_and_export_opens(db):
    kon_gang = Unit.objects.get(name="Xã Kon Gang")
    village = Unit.objects.get(name="Làng Kon Gang Tơ Pơng")
    clerk, head, records = _client("congan.konggang"), _client("truongthon.konggang"), _client("vanthu.konggang")

    form = _pdf_text(head.get(reverse("registrations:form_pdf", args=[village.public_id])))
    assert "BẢN ĐĂNG KÝ" in form
    assert "Làng Kon Gang Tơ Pơng" in form
    board = _text(registration_list_pdf(clerk, kon_gang, timezone.localdate().year))
    assert "DANH SÁCH" in board
    decision = Decision.objects.get(issuer=kon_gang, year__number=timezone.localdate().year)
    printed = _pdf_text(records.get(reverse("dossiers:decision_pdf", args=[decision.public_id])))
    assert "Số: 01/QĐ-UBND" in printed

    for url in (
        reverse("registrations:board_xlsx", args=[kon_gang.public_id]),
        reverse("registrations:progress_xlsx", args=[kon_gang.public_id]),
        reverse("units:import_template", args=[kon_gang.public_id]),
    ):
        assert load_workbook(io.BytesIO(clerk.get(url).content)).sheetnames != []

    filed = RegistrationDocument.objects.filter(
        access.under(kon_gang, "registration__unit"), content_type="application/pdf"
    ).first()
    response = clerk.get(reverse("registrations:document", args=[filed.public_id]))
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) >= 1
    minutes = DossierDocument.objects.filter(dossier__unit__parent=kon_gang, doc_type="minutes").first()
    response = clerk.get(reverse("dossiers:document", args=[minutes.dossier.public_id, minutes.public_id]))
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) >= 1


def test_the_demo_village_recognised_last_year_downloads_as_an_archive(db):
    """Làng Kon Gang Tơ Pơng's last year, as the province's inspector (bcd.gialai) downloads it."""
    dossier = Dossier.objects.get(unit__name="Làng Kon Gang Tơ Pơng", year__number=timezone.localdate().year - 1)
    response = _client("bcd.gialai").get(reverse("dossiers:bundle", args=[dossier.public_id]))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = "01-lang-kon-gang-to-pong"
    names = archive.namelist()
    for expected in (
        "00-muc-luc.pdf",
        f"{folder}/1-dang-ky/ban-dang-ky.pdf",
        f"{folder}/1-dang-ky/giay-bien-nhan.pdf",
        f"{folder}/2-ho-so/bien-ban-hop.pdf",
        f"{folder}/2-ho-so/tieu-chi-va-can-cu.pdf",
        f"{folder}/4-quyet-dinh/quyet-dinh-01-{dossier.year.number}.pdf",
    ):
        assert expected in names
    assert len([n for n in names if "/2-ho-so/tai-lieu/" in n]) >= 3
    assert len([n for n in names if n.startswith(f"{folder}/5-giay-cong-nhan/giay-cong-nhan-")]) == 1
    index = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read("00-muc-luc.pdf"))).pages)
    squashed = "".join(index.split())
    for name in (n for n in names if n != "00-muc-luc.pdf"):
        assert name in squashed
        assert hashlib.sha256(archive.read(name)).hexdigest() in index
    stored = DecisionPdf.objects.get(decision=dossier.decision)
    assert stored.signed
    with stored.file.open("rb") as handle:
        assert archive.read(f"{folder}/4-quyet-dinh/quyet-dinh-01-{dossier.year.number}.pdf") == handle.read()
