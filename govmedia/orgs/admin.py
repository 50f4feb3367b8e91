from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from govmedia import clock
from govmedia.audit.middleware import record_refusal
from govmedia.orgs import permissions, services
from govmedia.orgs.admin_scoping import ScopedAdmin, SupervisorOnlyAdmin, checked_form
from govmedia.orgs.api_tokens import api_token_revoke
from govmedia.orgs.models import ApiToken, Person, Unit, User
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

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.may_change_person(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = permissions.units_placeable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return checked_form(super().get_form(request, obj, change=change, **kwargs),
                             lambda person, by: services.check_person_placement(person=person, by=by), request)

    def save_model(self, request, obj, form, change):
        services.person_save(person=obj, by=request.user)


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

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.may_change_user(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        readonly = permissions.SYSTEM_KEPT_USER_FIELDS
        if not permissions.may_grant_supervisor_only_fields(request.user):
            readonly = (*readonly, *permissions.SUPERVISOR_ONLY_USER_FIELDS)
        if obj is not None and not permissions.may_change_grants_of(request.user, obj):
            readonly = (*readonly, "role", "person")
        if obj is not None and not permissions.may_change_active_flag_of(request.user, obj):
            readonly = (*readonly, "is_active")
        return readonly

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            # Fields the form ignores (read-only) or refuses (not a choice) were still asked for: audit it.
            user = self.get_object(request, unquote(object_id)) if object_id else None
            refused = permissions.refused_user_form_grants(request.user, request.POST, user)
            if refused:
                record_refusal(request, f"越权修改用户字段：{'、'.join(refused)}")
        return super().changeform_view(request, object_id, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = permissions.people_grantable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            grantable = permissions.grantable_roles(request.user)
            kwargs["choices"] = [(value, label) for value, label in db_field.choices if value in grantable]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return checked_form(super().get_form(request, obj, change=change, **kwargs),
                             lambda user, by: services.check_user_grant(user=user, by=by), request)

    def save_model(self, request, obj, form, change):
        services.user_save(user=obj, by=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(SupervisorOnlyAdmin):
    """Which personal API tokens exist and whether they are in use: looked up and revoked here by supervisors,
    issued by each user on their own page. The token is shown once when issued; its hash is never shown."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "user__person__name", "name", "prefix")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return self.has_module_permission(request)

    @admin.action(description="吊销所选令牌", permissions=["revoke"])
    def revoke(self, request, queryset):
        revoked, now = 0, clock.now()
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, by=request.user, now=now)
            revoked += 1
        self.message_user(request, f"已吊销 {revoked} 个令牌。", messages.SUCCESS)
