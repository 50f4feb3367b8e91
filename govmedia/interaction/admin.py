"""Interaction in the back office, gated like the rest (orgs.admin_scoping): messages, replies, surveys and an
account's services are looked up here, scoped to the accounts the user acts for (senders' contacts are
personal data), and changed only through their services; the reply limits are the district's."""

from django.contrib import admin

from govmedia.interaction.models import AccountService, Message, MessageEvent, Reply, ReplyLimit, Survey
from govmedia.orgs.admin_scoping import ScopedAdmin, SupervisorOnlyAdmin
from govmedia.orgs.permissions import accounts_acted_for
from govmedia.registry.admin import ReadOnlyHistory


class ByAccountActedFor(ReadOnlyHistory, ScopedAdmin):
    def scope(self, request, queryset):
        return queryset.filter(account__in=accounts_acted_for(request.user).values("pk"))


class MessageEventInline(ReadOnlyHistory, admin.TabularInline):
    model = MessageEvent
    fields = ("at", "actor", "action", "from_state", "to_state", "note")
    readonly_fields = fields
    extra = 0


class ReplyInline(ReadOnlyHistory, admin.StackedInline):
    model = Reply
    fields = ("state", "text", "author", "drafted_at", "draft", "released_by", "released_at")
    readonly_fields = fields
    extra = 0


@admin.register(Message)
class MessageAdmin(ByAccountActedFor):
    list_display = ("account", "kind", "status", "received_at", "assignee", "replied_at")
    list_filter = ("status", "kind", "channel")
    search_fields = ("account__name", "platform_message_id")
    inlines = [ReplyInline, MessageEventInline]


@admin.register(ReplyLimit)
class ReplyLimitAdmin(SupervisorOnlyAdmin):
    list_display = ("kind", "working_days")


@admin.register(Survey)
class SurveyAdmin(ByAccountActedFor):
    list_display = ("title", "account", "opens_at", "closes_at")
    search_fields = ("title", "account__name")


@admin.register(AccountService)
class AccountServiceAdmin(ByAccountActedFor):
    list_display = ("account", "kind", "name", "url")
    list_filter = ("kind",)
    search_fields = ("account__name", "name")
