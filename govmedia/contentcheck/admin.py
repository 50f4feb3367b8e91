from django.contrib import admin

from govmedia.contentcheck.forms import LexiconAdminForm
from govmedia.contentcheck.models import Lexicon, LexiconRevision
from govmedia.contentcheck.services import lexicon_save


class RevisionInline(admin.TabularInline):
    model = LexiconRevision
    extra = 0
    fields = ("version", "saved_at", "saved_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lexicon)
class LexiconAdmin(admin.ModelAdmin):
    form = LexiconAdminForm
    list_display = ("name", "entry_count", "version", "is_active", "updated_at")
    readonly_fields = ("version", "entry_count")
    inlines = [RevisionInline]

    # The district's lexicons apply to every unit's checks: only district supervisors edit them.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_district_supervisor

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        lexicon_save(lexicon=obj, by=request.user)
