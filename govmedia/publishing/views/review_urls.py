from django.urls import path

from govmedia.publishing.views import ledger, overview, review

urlpatterns = [
    path("review/", review.queue, name="review_queue"),
    path("review/sign/", review.to_sign, name="to_sign"),
    path("review/<int:pk>/", review.review, name="review"),
    path("review/<int:pk>/approve/", review.approve, name="review_approve"),
    path("review/<int:pk>/reject/", review.reject, name="review_reject"),
    path("review/<int:pk>/accept-finding/", review.accept_finding, name="review_accept_finding"),
    path("review/<int:pk>/grade/", review.mark_grade, name="review_mark_grade"),
    path("ledger/", ledger.ledger, name="ledger"),
    path("ledger/export/", ledger.ledger_export, name="ledger_export"),
    path("overview/", overview.overview, name="overview"),
]
