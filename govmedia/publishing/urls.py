from django.urls import include, path

app_name = "publishing"

urlpatterns = [
    path("", include("govmedia.publishing.views.draft_urls")),
    path("", include("govmedia.publishing.views.review_urls")),
    path("", include("govmedia.publishing.views.chain_urls")),
]
