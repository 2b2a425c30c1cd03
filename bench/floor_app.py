"""The floor: Superlists' own settings and middleware around a view that renders nothing.

Between the ceiling (no middleware at all) and the real pages, it shows how much of a page's
cost is the middleware every page goes through, and how much is issuing a CSRF token to a new
visitor (a cookie-less request, as the load generator's are), which every page with a form does.
Served with DJANGO_SETTINGS_MODULE=bench.floor_settings.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from bench.config import FIXED_BODY
from speedups.csrf import get_token

MIDDLEWARE_ONLY_PATH = "/"
WITH_CSRF_TOKEN_PATH = "/csrf-token/"


def fixed_response(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FIXED_BODY)


def fixed_response_with_csrf_token(request: HttpRequest) -> HttpResponse:
    get_token(request)
    return HttpResponse(FIXED_BODY)


urlpatterns = [
    path(MIDDLEWARE_ONLY_PATH.lstrip("/"), fixed_response),
    path(WITH_CSRF_TOKEN_PATH.lstrip("/"), fixed_response_with_csrf_token),
]
