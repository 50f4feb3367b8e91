from django.urls import path

from govmedia.interaction.views import (
    message_actions,
    message_entry,
    message_replies,
    message_stats,
    messages,
)

urlpatterns = [
    path("messages/", messages.message_list, name="messages"),
    path("messages/new/", message_entry.message_new, name="message_new"),
    path("messages/import/", message_entry.message_import, name="message_import"),
    path("messages/import/template/", message_entry.message_import_template_download,
         name="message_import_template"),
    path("messages/<int:pk>/", messages.message_detail, name="message_detail"),
    path("messages/<int:pk>/kind/", message_actions.message_kind, name="message_kind"),
    path("messages/<int:pk>/assign/", message_actions.message_assign_view, name="message_assign"),
    path("messages/<int:pk>/follow-up/", message_actions.message_follow_up_view, name="message_follow_up"),
    path("messages/<int:pk>/close/", message_actions.message_close_view, name="message_close"),
    path("messages/<int:pk>/reply/", message_replies.reply_save, name="message_reply"),
    path("messages/<int:pk>/reply/submit/", message_replies.reply_submit_view, name="message_reply_submit"),
    path("messages/<int:pk>/reply/release/", message_replies.reply_release_view, name="message_reply_release"),
    path("stats/", message_stats.stats, name="stats"),
    path("stats/export/", message_stats.stats_export, name="stats_export"),
    path("reply-limits/", message_stats.reply_limits_view, name="reply_limits"),
]
