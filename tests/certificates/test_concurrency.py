import datetime

import pytest
from django.db import connection

from certificates import services
from certificates.models import Certificate
from dossiers.models import Decision, DossierStatus
from registrations.services import open_year
from tests.dossiers.conftest import make_dossier
from tests.factories import UnitFactory, person
from tests.threads import in_threads
from units.models import Role

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Row locks (select_for_update) need PostgreSQL; SQLite serialises writes"
)


def _decision(issuer, year, number, names):
    decision = Decision.objects.create(
        issuer=issuer,
        year=year,
        calendar_year=2026,
        number=number,
        symbol="QĐ-UBND",
        issued_on=datetime.date(2026, 11, 14),
        signer_name="Nguyễn Văn An",
        capacity="on_behalf",
    )
    for name in names:
        dossier = make_dossier(UnitFactory(name=name, parent=issuer), year, DossierStatus.RECOGNISED)
        dossier.decision = decision
        dossier.save()
    return decision


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_decisions_certified_at_once_get_distinct_consecutive_numbers(province, kon_gang):
    year = open_year(province, 2026)
    chairman = person(Role.CHAIRMAN, kon_gang, "chutich.konggang")
    clerk = person(Role.RECORDS_CLERK, kon_gang, "vanthu.konggang")
    first = _decision(kon_gang, year, 1, ["Thôn 1", "Thôn 2", "Thôn 3"])
    second = _decision(kon_gang, year, 2, ["Thôn 4", "Thôn 5"])

    results = in_threads(
        lambda: services.issue_for_decision(first, chairman), lambda: services.issue_for_decision(second, clerk)
    )

    assert sorted(kind for kind, _ in results) == ["ok", "ok"]

    assert sorted(Certificate.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_decision_certified_twice_at_once_gives_each_unit_one_certificate(province, kon_gang):
    year = open_year(province, 2026)
    chairman = person(Role.CHAIRMAN, kon_gang, "chutich.konggang")
    clerk = person(Role.RECORDS_CLERK, kon_gang, "vanthu.konggang")
    decision = _decision(kon_gang, year, 1, ["Thôn 1", "Thôn 2", "Thôn 3"])

    results = in_threads(
        lambda: services.issue_for_decision(decision, chairman), lambda: services.issue_for_decision(decision, clerk)
    )

    assert sorted((kind, len(issued)) for kind, issued in results) == [("ok", 0), ("ok", 3)]
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [1, 2, 3]
