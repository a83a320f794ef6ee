"""Scoring fixtures: the 2026 year of Gia Lai, dossiers in any state, and points that add up to a total."""

from decimal import Decimal

import pytest

from dossiers.models import DossierStatus
from registrations.services import open_year
from scoring.models import ScoreTemplate
from tests.dossiers.conftest import make_dossier


@pytest.fixture
def year(province):
    return open_year(province, 2026)


@pytest.fixture
def village_template():
    return ScoreTemplate.objects.get(category="residential_area", is_default=True, version=1)


@pytest.fixture
def dossier(village, year):
    return make_dossier(village, year, DossierStatus.DRAFT)


@pytest.fixture
def reviewed_dossier(village, year):
    return make_dossier(village, year, DossierStatus.IN_REVIEW)


def points_for(template, total):
    """Every item at its maximum, then points taken from the first items until `total` is left."""
    items = list(template.items.order_by("sort_order", "pk"))
    missing = Decimal("100") - Decimal(str(total))
    points = {}
    for item in items:
        taken = min(item.max_points, missing)
        points[item.pk] = str(item.max_points - taken)
        missing -= taken
    return points


def form_data(template, total):
    return {f"item_{pk}": value for pk, value in points_for(template, total).items()}
