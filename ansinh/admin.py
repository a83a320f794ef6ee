from django.contrib import admin

from ansinh.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "label", "from_state", "to_state", "unit"]
    list_filter = ["action"]
    search_fields = ["label", "reason", "actor__username"]
    raw_id_fields = ["unit", "actor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
