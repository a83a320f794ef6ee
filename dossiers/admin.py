"""Administrator screens: criteria and issuing bodies are edited here; dossiers and decisions are read-only
(their state changes only through the workflow)."""

from django.contrib import admin

from dossiers.models import (
    Criterion,
    Decision,
    Dossier,
    DossierRequirement,
    Incident,
    IssuerSettings,
    LegalBasis,
    RecognitionShare,
)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["reference", "text", "category", "province", "check_code", "sort_order", "is_active"]
    list_filter = ["category", "is_active", "province"]
    search_fields = ["reference", "text"]
    autocomplete_fields = ["province"]


@admin.register(DossierRequirement)
class DossierRequirementAdmin(admin.ModelAdmin):
    list_display = ["kind", "doc_type", "is_required", "province", "sort_order", "source"]
    list_filter = ["doc_type", "is_required", "kind", "province"]
    autocomplete_fields = ["province"]


@admin.register(RecognitionShare)
class RecognitionShareAdmin(admin.ModelAdmin):
    list_display = ["__str__", "percent", "source"]
    autocomplete_fields = ["province"]


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["text", "issuer", "issuer_category", "sort_order", "source"]
    list_filter = ["issuer_category"]
    autocomplete_fields = ["issuer"]


@admin.register(IssuerSettings)
class IssuerSettingsAdmin(admin.ModelAdmin):
    list_display = ["unit", "place_name", "symbol", "default_capacity"]
    autocomplete_fields = ["unit"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "status", "submitted_at", "decision"]
    list_filter = ["status", "year"]
    search_fields = ["unit__name"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["number_label", "issuer", "issued_on", "signer_name"]
    list_filter = ["calendar_year"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["unit", "occurred_on", "kind", "disqualifying", "deleted_at"]
    list_filter = ["kind", "disqualifying"]
    search_fields = ["unit__name", "description"]
