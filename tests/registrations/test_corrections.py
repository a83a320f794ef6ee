"""The clerk corrects a registration's date and counts with a reason and a proof; late steps warn first."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from ansinh.models import AuditEvent
from registrations import workflow
from registrations.models import Registration, RegistrationDocument
from tests.registrations.conftest import PDF

S = Registration.Status
LATE_DAY = datetime.date(2026, 2, 20)


def proof(name="ban-giay-co-ngay-nhan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def late_online(year, village, village_head, clerk):
    """An online registration submitted on 20/02/2026, a week after the 13/02 deadline, and accepted."""
    from registrations import services

    reg = services.start_registration(
        unit=village, year=year, user=village_head, registered_on=LATE_DAY, base_count=142, committed_count=140
    )
    reg = workflow.perform(reg, "submit", village_head, today=LATE_DAY)
    return workflow.perform(reg, "accept", clerk, today=LATE_DAY)


def correct(client, reg, **data):
    values = {
        "registered_on": "2026-02-10",
        "base_count": 142,
        "committed_count": 142,
        "reason": "Bản giấy có chữ ký đến xã ngày 10/02/2026, trước hạn.",
        "proof": proof(),
    }
    values.update(data)
    return client.post(reverse("registrations:correct", args=[reg.public_id]), values, follow=True)


@freeze_time("2026-03-01 09:00")
def test_corrected_date_clears_the_late_mark_and_leaves_an_audit_row_with_old_and_new_values(
    client, clerk, late_online
):
    assert late_online.is_late
    client.force_login(clerk)

    response = correct(client, late_online)

    reg = Registration.objects.get(pk=late_online.pk)
    assert (reg.registered_on, reg.committed_count, reg.is_late) == (datetime.date(2026, 2, 10), 142, False)
    event = AuditEvent.objects.get(action="correct")
    assert event.changes == {
        "registered_on": ["20/02/2026", "10/02/2026"],
        "committed_count": ["140", "142"],
        "is_late": ["True", "False"],
    }
    assert (event.reason, event.actor) == ("Bản giấy có chữ ký đến xã ngày 10/02/2026, trước hạn.", clerk)
    assert event.label == "Điều chỉnh bản đăng ký (căn cứ: ban-giay-co-ngay-nhan.pdf)"
    assert RegistrationDocument.objects.filter(registration=reg, original_name="ban-giay-co-ngay-nhan.pdf").exists()
    page = response.content.decode()
    assert "Ngày đăng ký: 20/02/2026 → <strong>10/02/2026</strong>" in page
    assert "Nộp muộn: Có → <strong>Không</strong>" in page


@freeze_time("2026-03-01 09:00")
def test_correcting_to_a_date_after_the_deadline_sets_the_late_mark(client, clerk, make_registration, village):
    reg = make_registration(village, S.ACCEPTED)
    assert not reg.is_late
    client.force_login(clerk)

    correct(client, reg, registered_on="2026-02-14")

    assert Registration.objects.get(pk=reg.pk).is_late is True


@freeze_time("2026-03-01 09:00")
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "  "}, "reason", "Trường này là bắt buộc."),
        ({"proof": ""}, "proof", "Trường này là bắt buộc."),
        ({"registered_on": "2062-02-10"}, "registered_on", "Ngày nhận không được sau hôm nay."),
        ({"committed_count": 150}, "committed_count", "Số đã đăng ký không được lớn hơn tổng số."),
        (
            {"base_count": 2**40},
            "base_count",
            "Số hộ gia đình không được vượt quá 20.000 (một khu dân cư không lớn đến vậy).",
        ),
    ],
)
def test_bad_correction_is_refused_in_vietnamese_and_nothing_is_saved(client, clerk, late_online, data, field, message):
    client.force_login(clerk)

    response = correct(client, late_online, **data)

    assert response.context["form"].errors[field] == [message]
    reg = Registration.objects.get(pk=late_online.pk)
    assert (reg.registered_on, reg.is_late) == (LATE_DAY, True)
    assert not AuditEvent.objects.filter(action="correct").exists()
    assert RegistrationDocument.objects.filter(registration=reg).count() == 0


@freeze_time("2026-03-01 09:00")
def test_a_correction_that_changes_nothing_is_refused(client, clerk, late_online):
    client.force_login(clerk)

    response = correct(client, late_online, registered_on="2026-02-20", committed_count=140)

    assert response.context["form"].non_field_errors() == ["Không có gì thay đổi so với bản đăng ký hiện tại."]
    assert RegistrationDocument.objects.count() == 0


def test_village_head_cannot_correct_and_outsider_gets_404(client, village_head, outsider_clerk, late_online):
    url = reverse("registrations:correct", args=[late_online.public_id])
    client.force_login(village_head)
    assert client.get(url).status_code == 403
    client.force_login(outsider_clerk)
    assert client.get(url).status_code == 404


@freeze_time("2026-03-01 09:00")
def test_clerk_reaches_the_correction_from_the_registration_page(client, clerk, village_head, late_online):
    url = reverse("registrations:detail", args=[late_online.public_id])
    client.force_login(clerk)
    assert reverse("registrations:correct", args=[late_online.public_id]) in client.get(url).content.decode()
    client.force_login(village_head)
    assert reverse("registrations:correct", args=[late_online.public_id]) not in client.get(url).content.decode()


@freeze_time("2026-02-20 09:00")
def test_registration_form_warns_before_a_late_registration(client, village_head, village, year):
    client.force_login(village_head)

    page = client.get(reverse("registrations:create", args=[village.public_id])).content.decode()

    assert "Đã quá hạn 13/02/2026 — đăng ký sẽ bị ghi nhận muộn." in page


@freeze_time("2026-02-10 09:00")
def test_registration_form_on_time_has_no_warning(client, village_head, village, year):
    client.force_login(village_head)

    page = client.get(reverse("registrations:create", args=[village.public_id])).content.decode()

    assert "Đã quá hạn" not in page


@freeze_time("2026-03-01 09:00")
def test_late_registration_page_explains_the_consequence(client, village_head, late_online):
    client.force_login(village_head)

    page = client.get(reverse("registrations:detail", args=[late_online.public_id])).content.decode()

    assert "Đăng ký muộn làm đơn vị không đạt tiêu chí «đăng ký phấn đấu trong quý I»" in page


@freeze_time("2026-02-20 09:00")
def test_returned_registration_warns_before_a_late_resubmission(client, village_head, make_registration, village):
    reg = make_registration(village, S.RETURNED)
    client.force_login(village_head)

    page = client.get(reverse("registrations:detail", args=[reg.public_id])).content.decode()

    assert "Đã quá hạn 13/02/2026 — đăng ký sẽ bị ghi nhận muộn." in page
