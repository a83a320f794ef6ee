"""Certificate fixtures: a decision of UBND xã Kon Gang recognising twelve units of 2026."""

import datetime

import pytest

from dossiers import services
from dossiers.models import DossierStatus
from tests.dossiers.conftest import make_dossier, year  # noqa: F401 - the year fixture is shared
from tests.factories import UnitFactory, kind

TWELVE_UNITS = [
    ("Làng Kon Gang Tơ Pơng", "lang"),
    ("Thôn Hà Lòng", "thon"),
    ("Thôn Đê Kjiêng", "thon"),
    ("Làng Đê Kôn", "lang"),
    ("Thôn Ia Băng", "thon"),
    ("Làng Groi", "lang"),
    ("Thôn Hữu Nghị", "thon"),
    ("Làng Kon Sơ Lăl", "lang"),
    ("Trường THCS Nguyễn Du", "co-so-giao-duc"),
    ("Trường Tiểu học Lê Quý Đôn", "co-so-giao-duc"),
    ("Công ty TNHH Cà phê Ân Phú", "doanh-nghiep"),
    ("Trạm Y tế xã Kon Gang", "co-quan"),
]


def recognised_units(commune, year, names):  # noqa: F811
    dossiers = []
    for name, code in names:
        unit = commune.children.filter(name=name).first() or UnitFactory(
            name=name, kind=kind(code), parent=commune, staff=20
        )
        dossiers.append(make_dossier(unit, year, DossierStatus.RECOMMENDED))
    return dossiers


def issue(commune, year, chairman, names, number_day=14):  # noqa: F811
    return services.issue_decision(
        issuer=commune,
        dossiers=recognised_units(commune, year, names),
        user=chairman,
        issued_on=datetime.date(2026, 11, number_day),
        signer_name="Nguyễn Văn An",
        capacity="on_behalf",
        symbol="QĐ-UBND",
    )


@pytest.fixture
def decision(kon_gang, year, chairman):  # noqa: F811
    return issue(kon_gang, year, chairman, TWELVE_UNITS)
