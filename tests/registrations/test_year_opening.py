"""A GET never writes: a year the province has not opened is shown as such, and opening it is an explicit,
audited POST by who may (or the open_year command)."""

from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from ansinh.models import AuditEvent
from registrations.models import Year

NEW_YEAR = "2027-01-01 08:00"


@freeze_time(NEW_YEAR)
def test_first_visit_of_the_year_writes_nothing_and_says_who_opens_it(client, kon_gang, clerk):
    client.force_login(clerk)
    for name in ("registrations:board", "registrations:progress"):
        response = client.get(reverse(name, args=[kon_gang.public_id]))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Năm đánh giá 2027 chưa được mở" in page
        assert "Quản trị của tỉnh mở năm đánh giá; vui lòng liên hệ quản trị." in page
        assert "Mở năm đánh giá 2027" not in page
    assert (Year.objects.count(), AuditEvent.objects.count()) == (0, 0)


@freeze_time(NEW_YEAR)
def test_administrator_opens_the_year_with_the_button_and_it_is_audited(client, kon_gang, province_admin):
    client.force_login(province_admin)
    page = client.get(reverse("registrations:board", args=[kon_gang.public_id])).content.decode()
    assert "Mở năm đánh giá 2027" in page
    assert Year.objects.count() == 0
    client.post(reverse("registrations:open_year", args=[kon_gang.parent.public_id]), {"nam": "2027"})
    year = Year.objects.get()
    event = AuditEvent.objects.get(action="open_year")
    assert (year.number, year.deadlines.count() > 0, event.actor) == (2027, True, province_admin)
    assert client.get(reverse("registrations:board", args=[kon_gang.public_id])).status_code == 200


@freeze_time(NEW_YEAR)
def test_open_year_command_opens_it_without_a_person(kon_gang):
    call_command("open_year", "2027", "--province", kon_gang.parent.code, stdout=None)
    assert list(Year.objects.values_list("number", flat=True)) == [2027]
    assert AuditEvent.objects.get(action="open_year").actor is None


@freeze_time(NEW_YEAR)
def test_open_year_command_takes_the_province_by_name_as_import_divisions_does(kon_gang):
    call_command("open_year", "2027", "--province", "Gia Lai", stdout=None)
    assert list(Year.objects.values_list("number", "province__name")) == [(2027, "Tỉnh Gia Lai")]
