from django.urls import path

from govmedia.contentcheck import views

urlpatterns = [
    path("", views.check_new, name="content_check"),
    path("<int:pk>/", views.check_detail, name="content_check_detail"),
]
