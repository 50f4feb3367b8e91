from django.urls import include, path

urlpatterns = [
    path("", include("govmedia.monitoring.views.urls")),
    path("", include("govmedia.monitoring.api.urls")),
]
