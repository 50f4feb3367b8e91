from django.urls import path

from govmedia.interaction.views import public

urlpatterns = [
    path("<str:token>/", public.survey_answer, name="survey_answer"),
]
