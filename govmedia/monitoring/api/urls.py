from django.urls import path

from govmedia.monitoring.api import views

urlpatterns = [
    path("api/v1/posts", views.push_posts, name="api_push_posts"),
    path("api/v1/openapi.json", views.openapi_schema, name="api_openapi"),
]
