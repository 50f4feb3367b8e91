"""The JSON API for drafts and messages, mounted at /api/v1/ (web.api says how it speaks), and the page
where a user issues and revokes their own tokens for it."""

from django.urls import path

from govmedia.interaction.api import views as messages
from govmedia.publishing.api import views as drafts
from govmedia.web import api_schema, api_tokens

urlpatterns = [
    path("openapi.json", api_schema.openapi_schema, name="api_openapi"),
    path("drafts", drafts.drafts, name="api_drafts"),
    path("drafts/<int:pk>", drafts.draft, name="api_draft"),
    path("drafts/<int:pk>/submit", drafts.draft_submit_view, name="api_draft_submit"),
    path("messages", messages.messages, name="api_messages"),
    path("messages/<int:pk>", messages.message, name="api_message"),
    path("messages/<int:pk>/reply", messages.message_reply, name="api_message_reply"),
    path("tokens/", api_tokens.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke", api_tokens.api_token_revoke_view, name="api_token_revoke"),
]
