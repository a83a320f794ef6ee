"""Fixtures for registrations: the open year, registrations in each state, and small files to upload."""

import datetime
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations import services, workflow
from registrations.models import Registration
from tests.factories import UnitFactory, kind

YEAR = 2026
BEFORE_DEADLINE = datetime.date(YEAR, 2, 10)


def png_bytes() -> bytes:
    """A 1×1 PNG, valid enough for any image reader."""

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    raw = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def pdf_file():
    return SimpleUploadedFile("nghi-quyet.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def photo():
    return SimpleUploadedFile("trang-1.png", png_bytes(), content_type="image/png")


@pytest.fixture
def year(province):
    return services.open_year(province, YEAR)


@pytest.fixture
def agency(kon_gang):
    return UnitFactory(
        name="Trạm Y tế xã Kon Gang",
        kind=kind("co-quan"),
        parent=kon_gang,
        households=None,
        staff=9,
        has_party_org=True,
    )


@pytest.fixture
def make_registration(year, clerk):
    """A registration of `unit` in `status`, moved there through the workflow like in real use, by `user`
    (the Kon Gang clerk unless given)."""

    def make(unit, status=Registration.Status.DRAFT, *, base=100, committed=100, user=None):
        user = user or clerk
        reg = services.start_registration(
            unit=unit, year=year, user=user, registered_on=BEFORE_DEADLINE, base_count=base, committed_count=committed
        )
        path = {
            Registration.Status.DRAFT: [],
            Registration.Status.SUBMITTED: ["submit"],
            Registration.Status.ACCEPTED: ["submit", "accept"],
            Registration.Status.RETURNED: ["submit", "return"],
        }[status]
        for action in path:
            reg = workflow.perform(reg, action, user, reason="Thiếu chữ ký", today=BEFORE_DEADLINE)
        return reg

    return make
