from django.contrib import admin

from govmedia.contentcheck.forms import LexiconAdminForm
from govmedia.contentcheck.models import Lexicon, LexiconRevision
from govmedia.contentcheck.services import lexicon_save
from govmedia.orgs.admin_scoping import SupervisorOnlyAdmin


class RevisionInline(admin.TabularInline):
    model = LexiconRevision
    extra = 0
    fields = ("version", "saved_at", "saved_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lexicon)
class LexiconAdmin(SupervisorOnlyAdmin):
    form = LexiconAdminForm
    list_display = ("name", "entry_count", "version", "is_active", "updated_at")
    readonly_fields = ("version", "entry_count")
    inlines = [RevisionInline]

    class Media:
        css = {"all": ["govmedia/admin.css"]}  # a stylesheet, not style="": the CSP allows no inline styles

    def save_model(self, request, obj, form, change):
        lexicon_save(lexicon=obj, by=request.user)
