"""Every change made on the dossier pages leaves an audit row (who, what, why) and shows in the timeline."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ansinh.models import AuditEvent
from dossiers.models import DossierStatus, Incident, IncidentKind
from tests.dossiers.conftest import TINY_PDF, make_dossier

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def audit_rows(action):
    return list(AuditEvent.objects.filter(action=action).values_list("actor__username", "label", "reason"))


def titles(client, dossier):
    return [e.title for e in client.get(reverse("dossiers:detail", args=[dossier.public_id])).context["timeline"]]


@pytest.fixture
def dossier(village, year):
    return make_dossier(village, year)


@pytest.fixture
def incident(village, clerk):
    return Incident.objects.create(
        unit=village,
        occurred_on=datetime.date(2026, 3, 1),
        kind=IncidentKind.FIRE_EXPLOSION,
        description="Cháy nhà kho",
        recorded_by=clerk,
    )


def test_upload_and_delete_of_a_document_are_audited_and_the_deletion_shows_in_the_timeline(
    client, village_head, dossier
):
    client.force_login(village_head)
    client.post(
        reverse("dossiers:document_upload", args=[dossier.public_id]),
        {"doc_type": "other", "file": SimpleUploadedFile("phu-luc.pdf", TINY_PDF)},
    )
    doc = dossier.documents.get(original_name="phu-luc.pdf")

    client.post(reverse("dossiers:document_delete", args=[dossier.public_id, doc.public_id]))

    assert audit_rows("upload") == [("truongthon.konggang", "Tải lên Tài liệu khác", "phu-luc.pdf")]
    assert audit_rows("delete") == [("truongthon.konggang", "Xóa Tài liệu khác", "phu-luc.pdf")]
    doc.refresh_from_db()
    assert doc.deleted_at is not None
    assert titles(client, dossier)[-1] == "Xóa Tài liệu khác"


def test_writing_the_minutes_is_audited_on_the_dossier(client, village_head, dossier):
    client.force_login(village_head)
    data = {
        "met_on": "2026-10-20",
        "chaired_by": "A Blơi",
        "conclusion": "Đề nghị công nhận.",
        "members_present": "9",
        "members_agreeing": "9",
        "attendees-TOTAL_FORMS": "1",
        "attendees-INITIAL_FORMS": "0",
        "attendees-0-name": "Y Blơng",
        "attendees-0-capacity": "party_secretary",
    }
    url = reverse("dossiers:minutes", args=[dossier.public_id])

    client.post(url, data)
    client.post(url, {**data, "chaired_by": "Đinh Văn Thu"})

    assert audit_rows("minutes") == [
        ("truongthon.konggang", "Lập biên bản cuộc họp", "Họp ngày 20/10/2026, chủ trì: A Blơi"),
        ("truongthon.konggang", "Sửa biên bản cuộc họp", "Họp ngày 20/10/2026, chủ trì: Đinh Văn Thu"),
    ]
    assert titles(client, dossier)[-1] == "Sửa biên bản cuộc họp"
    edit = AuditEvent.objects.filter(action="minutes").latest("pk")
    assert edit.changes == {"chaired_by": ["A Blơi", "Đinh Văn Thu"]}


def test_a_comment_is_audited(client, steering_office, dossier):
    client.force_login(steering_office)

    client.post(reverse("dossiers:comment", args=[dossier.public_id]), {"body": "Bổ sung danh sách hộ."})

    assert audit_rows("comment") == [("bcd.konggang", "Ý kiến", "Bổ sung danh sách hộ.")]


def test_confirming_criteria_is_audited_with_the_reasons_of_failed_items(client, steering_office, village, year):
    dossier = make_dossier(village, year, DossierStatus.IN_REVIEW)
    client.force_login(steering_office)
    form = client.get(reverse("dossiers:detail", args=[dossier.public_id])).context["criteria_form"]
    outcomes = sorted(name for name in form.fields if name.startswith("outcome_"))
    failed = outcomes[0].removeprefix("outcome_")
    answers = dict.fromkeys(outcomes, "pass") | {outcomes[0]: "fail", f"note_{failed}": "Chưa có tổ tự quản."}

    client.post(reverse("dossiers:criteria", args=[dossier.public_id]), answers)

    assert audit_rows("confirm_criteria") == [
        ("bcd.konggang", f"Xác nhận {len(outcomes)} tiêu chí (1 không đạt)", "Chưa có tổ tự quản.")
    ]
    assert titles(client, dossier)[-1] == f"Xác nhận {len(outcomes)} tiêu chí (1 không đạt)"


def test_recording_an_incident_is_audited(client, clerk, village):
    client.force_login(clerk)

    client.post(
        reverse("dossiers:incident_create"),
        {"unit": village.pk, "occurred_on": "2026-03-01", "kind": "fire_explosion", "description": "Cháy nhà kho"},
    )

    assert audit_rows("create") == [
        ("congan.konggang", "Ghi nhận vụ việc: Cháy, nổ nghiêm trọng (01/03/2026)", "Cháy nhà kho")
    ]


def test_deleting_an_incident_needs_a_reason_and_nothing_is_deleted_without_one(client, clerk, incident):
    client.force_login(clerk)

    response = client.post(
        reverse("dossiers:incident_delete", args=[incident.public_id]), {"reason": "  "}, follow=True
    )

    assert messages_of(response) == ["Vui lòng ghi rõ lý do xóa vụ việc."]
    assert Incident.objects.alive().count() == 1
    assert audit_rows("delete") == []


def test_deleted_incident_is_kept_hidden_and_its_deletion_shows_in_the_units_dossier_timeline(
    client, clerk, village_head, incident, dossier
):
    client.force_login(clerk)

    response = client.post(
        reverse("dossiers:incident_delete", args=[incident.public_id]), {"reason": "Ghi nhầm đơn vị."}, follow=True
    )

    assert messages_of(response) == ["Đã xóa vụ việc (vẫn lưu trong nhật ký)."]
    incident.refresh_from_db()
    assert (incident.deleted_by, incident.deleted_at is not None) == (clerk, True)
    assert Incident.objects.alive().count() == 0
    assert client.get(reverse("dossiers:incident_detail", args=[incident.public_id])).status_code == 404
    assert audit_rows("delete") == [
        ("congan.konggang", "Xóa vụ việc: Cháy, nổ nghiêm trọng (01/03/2026)", "Ghi nhầm đơn vị.")
    ]
    client.force_login(village_head)
    assert titles(client, dossier)[-1] == "Xóa vụ việc: Cháy, nổ nghiêm trọng (01/03/2026)"
