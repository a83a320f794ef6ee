from django.contrib import admin

from certificates.models import Certificate, CertificateSettings


@admin.register(CertificateSettings)
class CertificateSettingsAdmin(admin.ModelAdmin):
    list_display = ["unit", "symbol"]
    autocomplete_fields = ["unit"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates are issued, revoked and re-issued through the portal's audited actions."""

    list_display = ["number_label", "unit_name", "issuer", "calendar_year", "revoked_at"]
    list_filter = ["calendar_year"]
    search_fields = ["unit_name", "code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
