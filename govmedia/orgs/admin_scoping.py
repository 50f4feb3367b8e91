"""The admin shows each staff member only their own remit, like the rest of the platform."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from govmedia.audit.middleware import record_refusal
from govmedia.orgs import permissions


def checked_form(base, check, request):
    """`base` with `check(instance, user)` (a services check) run once the form has built its instance, so
    what the services would refuse shows on the form in Chinese instead of failing in save_model; a
    refused permission is audited as a refused write."""

    class CheckedForm(base):
        def _post_clean(self):
            super()._post_clean()
            if self.errors:
                return
            try:
                check(self.instance, request.user)
            except PermissionDenied as error:
                record_refusal(request, str(error))
                self.add_error(None, str(error))
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, messages in error.message_dict.items():
                        self.add_error(field if field in self.fields else None, messages)
                else:
                    self.add_error(None, error.messages)

    return CheckedForm


class RefusedActionsAudited:
    """An admin action the user is not offered (e.g. delete_selected posted by a unit admin) is refused by
    Django with a bare "no action selected"; it is a refused write attempt, so it is audited."""

    def changelist_view(self, request, extra_context=None):
        # Checked here, not in response_action: Django never calls that when the user is offered no action.
        action = request.POST.get("action", "") if request.method == "POST" else ""
        if action and action not in self.get_actions(request):
            record_refusal(request, f"无权执行批量操作“{action[:50]}”")
        return super().changelist_view(request, extra_context)


class ScopedAdmin(RefusedActionsAudited, admin.ModelAdmin):
    # Unit staff may look up their own records here; changing them goes through the platform's own
    # forms and approvals, except where an admin opts in (people and users of one's own unit).
    editable_by_unit_admins = False

    def has_module_permission(self, request):
        return permissions.may_use_back_office(request.user)

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


class SupervisorOnlyAdmin(RefusedActionsAudited, admin.ModelAdmin):
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
