"""Monitoring in the back office, gated like the rest (orgs.admin_scoping): a unit admin keeps its accounts'
sources; the approved-source list, reading intervals and thresholds are the district's; findings, posts and
push tokens are looked up here and changed only through their services."""

from django.contrib import admin, messages
from django.urls import reverse

from govmedia import clock
from govmedia.monitoring.models import (
    ApprovedSource,
    Finding,
    FindingEvent,
    MonitoringPolicy,
    PlatformSchedule,
    Post,
    PushToken,
    Source,
)
from govmedia.monitoring.services import approved_sources, configuration, sources
from govmedia.monitoring.services.tokens import token_revoke
from govmedia.orgs import permissions
from govmedia.orgs.admin_scoping import ScopedAdmin, SupervisorOnlyAdmin, checked_form
from govmedia.registry.admin import ReadOnlyHistory
from govmedia.registry.selectors import accounts_visible_to


class ByVisibleAccount(ScopedAdmin):
    def scope(self, request, queryset):
        return queryset.filter(account__in=accounts_visible_to(request.user).values("pk"))


# The reading cycle's record of a source: shown, never typed in.
SOURCE_HEALTH_FIELDS = ("health", "health_reason", "health_detail", "broken_since", "consecutive_failures",
                        "last_attempt_at", "last_success_at", "next_due_at", "created_at")


@admin.register(Source)
class SourceAdmin(ByVisibleAccount):
    list_display = ("account", "kind", "url", "is_active", "health", "health_reason", "broken_since",
                    "last_success_at")
    list_filter = ("kind", "health", "is_active", "account__platform")
    search_fields = ("account__name", "url")
    fields = ("account", "kind", "url", "is_active", "interval_minutes", *SOURCE_HEALTH_FIELDS)

    def has_add_permission(self, request, *args):
        return (permissions.may_use_back_office(request.user)
                and permissions.accounts_whose_sources_user_keeps(request.user).exists())

    def has_change_permission(self, request, obj=None):
        if not permissions.may_use_back_office(request.user):
            return False
        return obj is None or permissions.may_edit_account_sources(request.user, obj.account)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # A source stays with its account; another account gets a source of its own.
        return (*SOURCE_HEALTH_FIELDS, "account") if obj is not None else SOURCE_HEALTH_FIELDS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "account":
            kwargs["queryset"] = permissions.accounts_whose_sources_user_keeps(request.user).select_related(
                "platform")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return checked_form(super().get_form(request, obj, change=change, **kwargs),
                            lambda source, by: sources.check_source(source=source, by=by), request)

    def save_model(self, request, obj, form, change):
        sources.source_save(source=obj, by=request.user)

    def delete_model(self, request, obj):
        sources.source_delete(source=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for source in queryset.select_related("account"):
            sources.source_delete(source=source, by=request.user)


@admin.register(ApprovedSource)
class ApprovedSourceAdmin(SupervisorOnlyAdmin):
    list_display = ("name", "level", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "aliases")

    def get_form(self, request, obj=None, change=False, **kwargs):
        return checked_form(super().get_form(request, obj, change=change, **kwargs),
                            lambda source, by: approved_sources.check_approved_source(source=source, by=by), request)

    def save_model(self, request, obj, form, change):
        approved_sources.approved_source_save(source=obj, by=request.user)

    def delete_model(self, request, obj):
        approved_sources.approved_source_delete(source=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for source in queryset:
            approved_sources.approved_source_delete(source=source, by=request.user)


@admin.register(PlatformSchedule)
class PlatformScheduleAdmin(SupervisorOnlyAdmin):
    list_display = ("platform", "interval_minutes")
    list_editable = ("interval_minutes",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return checked_form(super().get_form(request, obj, change=change, **kwargs),
                            lambda schedule, by: configuration.check_schedule(schedule=schedule, by=by), request)

    def get_changelist_form(self, request, **kwargs):
        return checked_form(super().get_changelist_form(request, **kwargs),
                            lambda schedule, by: configuration.check_schedule(schedule=schedule, by=by), request)

    def save_model(self, request, obj, form, change):
        configuration.schedule_save(schedule=obj, by=request.user)


@admin.register(MonitoringPolicy)
class MonitoringPolicyAdmin(SupervisorOnlyAdmin):
    list_display = ("__str__", "sleeping_days", "zombie_days", "follower_growth_factor", "follower_min_growth",
                    "popular_post_reads")

    def has_add_permission(self, request, *args):
        # One row holds for the whole district.
        return super().has_add_permission(request) and not MonitoringPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        return checked_form(super().get_form(request, obj, change=change, **kwargs),
                            lambda policy, by: configuration.check_policy(policy=policy, by=by), request)

    def save_model(self, request, obj, form, change):
        configuration.policy_save(policy=obj, by=request.user)


class FindingEventInline(ReadOnlyHistory, admin.TabularInline):
    model = FindingEvent
    extra = 0
    fields = ("at", "actor", "action", "from_state", "to_state", "note")


@admin.register(Finding)
class FindingAdmin(ReadOnlyHistory, ByVisibleAccount):
    """Read here; confirmed, dismissed, fixed, reopened and assigned on the findings page (services.triage),
    which keeps the history."""

    list_display = ("account", "code", "severity", "state", "assignee", "first_found_at", "last_found_at",
                    "times_found")
    list_filter = ("state", "severity", "code", "escalated")
    search_fields = ("summary", "account__name")
    exclude = ("fingerprint",)
    inlines = [FindingEventInline]

    def view_on_site(self, obj):
        return reverse("monitoring:finding", args=[obj.pk])


@admin.register(Post)
class PostAdmin(ReadOnlyHistory, ByVisibleAccount):
    """What accounts published, as read: a record from outside, never edited."""

    list_display = ("title", "account", "kind", "published_at", "first_seen", "deleted_on_platform", "checked_at")
    list_filter = ("kind", "deleted_on_platform", "account__platform")
    search_fields = ("title", "platform_post_id", "account__name")
    exclude = ("content_hash",)

    def view_on_site(self, obj):
        return reverse("monitoring:post", args=[obj.pk])


@admin.register(PushToken)
class PushTokenAdmin(ReadOnlyHistory, ByVisibleAccount):
    """Which tokens exist and whether they are in use: looked up and revoked here, issued on the account's
    page. The token is shown once when issued; its hash is never shown."""

    list_display = ("account", "name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("account__name", "name", "prefix")
    fields = ("account", "name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_revoke_permission(self, request):
        return permissions.may_use_back_office(request.user)

    @admin.action(description="吊销所选令牌", permissions=["revoke"])
    def revoke(self, request, queryset):
        revoked, now = 0, clock.now()
        for token in queryset.select_related("account").filter(revoked_at__isnull=True):
            token_revoke(token=token, by=request.user, now=now)
            revoked += 1
        self.message_user(request, f"已吊销 {revoked} 个令牌。", messages.SUCCESS)
