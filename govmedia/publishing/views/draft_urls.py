from django.urls import path

from govmedia.publishing.views import draft_actions, draft_attachments, draft_editor, drafts

urlpatterns = [
    path("drafts/", drafts.my_drafts, name="my_drafts"),
    path("drafts/new/", draft_editor.draft_new, name="draft_new"),
    path("drafts/<int:pk>/", drafts.draft_detail, name="draft_detail"),
    path("drafts/<int:pk>/edit/", draft_editor.draft_edit_view, name="draft_edit"),
    path("drafts/<int:pk>/versions/", drafts.draft_versions, name="draft_versions"),
    path("drafts/<int:pk>/submit/", draft_actions.draft_submit_view, name="draft_submit"),
    path("drafts/<int:pk>/withdraw/", draft_actions.draft_withdraw_view, name="draft_withdraw"),
    path("drafts/<int:pk>/publication/", draft_actions.draft_publication, name="draft_publication"),
    path("drafts/<int:pk>/attachments/", draft_attachments.draft_attachment_add, name="draft_attachment_add"),
    path("drafts/<int:pk>/attachments/<int:attachment_pk>/", draft_attachments.draft_attachment,
         name="draft_attachment"),
    path("drafts/<int:pk>/attachments/<int:attachment_pk>/remove/", draft_attachments.draft_attachment_remove,
         name="draft_attachment_remove"),
    path("repost-tasks/<int:task_pk>/units/<int:unit_pk>/draft/", drafts.draft_from_repost_task,
         name="draft_from_repost_task"),
]
