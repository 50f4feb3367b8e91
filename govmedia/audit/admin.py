from django.contrib import admin

from govmedia.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "ip_address", "channel", "action", "object_type", "object_repr")
    list_filter = ("action", "channel", "object_type")
    search_fields = ("actor_label", "object_repr", "object_id")
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_district_supervisor

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    # Append-only: nobody edits or deletes the trail, not even a superuser through the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
