from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "政务新媒体管理平台 · 后台"
admin.site.site_title = "govmedia 后台"
admin.site.index_title = "后台数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("registry/", include("govmedia.registry.urls")),
    path("check/", include("govmedia.contentcheck.urls")),
    path("", include("govmedia.web.urls")),
]
