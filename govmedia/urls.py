from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers and tools that ask for /favicon.ico without reading the page's <link rel="icon">.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}govmedia/favicon.svg", permanent=True)),
    path("registry/", include("govmedia.registry.urls")),
    path("check/", include("govmedia.contentcheck.urls")),
    path("monitoring/", include("govmedia.monitoring.urls")),
    path("publishing/", include("govmedia.publishing.urls")),
    path("interaction/", include("govmedia.interaction.urls")),
    # The public survey answer page: no login, its own abuse guard.
    path("s/", include("govmedia.interaction.views.public_urls")),
    path("api/v1/", include("govmedia.web.api_urls")),
    path("", include("govmedia.web.urls")),
]
