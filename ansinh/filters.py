"""Filters of the audit trail page: unit, person, action and a date range."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone

from ansinh.forms import SafeForm
from ansinh.models import AuditEvent
from ansinh.text import fold
from ansinh.widgets import DateInput


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditFilter(django_filters.FilterSet):
    don_vi = django_filters.CharFilter(method="by_unit", label="Đơn vị")
    nguoi = django_filters.CharFilter(method="by_person", label="Người thao tác")
    thao_tac = django_filters.ChoiceFilter(field_name="action", label="Thao tác", empty_label="Tất cả")
    tu_ngay = django_filters.DateFilter(method="since", label="Từ ngày", widget=DateInput())
    den_ngay = django_filters.DateFilter(method="until", label="Đến ngày", widget=DateInput())

    class Meta:
        model = AuditEvent
        fields = []
        form = SafeForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = self.queryset.order_by().values_list("action", flat=True).distinct()
        self.filters["thao_tac"].extra["choices"] = [(a, a) for a in sorted(set(actions))]

    def by_unit(self, queryset, name, value):
        return queryset.filter(unit__search_name__contains=fold(value)) if value.strip() else queryset

    def by_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor__username__icontains=value)
            | Q(actor__first_name__icontains=value)
            | Q(actor__last_name__icontains=value)
        )

    def since(self, queryset, name, value):
        return queryset.filter(at__gte=_day_start(value))

    def until(self, queryset, name, value):
        return queryset.filter(at__lt=_day_start(value + datetime.timedelta(days=1)))
