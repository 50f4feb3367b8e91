from django.urls import path

from govmedia.registry.views import accounts, applications, documents, filings, notices

urlpatterns = [
    path("accounts/", accounts.account_list, name="account_list"),
    path("units/search", accounts.unit_search, name="unit_search"),
    path("accounts/new/", accounts.account_open, name="account_open"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/change/", accounts.account_change, name="account_change"),
    path("accounts/<int:pk>/close/", accounts.account_close, name="account_close"),
    path("accounts/<int:pk>/qr/", accounts.account_qr, name="account_qr"),
    path("accounts/<int:pk>/qr/upload/", accounts.account_qr_upload, name="account_qr_upload"),
    path("accounts/<int:pk>/followers/", accounts.account_followers_add, name="account_followers_add"),
    path("accounts/<int:pk>/attachment1.docx", documents.attachment1_docx, name="attachment1_docx"),
    path("accounts/<int:pk>/attachment1.pdf", documents.attachment1_pdf, name="attachment1_pdf"),
    path("applications/", applications.inbox, name="inbox"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/approve/", applications.application_approve, name="application_approve"),
    path("applications/<int:pk>/reject/", applications.application_reject, name="application_reject"),
    path("applications/<int:pk>/resubmit/", applications.application_resubmit, name="application_resubmit"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/document/", applications.decision_document, name="decision_document"),
    path("filings/", filings.filing_list, name="filing_list"),
    path("filings/<int:pk>/record/", filings.filing_record, name="filing_record"),
    path("consolidation/", accounts.consolidation, name="consolidation"),
    path("import/", documents.ledger_import, name="ledger_import"),
    path("export.xlsx", documents.registry_export, name="registry_export"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/feed/rss/", notices.NoticeRssFeed(), name="notice_feed_rss"),
    path("notices/feed/atom/", notices.NoticeAtomFeed(), name="notice_feed_atom"),
]
