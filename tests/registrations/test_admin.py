import datetime

import pytest
from django.urls import reverse

from registrations import services
from tests.factories import UserFactory


@pytest.mark.parametrize("typed", ["dak doa", "ĐAK ĐOA", "Đak Đoa", "thôn 1 đak"])
def test_admin_finds_a_registration_by_unit_name_without_accents_or_case(
    client, province, dak_doa_village, outsider_clerk, village, clerk, typed
):
    year = services.open_year(province, 2026)
    for unit, user in ((dak_doa_village, outsider_clerk), (village, clerk)):
        services.start_registration(
            unit=unit,
            year=year,
            user=user,
            registered_on=datetime.date(2026, 2, 5),
            base_count=9,
            committed_count=9,
        )
    client.force_login(UserFactory(username="sieuquantri", is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:registrations_registration_changelist"), {"q": typed})
    assert response.status_code == 200
    assert [r.unit for r in response.context["cl"].result_list] == [dak_doa_village]
