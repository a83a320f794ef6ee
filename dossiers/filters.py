"""Filters of the dossier and incident lists (applied to querysets already scoped by the access layer)."""

import django_filters

from ansinh import access
from ansinh.forms import SafeForm
from ansinh.text import fold
from dossiers.models import Dossier, DossierStatus, Incident, IncidentKind
from units.models import MANAGED_CATEGORIES, Unit


def unit_name_contains(queryset, name, value):
    # Compared on the folded name: SQLite folds only ASCII case, and people type without diacritics.
    return queryset.filter(unit__search_name__contains=fold(value)) if value else queryset


class DossierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method=unit_name_contains, label="Tên đơn vị")
    status = django_filters.ChoiceFilter(choices=DossierStatus.choices, label="Trạng thái", empty_label="Tất cả")
    nam = django_filters.NumberFilter(field_name="year__number", label="Năm")
    don_vi_quan_ly = django_filters.UUIDFilter(field_name="unit__parent__public_id", label="Đơn vị quản lý")
    khu_vuc = django_filters.UUIDFilter(method="under_area", label="Thuộc địa bàn")

    class Meta:
        form = SafeForm
        model = Dossier
        fields = []

    def under_area(self, queryset, name, value):
        """Dossiers of the managed units strictly under an area: the dashboard's figures link here."""
        area = Unit.objects.filter(public_id=value).values_list("pk", "path").first()
        if area is None:
            return queryset.none()
        pk, path = area
        return queryset.filter(access.under(path, "unit"), unit__kind__category__in=MANAGED_CATEGORIES).exclude(
            unit_id=pk
        )


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method=unit_name_contains, label="Tên đơn vị")
    kind = django_filters.ChoiceFilter(choices=IncidentKind.choices, label="Loại vụ việc", empty_label="Tất cả")

    class Meta:
        form = SafeForm
        model = Incident
        fields = []
