"""Django admin for the year's data. A registration's status is read-only here: only
registrations.workflow moves it. Province administrators use the portal's deadline page."""

from django.contrib import admin

from ansinh.text import fold
from registrations.models import (
    Deadline,
    DeadlineDefault,
    InternalRule,
    MovementModel,
    Registration,
    RegistrationDocument,
    Year,
)


@admin.register(DeadlineDefault)
class DeadlineDefaultAdmin(admin.ModelAdmin):
    list_display = [
        "category",
        "registration_due",
        "registration_compiled_due",
        "dossier_due",
        "results_compiled_due",
        "review_due",
        "recognition_due",
        "classification_due",
        "source",
    ]


@admin.register(InternalRule)
class InternalRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "reference", "sort_order", "is_active", "source"]
    list_filter = ["is_active", "kinds"]
    filter_horizontal = ["kinds"]
    prepopulated_fields = {"code": ["name"]}


class DeadlineInline(admin.StackedInline):
    model = Deadline
    extra = 0
    autocomplete_fields = ["commune"]


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):
    list_display = ["number", "province", "is_open"]
    list_filter = ["number", "is_open"]
    inlines = [DeadlineInline]
    raw_id_fields = ["province"]


class MovementModelInline(admin.TabularInline):
    model = MovementModel
    extra = 0


class DocumentInline(admin.TabularInline):
    model = RegistrationDocument
    extra = 0
    fields = ["doc_type", "original_name", "size", "uploaded_by", "uploaded_at", "deleted_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "status", "registered_on", "committed_count", "base_count", "is_late"]
    list_filter = ["status", "is_late", "on_paper", "year__number"]
    # Folded on both sides: "dak doa" and "ĐAK ĐOA" both find Đak Đoa, on SQLite as on PostgreSQL.
    search_fields = ["unit__search_name__contains"]
    raw_id_fields = ["unit", "year"]
    readonly_fields = ["status", "submitted_at", "is_late", "return_reason", "created_by"]
    inlines = [MovementModelInline, DocumentInline]
    list_select_related = ["unit", "year"]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))

    def has_delete_permission(self, request, obj=None):
        # Nothing submitted is hard-deleted; documents are soft-deleted in the portal.
        return False
