import django_filters
from django import forms
from django.db.models import Q

from ansinh.forms import SafeForm
from ansinh.text import fold
from units.models import Category, Unit, UnitKind


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Tìm theo tên, mã")
    category = django_filters.ChoiceFilter(
        field_name="kind__category", choices=Category.choices, label="Nhóm", empty_label="Tất cả nhóm"
    )
    kind = django_filters.ModelChoiceFilter(queryset=UnitKind.objects.all(), label="Loại", empty_label="Tất cả loại")
    scope = django_filters.ChoiceFilter(
        method="filter_scope",
        label="Diện",
        choices=[("in", "Thuộc diện đăng ký"), ("out", "Không thuộc diện")],
        empty_label="Tất cả",
    )
    party = django_filters.BooleanFilter(
        field_name="has_party_org",
        label="Tổ chức Đảng",
        widget=forms.Select(choices=[("", "Tất cả"), ("true", "Có"), ("false", "Không")]),
    )

    class Meta:
        form = SafeForm
        model = Unit
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(search_name__contains=fold(value)) | Q(code=value)) if value else queryset

    def filter_scope(self, queryset, name, value):
        in_scope = Q(out_of_scope="", kind__takes_part=True)
        return queryset.filter(in_scope) if value == "in" else queryset.exclude(in_scope)
