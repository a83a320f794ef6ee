from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

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


# Devices change only through the portal's audited pages (ansinh.twofactor): enrolment, turning off with a
# code, and the administrator's reset.
admin.site.unregister([TOTPDevice, StaticDevice])
