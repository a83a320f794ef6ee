"""Score templates are edited here, items inline. The maxima must add up to exactly 100, and a template a
score sheet already uses is never changed in place: saving it makes a new version (scoring.services)."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from ansinh.errors import Refused
from scoring import services
from scoring.models import ScoreItem, ScoreTemplate

TEMPLATE_FIELDS = ("name", "category", "province", "first_year", "is_default", "is_active", "note")


class ItemFormSet(forms.BaseInlineFormSet):
    def kept_items(self):
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("max_points")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        items = self.kept_items()
        try:
            for item in items:
                services.check_maximum(item["max_points"], item.get("number", ""))
            services.check_total(item["max_points"] for item in items)
        except Refused as exc:
            raise ValidationError(str(exc)) from exc


class ScoreItemInline(admin.TabularInline):
    model = ScoreItem
    formset = ItemFormSet
    extra = 0
    fields = ["sort_order", "group", "number", "text", "max_points", "guidance", "reference"]


@admin.register(ScoreTemplate)
class ScoreTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "province", "first_year", "version", "is_default", "is_active", "total"]
    list_filter = ["category", "is_active", "is_default", "province"]
    search_fields = ["name"]
    autocomplete_fields = ["province"]
    readonly_fields = ["version", "previous"]
    inlines = [ScoreItemInline]

    @admin.display(description="tổng điểm tối đa")
    def total(self, obj):
        return sum((item.max_points for item in obj.items.all()), Decimal("0"))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")

    def save_model(self, request, obj, form, change):
        # A template already used by a score sheet is revised as a whole in save_related (a new version).
        if change and ScoreTemplate.objects.get(pk=obj.pk).in_use:
            request._scoring_revise = True
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "_scoring_revise", False):
            super().save_related(request, form, formsets, change)
            return
        items = [
            {name: data[name] for name in services.ITEM_FIELDS if name in data}
            for formset in formsets
            if isinstance(formset, ItemFormSet)
            for data in formset.kept_items()
        ]
        original = ScoreTemplate.objects.get(pk=form.instance.pk)
        fields = {name: form.cleaned_data[name] for name in TEMPLATE_FIELDS if name in form.cleaned_data}
        fields.pop("is_active", None)
        request._scoring_new_version = services.revise_template(original, user=request.user, items=items, **fields)
        for formset in formsets:
            # Nothing of the old version changed; the admin's change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def response_change(self, request, obj):
        new = getattr(request, "_scoring_new_version", None)
        if new is None:
            return super().response_change(request, obj)
        messages.warning(
            request,
            f"Mẫu «{obj.name}» đã được dùng để chấm điểm nên không sửa trực tiếp: đã tạo phiên bản {new.version} "
            "để áp dụng cho các lần chấm sau; các bảng điểm cũ giữ nguyên mẫu và tổng điểm.",
        )
        return redirect(reverse("admin:scoring_scoretemplate_change", args=[new.pk]))
