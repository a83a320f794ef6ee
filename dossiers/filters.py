"""Filters of the dossier and incident lists (applied to querysets already scoped by the access layer)."""

import django_filters

from ansinh.forms import SafeForm
from ansinh.text import fold
from dossiers.models import Dossier, DossierStatus, Incident, IncidentKind


def unit_name_contains(queryset, name, value):
    # Compared on the folded name: SQLite folds only ASCII case, and people type without diacritics.
    return queryset.filter(unit__search_name__contains=fold(value)) if value else queryset


class DossierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method=unit_name_contains, label="Tên đơn vị")
    status = django_filters.ChoiceFilter(choices=DossierStatus.choices, label="Trạng thái", empty_label="Tất cả")
    nam = django_filters.NumberFilter(field_name="year__number", label="Năm")
    don_vi_quan_ly = django_filters.UUIDFilter(field_name="unit__parent__public_id", label="Đơn vị quản lý")

    class Meta:
        form = SafeForm
        model = Dossier
        fields = []


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method=unit_name_contains, label="Tên đơn vị")
    kind = django_filters.ChoiceFilter(choices=IncidentKind.choices, label="Loại vụ việc", empty_label="Tất cả")

    class Meta:
        form = SafeForm
        model = Incident
        fields = []
