"""Hồ sơ lưu trữ: a unit's year, or a commune's, as one zip whose index PDF lists every file with a SHA-256
that matches its bytes; the decision inside is the stored signed file; strangers get 404."""

import datetime
import hashlib
import io
import re
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ansinh.models import AuditEvent
from certificates.models import PrintJob
from dossiers import services, signing
from dossiers.models import DecisionPdf, DossierStatus, MeetingMinutes
from tests.dossiers.conftest import attach, make_dossier, register
from tests.factories import UnitFactory, kind

SHA = re.compile(r"\b[0-9a-f]{64}\b")


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _assert_index_lists_every_file(archive):
    """The index's text with spaces and line breaks removed (a long path may wrap inside its cell)."""
    reader = PdfReader(io.BytesIO(archive.read("00-muc-luc.pdf")))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    text = "".join(raw.split())
    others = [n for n in archive.namelist() if n != "00-muc-luc.pdf"]
    hashes = {hashlib.sha256(archive.read(n)).hexdigest() for n in others}
    assert set(SHA.findall(raw)) == hashes
    assert [n for n in others if n not in text] == []
    return text


@pytest.fixture
def recognised(kon_gang, village, year, chairman, steering_office, settings, tmp_path):
    """The village recognised by a signed decision, with minutes, a deleted document and a certificate."""
    path = signing.make_demo_key(tmp_path / "ubnd.p12", "mk", issuer_name="UBND xã Kon Gang")
    settings.DECISION_SIGNERS = {"default": {"pkcs12": str(path), "passphrase": "mk"}}
    register(village, year, documents=False)
    dossier = make_dossier(village, year, DossierStatus.RECOMMENDED, confirmed_by=steering_office)
    withdrawn = attach(dossier, "other", name="Ảnh cũ/../../bí mật.pdf")
    withdrawn.soft_delete(steering_office)
    MeetingMinutes.objects.create(
        dossier=dossier, met_on=datetime.date(2026, 10, 2), chaired_by="Rơ Châm Hiền", conclusion="Đề nghị công nhận."
    )
    decision = services.issue_decision(
        issuer=kon_gang,
        dossiers=[dossier],
        user=chairman,
        issued_on=datetime.date(2026, 11, 14),
        signer_name="Nguyễn Văn An",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )
    dossier.refresh_from_db()
    assert dossier.decision == decision
    return dossier


def test_unit_bundle_lists_every_file_with_its_hash_and_carries_the_signed_decision(client, clerk, recognised):
    client.force_login(clerk)

    archive = _zip(client.get(reverse("dossiers:bundle", args=[recognised.public_id])))

    names = archive.namelist()
    folder = "01-lang-kon-gang-to-pong"
    assert sorted(names) == sorted(
        [
            "00-muc-luc.pdf",
            f"{folder}/1-dang-ky/ban-dang-ky.pdf",
            *[f"{folder}/2-ho-so/tai-lieu/{n:02d}-{t}-{t}.pdf" for n, t in _alive_documents(recognised)],
            f"{folder}/2-ho-so/bien-ban-hop.pdf",
            f"{folder}/2-ho-so/tieu-chi-va-can-cu.pdf",
            f"{folder}/4-quyet-dinh/quyet-dinh-01-2026.pdf",
            f"{folder}/5-giay-cong-nhan/giay-cong-nhan-01-2026.pdf",
        ]
    )
    text = _assert_index_lists_every_file(archive)
    assert "MỤCLỤCHỒSƠLƯUTRỮ" in text
    assert "LàngKonGangTơPơng" in text
    # The withdrawn document is named, not carried.
    assert "Khôngkèmtheo" in text
    assert "bímật.pdf" in text
    stored = DecisionPdf.objects.get(decision=recognised.decision)
    with stored.file.open("rb") as handle:
        assert archive.read(f"{folder}/4-quyet-dinh/quyet-dinh-01-2026.pdf") == handle.read()
    assert stored.signed
    minutes = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(archive.read(f"{folder}/2-ho-so/bien-ban-hop.pdf"))).pages
    )
    assert "Rơ Châm Hiền" in minutes
    assert AuditEvent.objects.filter(action="download", object_id=recognised.pk).count() == 1


def _alive_documents(dossier):
    docs = dossier.documents.order_by("uploaded_at", "pk")
    return [(n, d.doc_type.replace("_", "-")) for n, d in enumerate(docs, start=1) if d.deleted_at is None]


def test_a_file_missing_from_storage_is_named_in_the_index_not_a_server_error(client, clerk, recognised):
    doc = recognised.documents.alive().first()
    doc.file.storage.delete(doc.file.name)
    client.force_login(clerk)

    archive = _zip(client.get(reverse("dossiers:bundle", args=[recognised.public_id])))

    text = _assert_index_lists_every_file(archive)
    assert "Khôngtìmthấytệptrongkholưutrữ" in text
    kind = doc.doc_type.replace("_", "-")
    folder = "01-lang-kon-gang-to-pong/2-ho-so/tai-lieu"
    documents = sorted(n for n in archive.namelist() if n.startswith(folder))
    assert f"{folder}/01-{kind}-{kind}.pdf" not in documents
    assert len(documents) == len(_alive_documents(recognised)) - 1


def test_outsider_gets_404_and_the_village_head_is_refused(
    client, outsider_clerk, village_head, recognised, kon_gang, year
):
    client.force_login(outsider_clerk)
    assert client.get(reverse("dossiers:bundle", args=[recognised.public_id])).status_code == 404
    response = client.post(reverse("dossiers:commune_bundle", args=[kon_gang.public_id]), {"nam": year.number})
    assert response.status_code == 404
    client.force_login(village_head)
    assert client.get(reverse("dossiers:bundle", args=[recognised.public_id])).status_code == 403
    assert AuditEvent.objects.filter(action="download").count() == 0
    assert PrintJob.objects.count() == 0


def test_commune_bundle_is_a_job_with_one_folder_per_unit(
    client, province_steering_office, recognised, kon_gang, other_village, year
):
    register(other_village, year, documents=False)
    school = UnitFactory(
        name="Trường THCS Kon Gang", kind=kind("co-so-giao-duc"), parent=kon_gang, staff=38, households=None
    )
    register(school, year, documents=False)
    client.force_login(province_steering_office)

    response = client.post(reverse("dossiers:commune_bundle", args=[kon_gang.public_id]), {"nam": year.number})

    job = PrintJob.objects.get()
    assert response["Location"] == reverse("certificates:job", args=[job.public_id])
    assert (job.status, job.done, job.total) == (PrintJob.Status.DONE, 3, 3)
    archive = _zip(client.get(reverse("certificates:job_download", args=[job.public_id])))
    folders = sorted({n.split("/")[0] for n in archive.namelist() if "/" in n})
    assert folders == ["01-lang-kon-gang-to-pong", "02-thon-ha-long", "03-truong-thcs-kon-gang"]
    _assert_index_lists_every_file(archive)
    assert AuditEvent.objects.filter(action="bundle", object_id=kon_gang.pk).count() == 1
    assert AuditEvent.objects.filter(action="download", object_id=job.pk).count() == 1


def test_commune_bundle_without_a_year_is_404_and_starts_nothing(client, clerk, kon_gang, village):
    client.force_login(clerk)
    assert client.post(reverse("dossiers:commune_bundle", args=[kon_gang.public_id])).status_code == 404
    assert client.post(reverse("dossiers:commune_bundle", args=[village.public_id]), {"nam": 2026}).status_code == 404
    assert PrintJob.objects.count() == 0
