"""Review before publish in the back office: looked up here, scoped to the user's remit (orgs.admin_scoping);
drafts, decisions and chains change only through their services, and the ledger never changes at all. The
district's emergency full-review period is kept here by supervisors."""

from django.contrib import admin

from govmedia.orgs.admin_scoping import ScopedAdmin, SupervisorOnlyAdmin
from govmedia.orgs.selectors import unit_ids_managed_by
from govmedia.publishing.models import (
    ChainStep,
    Draft,
    DraftVersion,
    LedgerAnchor,
    LedgerEntry,
    PublishingSettings,
    ReviewStep,
)
from govmedia.registry.admin import ReadOnlyHistory


class ByUnit(ReadOnlyHistory, ScopedAdmin):
    unit_field = "unit_id"

    def scope(self, request, queryset):
        return queryset.filter(**{f"{self.unit_field}__in": unit_ids_managed_by(request.user)})

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class VersionInline(ReadOnlyHistory, admin.TabularInline):
    model = DraftVersion
    fields = ("number", "title", "created_by", "created_at")
    readonly_fields = fields
    extra = 0


class StepInline(ReadOnlyHistory, admin.TabularInline):
    model = ReviewStep
    fields = ("round", "order", "label", "role", "mode", "state", "decided_at")
    readonly_fields = fields
    extra = 0


@admin.register(Draft)
class DraftAdmin(ByUnit):
    list_display = ("title", "unit", "author", "grade", "state", "emergency", "updated_at")
    list_filter = ("state", "grade", "emergency", "origin")
    search_fields = ("title", "unit__name")
    exclude = ("body_html", "body_text")
    inlines = [VersionInline, StepInline]


@admin.register(ChainStep)
class ChainStepAdmin(ByUnit):
    list_display = ("unit", "grade", "order", "label", "role", "mode")
    list_filter = ("grade",)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ByUnit):
    list_display = ("unit", "sequence", "draft", "recorded_at", "hash")
    search_fields = ("unit__name",)


@admin.register(LedgerAnchor)
class LedgerAnchorAdmin(ReadOnlyHistory, SupervisorOnlyAdmin):
    list_display = ("day", "digest", "created_at")
    readonly_fields = ("day", "digest", "heads", "created_at")


@admin.register(PublishingSettings)
class PublishingSettingsAdmin(SupervisorOnlyAdmin):
    def has_add_permission(self, request, *args):
        return super().has_add_permission(request) and not PublishingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
