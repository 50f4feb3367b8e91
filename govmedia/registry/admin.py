from django.contrib import admin

from govmedia.orgs import permissions
from govmedia.orgs.admin_scoping import RefusedActionsAudited, ScopedAdmin, checked_form
from govmedia.registry import services
from govmedia.registry.models import (
    Account,
    Application,
    ClosureNotice,
    ColumnMenu,
    Filing,
    FilingEvent,
    FilingReminder,
    FollowerSnapshot,
    LifecycleEvent,
    Platform,
    TeamMember,
)
from govmedia.registry.selectors import accounts_visible_to


@admin.register(Platform)
class PlatformAdmin(RefusedActionsAudited, admin.ModelAdmin):
    list_display = ("name", "code", "family", "exclusivity_key", "account_type_label", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "code")

    # The platform list is district-wide configuration: everyone on staff reads it, supervisors edit it.
    def has_module_permission(self, request):
        return permissions.may_use_back_office(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_district_supervisor

    def has_change_permission(self, request, obj=None):
        return request.user.is_district_supervisor

    def has_delete_permission(self, request, obj=None):
        return request.user.is_district_supervisor


class ColumnInline(admin.TabularInline):
    model = ColumnMenu
    extra = 0


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 0


class FollowerInline(admin.TabularInline):
    """Shown for reference; follower counts are recorded on the account page (services.follower_count_record)."""

    model = FollowerSnapshot
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ByAccountScope(ScopedAdmin):
    def scope(self, request, queryset):
        return queryset.filter(account__in=accounts_visible_to(request.user))


class LifecycleOwnedMixin:
    """Records whose state only the registry services change, each change with its LifecycleEvent row
    (registry.services): the back office shows those fields but never edits them, and neither creates
    nor deletes such records, since that would skip the approval chain and the history."""

    lifecycle_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.lifecycle_fields)

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(LifecycleOwnedMixin, ScopedAdmin):
    # The provincial number and date come with the confirmed filing (services.filing_confirm).
    lifecycle_fields = ("status", "live_on", "host_opinion_signer", "host_opinion_on", "competent_opinion_signer",
                        "competent_opinion_on", "provincial_filing_no", "provincial_filed_on")
    list_display = ("name", "account_id", "platform", "host_unit", "status", "is_verified", "provincial_filing_no")
    list_filter = ("status", "platform", "is_verified", "host_unit__kind")
    search_fields = ("name", "account_id", "host_unit__name")
    inlines = [ColumnInline, TeamInline, FollowerInline]
    raw_id_fields = ("responsible_person",)
    filter_horizontal = ("operators",)

    def scope(self, request, queryset):
        return queryset.filter(pk__in=accounts_visible_to(request.user).values("pk"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        return checked_form(super().get_form(request, obj, change=change, **kwargs),
                            lambda account, by: services.check_account_correction(account=account, by=by), request)

    def save_model(self, request, obj, form, change):
        services.account_correct(account=obj, by=request.user)


class ReadOnlyHistory:
    """History is a record of what happened; it is not edited."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyHistory, ByAccountScope):
    pass


class FilingEventInline(ReadOnlyHistory, admin.TabularInline):
    model = FilingEvent
    extra = 0


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """An application is decided along its approval chain (registry.services.decisions), never edited here."""

    list_display = ("__str__", "kind", "state", "current_step", "applicant", "submitted_at")
    list_filter = ("kind", "state")


@admin.register(LifecycleEvent)
class LifecycleEventAdmin(ReadOnlyAdmin):
    """History is a record of what happened; it is not edited."""

    list_display = ("at", "account", "action", "actor", "from_state", "to_state")
    list_filter = ("action",)


@admin.register(Filing)
class FilingAdmin(LifecycleOwnedMixin, ByAccountScope):
    # Submission, confirmation and return go through the filing services, which record each step.
    lifecycle_fields = ("account", "application", "kind", "triggered_on", "due_on", "due_is_provisional",
                        "state", "provincial_filing_no", "form", "filed_on", "filed_by")
    list_display = ("account", "kind", "state", "triggered_on", "due_on", "due_is_provisional", "filed_on",
                    "provincial_filing_no")
    list_filter = ("kind", "state", "due_is_provisional")
    search_fields = ("account__name", "provincial_filing_no")
    inlines = [FilingEventInline]


@admin.register(FilingReminder)
class FilingReminderAdmin(ReadOnlyHistory, ScopedAdmin):
    list_display = ("sent_on", "recipient", "filing", "reason", "emailed")
    list_filter = ("reason", "emailed")

    def scope(self, request, queryset):
        return queryset.filter(filing__account__in=accounts_visible_to(request.user))


@admin.register(ClosureNotice)
class ClosureNoticeAdmin(LifecycleOwnedMixin, ByAccountScope):
    # The public text states the dates and is regenerated when they are recomputed (services.notice_text).
    lifecycle_fields = ("account", "application", "kind", "title", "body", "published_on", "effective_on",
                        "effective_is_provisional", "took_effect_at")
    list_display = ("title", "published_on", "effective_on", "took_effect_at")
