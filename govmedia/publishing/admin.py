"""Review before publish in the back office: looked up here, scoped to the user's remit (orgs.admin_scoping);
drafts, decisions and chains change only through their services, and the ledger never changes at all. The
district's emergency full-review period is kept here by supervisors."""

from django.contrib import admin

from govmedia.orgs.admin_scoping import ScopedAdmin, SupervisorOnlyAdmin
from govmedia.orgs.permissions import may_use_back_office
from govmedia.orgs.selectors import unit_ids_managed_by
from govmedia.publishing.models import (
    ChainStep,
    Draft,
    DraftAttachment,
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


class ReadOnlyInline(ReadOnlyHistory, admin.TabularInline):
    """Shown with its draft, whose page is already scoped to the user's remit."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return may_use_back_office(request.user)


class VersionInline(ReadOnlyInline):
    model = DraftVersion
    fields = ("number", "title", "created_by", "created_at")
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = DraftAttachment
    fields = ("name", "size", "content_type", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields


class StepInline(ReadOnlyInline):
    model = ReviewStep
    fields = ("round", "order", "label", "role", "mode", "state", "decided_at")
    readonly_fields = fields


@admin.register(Draft)
class DraftAdmin(ByUnit):
    list_display = ("title", "unit", "author", "grade", "state", "emergency", "updated_at")
    list_filter = ("state", "grade", "emergency", "origin")
    search_fields = ("title", "unit__name")
    exclude = ("body_html", "body_text")
    inlines = [VersionInline, AttachmentInline, StepInline]


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
