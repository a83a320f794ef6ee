from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from units.models import Authority, RoleAssignment, Unit, UnitKind, UnitLineage


@admin.register(UnitKind)
class UnitKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "category", "takes_part", "counts_households", "sort_order"]
    list_filter = ["category", "takes_part"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "code", "has_party_org", "out_of_scope"]
    list_filter = ["kind__category", "kind", "out_of_scope", "has_party_org"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["kind", "parent"]
    readonly_fields = ["public_id", "path", "depth", "archived_at"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["category", "managing_category", "province", "managing_unit", "reviewer", "recogniser", "source"]
    list_filter = ["category", "managing_category", "reviewer", "recogniser"]
    autocomplete_fields = ["province", "managing_unit"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    autocomplete_fields = ["unit"]
    extra = 1


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "title", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__first_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


admin.site.unregister(User)


@admin.register(User)
class UserWithRolesAdmin(UserAdmin):
    inlines = [RoleInline]


@admin.register(UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    """Corrections only: clerks record links from the unit page, where they are audited."""

    list_display = ["predecessor", "kind", "successor", "effective_on", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["predecessor__name", "successor__name"]
    raw_id_fields = ["predecessor", "successor"]
    list_select_related = ["predecessor", "successor", "recorded_by"]
