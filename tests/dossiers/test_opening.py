"""Opening a dossier: which units the «Lập hồ sơ» list offers and which year the new dossier belongs to."""

import pytest
from django.urls import reverse

from ansinh.errors import Refused
from dossiers import services
from dossiers.models import Dossier
from registrations.services import open_year
from tests.dossiers.conftest import make_dossier, register

pytestmark = pytest.mark.django_db


def offered(response):
    return list(response.context["create_form"].fields["unit"].queryset) if response.context["create_form"] else []


def test_dossier_is_opened_for_the_year_of_the_accepted_registration_after_next_year_opens(
    client, clerk, province, other_village, year
):
    register(other_village, year)
    open_year(province, year.number + 1)
    client.force_login(clerk)

    client.post(reverse("dossiers:create"), {"unit": other_village.pk}, follow=True)

    assert Dossier.objects.get(unit=other_village).year == year


def test_unit_that_already_has_its_dossier_is_not_offered_again(client, clerk, village, other_village, year):
    make_dossier(village, year)
    register(other_village, year)
    client.force_login(clerk)

    response = client.get(reverse("dossiers:list"))

    assert offered(response) == [other_village]


def test_creating_a_second_dossier_for_the_same_unit_is_refused_with_a_message(client, clerk, village, year):
    make_dossier(village, year)
    client.force_login(clerk)

    response = client.post(reverse("dossiers:create"), {"unit": village.pk}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Đơn vị này không lập được hồ sơ (chưa được tiếp nhận đăng ký hoặc đã có hồ sơ)."
    ]
    assert Dossier.objects.filter(unit=village).count() == 1


def test_opening_a_dossier_already_opened_by_someone_else_meanwhile_gives_a_message(clerk, village, year):
    make_dossier(village, year)

    with pytest.raises(Refused) as refused:
        services.open_dossier(unit=village, year=services.open_year_for(village), user=clerk)

    assert str(refused.value) == "Làng Kon Gang Tơ Pơng không còn bản đăng ký được tiếp nhận nào chưa lập hồ sơ."
