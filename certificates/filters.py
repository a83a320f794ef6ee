"""Filters of the certificate list (applied to a queryset already scoped by the access layer)."""

import django_filters
from django import forms

from ansinh.forms import SafeForm
from ansinh.text import fold
from certificates.models import Certificate


def unit_name_contains(queryset, name, value):
    return queryset.filter(unit__search_name__contains=fold(value)) if value else queryset


def by_status(queryset, name, value):
    if value == "valid":
        return queryset.filter(revoked_at__isnull=True)
    if value == "revoked":
        return queryset.filter(revoked_at__isnull=False)
    return queryset


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method=unit_name_contains, label="Tên đơn vị", max_length=100)
    nam = django_filters.NumberFilter(
        field_name="decision__year__number", label="Năm", widget=forms.NumberInput(attrs={"min": 2000, "max": 2100})
    )
    quyet_dinh = django_filters.UUIDFilter(field_name="decision__public_id", label="Quyết định")
    tinh_trang = django_filters.ChoiceFilter(
        method=by_status,
        choices=[("valid", "Còn hiệu lực"), ("revoked", "Đã thu hồi")],
        label="Tình trạng",
        empty_label="Tất cả",
    )

    class Meta:
        form = SafeForm
        model = Certificate
        fields = []
