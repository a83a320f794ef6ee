"""The Django admin refuses what the portal's forms refuse: a NUL byte typed into a change or add form gets
the Vietnamese message and nothing is saved (PostgreSQL would have answered with a server error)."""

import pytest

from dossiers.models import Criterion
from tests.factories import UserFactory
from units.models import UnitKind

REFUSED = "Có ký tự điều khiển không được phép (U+0000)"


@pytest.fixture
def superuser(db):
    return UserFactory(username="sieu.quan.tri", is_staff=True, is_superuser=True)


def test_a_nul_byte_in_an_admin_change_form_is_refused_and_nothing_is_saved(client, superuser):
    kind = UnitKind.objects.get(code="thon")
    client.force_login(superuser)
    url = f"/quan-tri/units/unitkind/{kind.pk}/change/"
    response = client.post(
        url,
        {
            "code": kind.code,
            "name": "Thôn\x00 mới",
            "category": kind.category,
            "takes_part": "on",
            "counts_households": "on",
            "requires_security_plan": "on",
            "requires_movement_model": "on",
            "sort_order": "7",
        },
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    kind.refresh_from_db()
    assert (kind.name, kind.sort_order) == ("Thôn", UnitKind.objects.get(code="thon").sort_order)
    assert kind.sort_order != 7


def test_a_nul_byte_in_an_admin_add_form_saves_nothing(client, superuser):
    before = Criterion.objects.count()
    client.force_login(superuser)
    response = client.post(
        "/quan-tri/dossiers/criterion/add/",
        {
            "category": "residential_area",
            "reference": "Điều 4",
            "text": "Tiêu chí\x00 mới",
            "sort_order": "1",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert Criterion.objects.count() == before


def test_a_bidirectional_override_in_a_user_name_is_refused_in_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/quan-tri/auth/user/add/",
        {"username": "tep\u202eexe", "password1": "mat-khau-dai-1", "password2": "mat-khau-dai-1"},
    )
    assert response.status_code == 200
    assert "Có ký tự điều khiển không được phép (U+202E)" in response.content.decode()
    assert not UserFactory._meta.model.objects.filter(username="tep\u202eexe").exists()
