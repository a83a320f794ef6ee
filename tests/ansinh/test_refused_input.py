"""Input the database would refuse is refused by the form (Vietnamese message, nothing saved), and what is
derived from accepted input (audit labels, notification titles, search copies) fits its column.

Each test reproduces a finding of the production hardening review; on SQLite, which stores over-long text
and NUL bytes, the tests check the stored lengths and rows that PostgreSQL would have refused with a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from ansinh.models import AuditEvent, Notification
from dossiers.models import Dossier, DossierStatus, Incident, IncidentKind
from registrations import services
from registrations.models import Registration, RegistrationDocument
from tests.dossiers.conftest import TINY_PDF, make_dossier
from tests.factories import Role, UnitFactory, kind, person
from units.models import Unit

TODAY = "2026-02-05 09:00"


@pytest.fixture
def year(province):
    return services.open_year(province, 2026)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# Unit names and their folded search copy ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ß" * 150, "ﬃ" * 100], ids=["sharp-s", "ffi-ligature"])
def test_unit_name_whose_search_copy_grows_past_its_column_is_refused(client, kon_gang, clerk, name):
    client.force_login(clerk)
    response = client.post(
        reverse("units:add_child", args=[kon_gang.public_id]), {"name": name, "kind": kind("thon").pk, "size": 50}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        f"Tên đơn vị quá dài: khi bỏ dấu để tìm kiếm, tên thành {len(name) * (2 if name[0] == 'ß' else 3)} ký tự "
        "(tối đa 200). Vui lòng rút gọn tên."
    ]
    assert Unit.objects.filter(parent=kon_gang).count() == 0


def test_unit_name_with_a_nul_byte_is_refused(client, kon_gang, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("units:add_child", args=[kon_gang.public_id]),
        {"name": "Thôn\x01 Mới", "kind": kind("thon").pk, "size": 50},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Có ký tự điều khiển không được phép (U+0001); vui lòng gõ lại phần này."
    ]
    assert Unit.objects.filter(parent=kon_gang).count() == 0


def test_unit_name_is_counted_after_nfc_normalisation(client, kon_gang, clerk):
    # "क़" (U+0958) has no composed form: NFC turns each into two characters, 101 into 202.
    client.force_login(clerk)
    response = client.post(
        reverse("units:add_child", args=[kon_gang.public_id]),
        {"name": "\u0958" * 101, "kind": kind("thon").pk, "size": 5},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Unit.objects.filter(parent=kon_gang).count() == 0


def test_village_of_a_million_households_is_refused_with_the_limit_in_the_message(client, kon_gang, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("units:add_child", args=[kon_gang.public_id]),
        {"name": "Thôn Lớn", "kind": kind("thon").pk, "size": 1_000_000},
    )
    assert response.context["form"].errors["size"] == [
        "Số hộ gia đình không được vượt quá 20.000 (một khu dân cư không lớn đến vậy)."
    ]
    assert Unit.objects.filter(parent=kon_gang).count() == 0


# Counts -----------------------------------------------------------------------------------------------------


@freeze_time(TODAY)
def test_registration_of_999_999_999_999_households_is_refused(client, year, village, village_head):
    client.force_login(village_head)
    response = client.post(
        reverse("registrations:create", args=[village.public_id]),
        {"base_count": 999_999_999_999, "committed_count": 1, "note": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["base_count"] == [
        "Số hộ gia đình không được vượt quá 20.000 (một khu dân cư không lớn đến vậy)."
    ]
    assert Registration.objects.count() == 0


# Reasons posted with a button ---------------------------------------------------------------------------------


def test_registration_returned_with_a_nul_byte_in_the_reason_is_refused(client, year, village, clerk):
    reg = services.start_registration(
        unit=village, year=year, user=clerk, registered_on="2026-02-01", base_count=10, committed_count=10
    )
    from registrations import workflow

    workflow.perform(reg, "submit", clerk)
    client.force_login(clerk)
    response = client.post(
        reverse("registrations:transition", args=[reg.public_id, "return"]), {"reason": "Thiếu\x00 chữ ký"}, follow=True
    )
    assert messages_of(response) == ["Lý do: Có ký tự điều khiển không được phép (U+0000); vui lòng gõ lại phần này."]
    reg.refresh_from_db()
    assert (reg.status, reg.return_reason) == (Registration.Status.SUBMITTED, "")


def test_dossier_returned_with_a_nul_byte_in_the_reason_is_refused(client, year, village, kon_gang, steering_office):
    dossier = make_dossier(village, year, DossierStatus.SUBMITTED)
    client.force_login(steering_office)
    response = client.post(
        reverse("dossiers:transition", args=[dossier.public_id]),
        {"action": "return", "reason": "Bổ sung\x00"},
        follow=True,
    )
    assert messages_of(response) == ["Lý do: Có ký tự điều khiển không được phép (U+0000); vui lòng gõ lại phần này."]
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUBMITTED


def test_incident_deleted_with_a_nul_byte_in_the_reason_is_kept(client, village, clerk):
    incident = Incident.objects.create(
        unit=village, occurred_on="2026-01-10", kind=IncidentKind.values[0], description="Đánh nhau", recorded_by=clerk
    )
    client.force_login(clerk)
    response = client.post(
        reverse("dossiers:incident_delete", args=[incident.public_id]), {"reason": "Nhầm\x00"}, follow=True
    )
    assert messages_of(response) == ["Lý do: Có ký tự điều khiển không được phép (U+0000); vui lòng gõ lại phần này."]
    assert Incident.objects.alive().filter(pk=incident.pk).exists()


def test_unit_archived_with_a_nul_byte_in_the_reason_stays_followed(client, village, clerk):
    client.force_login(clerk)
    response = client.post(reverse("units:archive", args=[village.public_id]), {"reason": "Sáp nhập\x00"}, follow=True)
    assert messages_of(response) == ["Lý do: Có ký tự điều khiển không được phép (U+0000); vui lòng gõ lại phần này."]
    village.refresh_from_db()
    assert village.archived_at is None
    assert AuditEvent.objects.filter(action="archive").count() == 0


# Derived copies and what follows a save ----------------------------------------------------------------------


@freeze_time(TODAY)
def test_upload_with_a_200_character_name_is_stored_with_its_audit_row(client, year, village, clerk):
    reg = services.start_registration(
        unit=village, year=year, user=clerk, registered_on="2026-02-01", base_count=10, committed_count=10
    )
    name = "b" * 196 + ".pdf"
    client.force_login(clerk)
    client.post(
        reverse("registrations:upload", args=[reg.public_id]),
        {"doc_type": "other", "files": [SimpleUploadedFile(name, TINY_PDF, "application/pdf")]},
    )
    document = RegistrationDocument.objects.get(registration=reg)
    event = AuditEvent.objects.get(action="upload")
    assert document.original_name == name
    assert len(event.label) == 200
    assert event.label.endswith("…")
    assert event.reason == name


@freeze_time(TODAY)
def test_upload_with_a_240_character_name_is_refused_and_nothing_stored(client, year, village, clerk):
    reg = services.start_registration(
        unit=village, year=year, user=clerk, registered_on="2026-02-01", base_count=10, committed_count=10
    )
    client.force_login(clerk)
    response = client.post(
        reverse("registrations:upload", args=[reg.public_id]),
        {"doc_type": "other", "files": [SimpleUploadedFile("a" * 236 + ".pdf", TINY_PDF, "application/pdf")]},
        follow=True,
    )
    assert messages_of(response) == [
        "Tên tệp dài 240 ký tự, tối đa 200 ký tự. Vui lòng đổi tên tệp cho ngắn hơn rồi tải lên lại."
    ]
    assert RegistrationDocument.objects.count() == 0
    assert AuditEvent.objects.filter(action="upload").count() == 0


@freeze_time(TODAY)
def test_paper_entry_for_a_unit_with_a_200_character_name_answers_and_notifies(
    client, year, kon_gang, clerk, steering_office, django_capture_on_commit_callbacks
):
    unit = UnitFactory(name="Thôn " + "D" * 195, kind=kind("thon"), parent=kon_gang, households=40)
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registrations:paper", args=[unit.public_id]),
            {"registered_on": "2026-02-04", "base_count": 40, "committed_count": 40, "note": ""},
        )
    assert response.status_code == 302
    assert Registration.objects.get(unit=unit).status == Registration.Status.SUBMITTED
    note = Notification.objects.get(recipient=steering_office)
    assert len(note.title) == 200
    assert note.title.startswith("Thôn DDD")


def test_audit_label_and_notification_title_are_cut_to_their_columns(
    village, clerk, django_capture_on_commit_callbacks
):
    from ansinh import audit
    from ansinh.notify import notify

    event = audit.record(village, actor=clerk, action="x" * 60, label="L" * 500)
    with django_capture_on_commit_callbacks(execute=True):
        notify([clerk], title="T" * 500, url="/" + "u" * 400)
    note = Notification.objects.get()
    assert (len(event.action), len(event.label), len(note.title), len(note.url)) == (40, 200, 200, 300)


def test_minutes_scan_follows_the_same_file_name_rule_as_documents(client, year, village, clerk):
    dossier = make_dossier(village, year, DossierStatus.DRAFT, documents=False)
    person(Role.UNIT_HEAD, village, "truongthon.x")
    client.force_login(clerk)
    response = client.post(
        reverse("dossiers:minutes", args=[dossier.public_id]),
        {
            "met_on": "2026-01-05",
            "chaired_by": "Nguyễn Văn A",
            "conclusion": "Đề nghị công nhận",
            "scan": SimpleUploadedFile("c" * 240 + ".pdf", TINY_PDF, "application/pdf"),
            "attendees-TOTAL_FORMS": "0",
            "attendees-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["scan"] == [
        "Tên tệp dài 244 ký tự, tối đa 200 ký tự. Vui lòng đổi tên tệp cho ngắn hơn rồi tải lên lại."
    ]
    assert dossier.documents.count() == 0
