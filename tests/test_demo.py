"""The demo province is how people first judge the portal: it must load twice without change, every link
each demo account can reach from its home page must answer without a server error or a dead link, and
what it prints and exports must open.

The crawl follows pages, not downloads: a printed PDF costs ~100 ms–1 s to render and the crawl meets the
same few kinds hundreds of times. It checks that each download link resolves; one of each kind is
rendered and opened below."""

import io
import re
import unicodedata
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
from dossiers.models import Decision, DossierDocument
from registrations.models import RegistrationDocument
from units.demo import ACCOUNTS
from units.models import Unit

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/quan-tri/", "/static/", "/dang-xuat/")
MAX_PAGES = 120
# Views that answer with a file rather than a page.
DOWNLOADS = {
    "registrations:form_pdf",
    "registrations:board_xlsx",
    "registrations:progress_xlsx",
    "registrations:document",
    "dossiers:decision_pdf",
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
    "congan.konggang": {"registrations:board_xlsx", "registrations:document"},
    "congan.dakdoa": {"units:import_template"},
    "truongthon.konggang": {"registrations:form_pdf", "dossiers:document"},
    "bcd.konggang": {"registrations:progress_xlsx"},
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
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def test_each_kind_of_demo_print_and_export_opens(db):
    kon_gang = Unit.objects.get(name="Xã Kon Gang")
    village = Unit.objects.get(name="Làng Kon Gang Tơ Pơng")
    clerk, head, records = _client("congan.konggang"), _client("truongthon.konggang"), _client("vanthu.konggang")

    form = _pdf_text(head.get(reverse("registrations:form_pdf", args=[village.public_id])))
    assert "BẢN ĐĂNG KÝ" in form
    assert "Làng Kon Gang Tơ Pơng" in form
    board = _pdf_text(clerk.get(reverse("registrations:board_pdf", args=[kon_gang.public_id])))
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
