"""Hostile files: Office zip bombs are refused before they are stored, a PDF that runs code is never shown
inline, and the Excel import reads a bounded number of rows whatever the sheet declares."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.worksheet import _read_only

from dossiers.models import DossierDocument, DossierStatus
from registrations import services
from registrations.models import RegistrationDocument
from tests.dossiers.conftest import TINY_PDF, make_dossier
from units import importing

SCRIPTED_PDFS = {
    "open-action": TINY_PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
    "hex-escaped-name": TINY_PDF.replace(b"/Type/Catalog", b"/Type/Catalog/Names<</J#61vaScript 4 0 R>>"),
    "launch": TINY_PDF.replace(b"/Type/Page/", b"/Type/Page/AA<</O<</S/Launch/F(calc.exe)>>>>/"),
}


def office_zip(kind: str, *, zeros: int = 0, members: int = 0) -> bytes:
    """A Word or Excel file as filetype recognises it, with a member of `zeros` zero bytes and `members`
    extra empty members."""
    main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(main, "w") as member:
            for _ in range(zeros // (1 << 20)):
                member.write(b"\0" * (1 << 20))
        for n in range(members):
            archive.writestr(f"{main}.{n}", "")
    return out.getvalue()


@pytest.fixture
def registration(province, village, clerk):
    year = services.open_year(province, 2026)
    return services.start_registration(
        unit=village, year=year, user=clerk, registered_on="2026-02-01", base_count=10, committed_count=10
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bom.docx", office_zip("docx", zeros=3 << 20), "khi giải nén lên tới 3,0\xa0MB, vượt giới hạn 1,0\xa0MB"),
        ("bom.xlsx", office_zip("xlsx", members=2001), "có 2003 thành phần, vượt giới hạn 2000"),
    ],
    ids=["expanded-size", "member-count"],
)
def test_office_zip_bomb_is_refused_and_not_stored(client, settings, registration, clerk, name, content, message):
    settings.UPLOAD_OFFICE_MAX_EXPANDED = 1 << 20
    client.force_login(clerk)
    response = client.post(
        reverse("registrations:upload", args=[registration.public_id]),
        {"doc_type": "other", "files": [SimpleUploadedFile(name, content)]},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert len(texts) == 1
    assert texts[0].startswith(f"Tệp «{name}»: Tệp Word/Excel ")
    assert message in texts[0]
    assert RegistrationDocument.objects.count() == 0


def test_an_ordinary_word_file_is_accepted(client, settings, registration, clerk):
    settings.UPLOAD_OFFICE_MAX_EXPANDED = 1 << 20
    client.force_login(clerk)
    client.post(
        reverse("registrations:upload", args=[registration.public_id]),
        {"doc_type": "other", "files": [SimpleUploadedFile("ke-hoach.docx", office_zip("docx", members=3))]},
    )
    assert RegistrationDocument.objects.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize("content", SCRIPTED_PDFS.values(), ids=SCRIPTED_PDFS.keys())
def test_pdf_with_scripts_or_actions_is_only_downloaded(client, registration, clerk, content):
    client.force_login(clerk)
    client.post(
        reverse("registrations:upload", args=[registration.public_id]),
        {"doc_type": "other", "files": [SimpleUploadedFile("mo-ngay.pdf", content, "application/pdf")]},
    )
    document = RegistrationDocument.objects.get()
    response = client.get(reverse("registrations:document", args=[document.public_id]) + "?xem=1")
    assert response["Content-Disposition"].startswith("attachment;")


def test_pdf_hiding_its_action_in_a_compressed_object_stream_is_only_downloaded(client, year_2026, village, clerk):
    import zlib

    hidden = zlib.compress(b"<</Type/Catalog/OpenAction 5 0 R>> <</S/JavaScript/JS(x)>>")
    content = TINY_PDF.replace(
        b"trailer",
        b"6 0 obj<</Type/ObjStm/Filter/FlateDecode/Length %d>>stream\n" % len(hidden)
        + hidden
        + b"\nendstream\ntrailer",
    )
    dossier = make_dossier(village, year_2026, DossierStatus.DRAFT, documents=False)
    client.force_login(clerk)
    client.post(
        reverse("dossiers:document_upload", args=[dossier.public_id]),
        {"doc_type": "report", "file": SimpleUploadedFile("to-trinh.pdf", content, "application/pdf")},
    )
    document = DossierDocument.objects.get()
    response = client.get(reverse("dossiers:document", args=[dossier.public_id, document.public_id]) + "?xem=1")
    assert response["Content-Disposition"].startswith("attachment;")


def test_plain_pdf_and_image_are_shown_inline(client, registration, clerk):
    from tests.registrations.conftest import png_bytes

    client.force_login(clerk)
    for name, content in (("to-trinh.pdf", TINY_PDF), ("anh.png", png_bytes())):
        client.post(
            reverse("registrations:upload", args=[registration.public_id]),
            {"doc_type": "other", "files": [SimpleUploadedFile(name, content)]},
        )
    for document in RegistrationDocument.objects.all():
        response = client.get(reverse("registrations:document", args=[document.public_id]) + "?xem=1")
        assert response["Content-Disposition"].startswith("inline;"), document.original_name


@pytest.fixture
def year_2026(province):
    return services.open_year(province, 2026)


# The Excel import ---------------------------------------------------------------------------------------------


def forged_template(commune, *, last_row: int) -> bytes:
    """The real template with its sheet dimension set to `last_row` rows and blank rows down to it."""
    source = zipfile.ZipFile(io.BytesIO(importing.build_template(commune)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as forged:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:XFD{last_row}"/>', data.decode())
                blanks = "".join(f'<row r="{n}"/>' for n in range(5, last_row + 1))
                data = text.replace("</sheetData>", blanks + "</sheetData>").encode()
            forged.writestr(item, data)
    return out.getvalue()


@pytest.fixture
def parsed_rows(monkeypatch):
    """How many rows openpyxl parsed from the sheet's XML (counted in the library, not in our code)."""
    seen = {"rows": 0}
    parse = _read_only.WorkSheetParser.parse

    def counting(self):
        for item in parse(self):
            seen["rows"] += 1
            yield item

    monkeypatch.setattr(_read_only.WorkSheetParser, "parse", counting)
    return seen


def test_import_never_reads_past_its_row_cap_whatever_the_sheet_declares(kon_gang, parsed_rows):
    content = forged_template(kon_gang, last_row=100_010)
    result = importing.parse(io.BytesIO(content), kon_gang)
    # Row 4 is the template's example unit; the forged blank rows below it are not read.
    assert [r.name for r in result.rows] == ["Thôn Ví Dụ"]
    # The header read and the capped data rows: about 2,000, not the 100,000 the sheet declares.
    assert parsed_rows["rows"] < importing.MAX_ROWS + 20


def test_import_of_a_zip_bomb_is_refused_before_openpyxl_opens_it(kon_gang, parsed_rows, monkeypatch):
    monkeypatch.setattr(importing, "MAX_EXPANDED", 1 << 20)
    result = importing.parse(io.BytesIO(office_zip("xlsx", zeros=3 << 20)), kon_gang)
    assert result.errors == [
        "Tệp Word/Excel khi giải nén lên tới 3,0\xa0MB, vượt giới hạn 1,0\xa0MB. Vui lòng lưu lại tệp (hoặc xuất PDF) "
        "rồi tải lên."
    ]
    assert parsed_rows["rows"] == 0
