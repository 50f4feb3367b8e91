from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from govmedia.orgs.admin_scoping import ScopedAdmin
from govmedia.orgs.models import Person, Unit, User
from govmedia.orgs.selectors import unit_ids_managed_by


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ("name", "kind", "parent", "competent_unit", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parent", "competent_unit")

    def scope(self, request, queryset):
        return queryset.filter(pk__in=unit_ids_managed_by(request.user))


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    editable_by_unit_admins = True
    list_display = ("name", "unit", "title", "office_phone", "mobile")
    search_fields = ("name", "unit__name")
    list_filter = ("unit__kind",)

    def scope(self, request, queryset):
        return queryset.filter(unit_id__in=unit_ids_managed_by(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_district_supervisor:
            kwargs["queryset"] = Unit.objects.filter(pk__in=unit_ids_managed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(ScopedAdmin, BaseUserAdmin):
    editable_by_unit_admins = True
    list_display = ("username", "person", "role", "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*BaseUserAdmin.fieldsets, ("单位与角色", {"fields": ("person", "role")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("单位与角色", {"fields": ("person", "role")}))
    search_fields = ("username", "person__name")

    def scope(self, request, queryset):
        return queryset.filter(person__unit_id__in=unit_ids_managed_by(request.user))

    def get_readonly_fields(self, request, obj=None):
        # Only district supervisors grant staff or superuser rights.
        if request.user.is_district_supervisor:
            return ()
        return ("is_superuser", "is_staff", "groups", "user_permissions")
