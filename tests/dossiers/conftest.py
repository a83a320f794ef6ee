"""Dossier fixtures: the 2026 year of Gia Lai, accepted registrations and dossiers in any state."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers import services
from dossiers.models import (
    Criterion,
    CriterionCheck,
    Dossier,
    DossierDocument,
    DossierStatus,
    Outcome,
    required_dossier_documents,
)
from registrations.models import DocumentType, MovementModel, Registration, RegistrationDocument
from registrations.services import open_year
from tests.factories import UnitFactory, kind
from units.authority import Levels, levels_for

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def year(province):
    return open_year(province, 2026)


def register(unit, year, *, status=Registration.Status.ACCEPTED, committed=None, documents=True, model=True):
    """An on-time registration of `unit`, with its documents and one movement model."""
    base = unit.households or unit.staff or 50
    reg = Registration.objects.create(
        unit=unit,
        year=year,
        status=status,
        registered_on=datetime.date(year.number, 2, 1),
        base_count=base,
        committed_count=base if committed is None else committed,
    )
    if documents:
        for doc_type in DocumentType.values:
            RegistrationDocument.objects.create(
                registration=reg,
                doc_type=doc_type,
                file=f"registrations/{doc_type}.pdf",
                original_name=f"{doc_type}.pdf",
                content_type="application/pdf",
                size=10,
                sha256="0" * 64,
            )
    if model:
        MovementModel.objects.create(registration=reg, name="Tổ tự quản an ninh trật tự")
    return reg


def attach(dossier, doc_type, name=None, user=None):
    doc = DossierDocument(dossier=dossier, doc_type=doc_type)
    doc.fill_from_upload(SimpleUploadedFile(name or f"{doc_type}.pdf", TINY_PDF, "application/pdf"), user)
    doc.save()
    return doc


def make_dossier(unit, year, status=DossierStatus.DRAFT, *, documents=True, confirmed_by=None, registration=None):
    """A dossier of `unit` already in `status`, with its required documents; when `confirmed_by` is given,
    that reviewer has confirmed every judgement item as «Đạt»."""
    registration = registration or Registration.objects.filter(unit=unit, year=year).first() or register(unit, year)
    # Past the draft, a dossier has been submitted: it carries the levels the submission stamped.
    levels = levels_for(unit) if status != DossierStatus.DRAFT else Levels(None, None)
    dossier = Dossier.objects.create(
        unit=unit,
        year=year,
        registration=registration,
        status=status,
        reviewing_unit=levels.reviewing,
        recognising_unit=levels.recognising,
    )
    if documents:
        for doc_type in required_dossier_documents(unit):
            attach(dossier, doc_type)
    if confirmed_by is not None:
        CriterionCheck.objects.bulk_create(
            CriterionCheck(dossier=dossier, criterion=c, outcome=Outcome.PASS, confirmed_by=confirmed_by)
            for c in Criterion.objects.filter(category=unit.kind.category, check_code="")
        )
    return dossier


@pytest.fixture
def decision(kon_gang, other_village, year, chairman):
    """The chairman's decision of 14/11/2026 recognising two villages of Kon Gang."""
    third = UnitFactory(name="Thôn Đê Kjiêng", kind=kind("thon"), parent=kon_gang)
    dossiers = [make_dossier(u, year, DossierStatus.RECOMMENDED) for u in (other_village, third)]
    return services.issue_decision(
        issuer=kon_gang,
        dossiers=dossiers,
        user=chairman,
        issued_on=datetime.date(2026, 11, 14),
        signer_name="Nguyễn Văn An",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )
