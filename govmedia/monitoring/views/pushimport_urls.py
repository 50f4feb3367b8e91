"""Pages of the push and import sources: an account's post import and its push tokens."""

from django.urls import path

from govmedia.monitoring.views import post_import, push_tokens

urlpatterns = [
    path("accounts/<int:pk>/import", post_import.post_import, name="post_import"),
    path("accounts/<int:pk>/import/template.xlsx", post_import.post_import_template_download,
         name="post_import_template"),
    path("accounts/<int:pk>/tokens", push_tokens.push_tokens, name="push_tokens"),
    path("accounts/<int:pk>/tokens/<int:token_pk>/revoke", push_tokens.push_token_revoke, name="push_token_revoke"),
]
