from django.urls import path

from govmedia.interaction.views import services, surveys

urlpatterns = [
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/new/", surveys.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/close/", surveys.survey_close_view, name="survey_close"),
    path("surveys/<int:pk>/export/", surveys.survey_export, name="survey_export"),
    path("accounts/<int:pk>/services/", services.service_list, name="services"),
    path("services/<int:pk>/edit/", services.service_edit, name="service_edit"),
    path("services/<int:pk>/delete/", services.service_delete, name="service_delete"),
]
