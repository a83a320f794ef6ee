"""seed_scale: units with valid tree paths, two years of registrations and dossiers, idempotent per seed."""

from freezegun import freeze_time

from dossiers.models import Decision, Dossier
from registrations.models import Registration
from reports.scale import seed_scale
from units.models import Unit


@freeze_time("2026-06-01 09:00")
def test_seed_scale_writes_each_commune_once_with_paths_under_it(kon_gang, dak_doa):
    assert seed_scale(seed=7, per_commune=4) == 8
    units = Unit.objects.filter(code__startswith="S7-")
    assert units.count() == 8
    for unit in units.select_related("parent"):
        assert unit.path.startswith(unit.parent.path)
        assert unit.depth == 2
        assert list(Unit.objects.under(kon_gang).filter(pk=unit.pk)) == ([unit] if unit.parent == kon_gang else [])
    counts = (Registration.objects.count(), Dossier.objects.count(), Decision.objects.count())
    assert seed_scale(seed=7, per_commune=4) == 0
    assert (Registration.objects.count(), Dossier.objects.count(), Decision.objects.count()) == counts
    assert Registration.objects.filter(year__number=2025).exists()
    assert Registration.objects.filter(year__number=2026).exists()
    recognised = Dossier.objects.filter(status="recognised")
    assert recognised.count() == recognised.filter(decision__isnull=False).count()
