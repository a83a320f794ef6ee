import datetime
import io

import pypdf
import pytest

from ansinh import nd30
from ansinh.pdf import render_pdf


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 2, 5), "Kon Gang, ngày 05 tháng 02 năm 2026"),
        (datetime.date(2026, 1, 15), "Kon Gang, ngày 15 tháng 01 năm 2026"),
        (datetime.date(2026, 11, 3), "Kon Gang, ngày 03 tháng 11 năm 2026"),
        (datetime.date(2026, 3, 20), "Kon Gang, ngày 20 tháng 3 năm 2026"),
    ],
)
def test_date_line_pads_days_below_ten_and_january_february(day, expected):
    assert nd30.date_line("Kon Gang", day) == expected


def test_document_number_pads_below_ten():
    assert (nd30.document_number(5, "QĐ-UBND"), nd30.document_number(45, "QĐ-UBND")) == (
        "Số: 05/QĐ-UBND",
        "Số: 45/QĐ-UBND",
    )


def test_place_name_drops_the_kind_word():
    assert (nd30.place_name("Xã Kon Gang"), nd30.place_name("Tỉnh Gia Lai")) == ("Kon Gang", "Gia Lai")


def test_pdfs_embed_the_project_serif_and_keep_every_diacritic(tmp_path, settings):
    (tmp_path / "probe.html").write_text(
        '{% extends "pdf/base_nd30.html" %}{% block content %}<p>Làng Kon Gang Tơ Pơng — Hường, ữ, ỵ, ẫ</p>'
        "{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf("probe.html", {"issuer_lines": ["ỦY BAN NHÂN DÂN", "XÃ KON GANG"]})))
    page = pdf.pages[0]
    text = page.extract_text()
    fonts = sorted(str(f.get_object()["/BaseFont"]).split("+")[1] for f in page["/Resources"]["/Font"].values())
    assert "Làng Kon Gang Tơ Pơng — Hường, ữ, ỵ, ẫ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert fonts == ["ND30-Serif", "ND30-Serif-Bold"]
    assert page.mediabox.width == pytest.approx(595.28, abs=0.5)
