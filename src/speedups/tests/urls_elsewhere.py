"""A URLconf for tests of a changed ROOT_URLCONF (speedups.tests.test_remembering)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def nothing(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    path("elsewhere/", nothing, name="home"),
    path("a&b/", nothing, name="odd"),
]
