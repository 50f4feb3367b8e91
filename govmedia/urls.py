from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("registry/", include("govmedia.registry.urls")),
    path("check/", include("govmedia.contentcheck.urls")),
    path("monitoring/", include("govmedia.monitoring.urls")),
    path("", include("govmedia.web.urls")),
]
