from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ansinh.models import AuditEvent, Job


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


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """To look at: jobs are started by the portal's pages and re-queued by the worker (ansinh/jobs.py)."""

    list_display = ["title", "kind", "requested_by", "status", "done", "total", "attempt", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "requested_by__username"]
    raw_id_fields = ["requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Devices change only through the portal's audited pages (ansinh.twofactor): enrolment, turning off with a
# code, and the administrator's reset.
admin.site.unregister([TOTPDevice, StaticDevice])
