from django.urls import include, path

app_name = "interaction"

urlpatterns = [
    path("", include("govmedia.interaction.views.message_urls")),
    path("", include("govmedia.interaction.views.survey_urls")),
]
