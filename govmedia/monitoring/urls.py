from django.urls import include, path

app_name = "monitoring"

urlpatterns = [
    path("", include("govmedia.monitoring.views.urls")),
    path("", include("govmedia.monitoring.views.pushimport_urls")),
    path("", include("govmedia.monitoring.api.urls")),
]
