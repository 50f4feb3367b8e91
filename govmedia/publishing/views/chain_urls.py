from django.urls import path

from govmedia.publishing.views import chains

urlpatterns = [
    path("chains/", chains.chains, name="chains"),
    path("chains/<int:unit_pk>/<str:grade>/", chains.chain_save, name="chain_save"),
]
