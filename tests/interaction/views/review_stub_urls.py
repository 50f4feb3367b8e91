"""The project's URLs with a stand-in for the review page (`publishing:review`), which another package
provides: the message page links a reply in review to it, and the test checks that link."""

from django.http import HttpResponse
from django.urls import include, path

from govmedia.urls import urlpatterns as project_urls


def _review_page(request, pk):
    return HttpResponse()


# The first pattern naming a namespace is the one reverse() uses.
urlpatterns = [path("stub-review/", include(([path("<int:pk>/", _review_page, name="review")], "publishing"))),
               *project_urls]
