"""The admin shows each staff member only their own remit, like the rest of the platform."""

from django.contrib import admin
from django.http import Http404

from govmedia.orgs import permissions


class ScopedAdmin(admin.ModelAdmin):
    # Unit staff may look up their own records here; changing them goes through the platform's own
    # forms and approvals, except where an admin opts in (people and users of one's own unit).
    editable_by_unit_admins = False

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return request.user.is_district_supervisor or (
            self.editable_by_unit_admins and permissions.may_manage_people(request.user))

    def has_change_permission(self, request, obj=None):
        return request.user.is_district_supervisor or (
            self.editable_by_unit_admins and permissions.may_manage_people(request.user))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_district_supervisor

    def scope(self, request, queryset):
        """Narrow `queryset` to what request.user may see. Each admin states its own rule; without one,
        nothing is shown (deny by default)."""
        return queryset.none()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_district_supervisor:
            return queryset
        return self.scope(request, queryset)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Another unit's object is indistinguishable from one that does not exist.
            raise Http404
        return obj


class SupervisorOnlyAdmin(admin.ModelAdmin):
    """District-wide configuration (the calendar, lexicons): district supervisors maintain it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_district_supervisor

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)
