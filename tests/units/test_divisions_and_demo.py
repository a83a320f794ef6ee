import pytest
from django.core.management import call_command

from units.models import Unit


@pytest.mark.django_db
def test_import_divisions_loads_gia_lai_with_its_135_communes():
    call_command("import_divisions", province="Gia Lai")
    province = Unit.objects.get(code="52")
    communes = Unit.objects.under(province, include_self=False)
    assert (province.name, communes.count()) == ("Tỉnh Gia Lai", 135)
    assert communes.get(name="Xã Kon Gang").code == "23701"
    assert communes.get(name="Xã Đak Đoa").kind.code == "xa"


@pytest.mark.django_db
def test_import_divisions_is_idempotent():
    call_command("import_divisions", province="Gia Lai")
    before = list(Unit.objects.order_by("pk").values_list("pk", "name", "path", "code"))
    call_command("import_divisions", province="Gia Lai")
    assert list(Unit.objects.order_by("pk").values_list("pk", "name", "path", "code")) == before


@pytest.mark.django_db
def test_unknown_province_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy tỉnh/thành phố «Atlantis»."):
        call_command("import_divisions", province="Atlantis")


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG đang tắt"):
        call_command("seed_demo")
