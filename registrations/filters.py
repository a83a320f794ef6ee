"""Filters and sorting for the clerk's board (on units annotated by registrations.queries)."""

import django_filters
from django import forms

from ansinh.forms import SafeForm
from registrations.models import Registration
from units.models import Category

NOT_REGISTERED = "none"
YES_NO = [("", "Tất cả"), ("true", "Có"), ("false", "Không")]


class BoardFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        field_name="kind__category",
        choices=[(c.value, c.label) for c in Category if c not in (Category.PROVINCE, Category.DISTRICT)],
        label="Nhóm đơn vị",
        empty_label="Tất cả nhóm",
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[(NOT_REGISTERED, "Chưa đăng ký"), *Registration.Status.choices],
        label="Trạng thái",
        empty_label="Tất cả",
    )
    missing = django_filters.BooleanFilter(field_name="missing", label="Còn thiếu", widget=forms.Select(choices=YES_NO))
    late = django_filters.BooleanFilter(field_name="reg_late", label="Nộp muộn", widget=forms.Select(choices=YES_NO))
    sort = django_filters.OrderingFilter(
        fields=[
            ("name", "name"),
            ("kind__sort_order", "kind"),
            ("reg_status", "status"),
            ("commitment_ratio", "ratio"),
            ("reg_registered_on", "registered_on"),
            ("missing", "missing"),
            ("reg_late", "late"),
        ],
        field_labels={
            "name": "Tên đơn vị",
            "kind__sort_order": "Loại",
            "reg_status": "Trạng thái",
            "commitment_ratio": "Tỷ lệ hộ / cán bộ",
            "reg_registered_on": "Ngày đăng ký",
            "missing": "Còn thiếu",
            "reg_late": "Nộp muộn",
        },
        label="Sắp xếp",
        empty_label="Mặc định",
    )

    class Meta:
        form = SafeForm

    def filter_status(self, queryset, name, value):
        if value == NOT_REGISTERED:
            return queryset.filter(reg_id__isnull=True)
        return queryset.filter(reg_status=value)
