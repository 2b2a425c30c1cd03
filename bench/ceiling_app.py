"""The ceiling: a one-view Django app that returns a fixed response.

Served by the same gunicorn settings as Superlists, it is the fastest any Django page can be on
this stack and this machine; each page of the app is reported as a fraction of it. No
middleware, no templates, no database: only Django's request handling around one view.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

from bench.config import FIXED_BODY


def fixed_response(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FIXED_BODY)


urlpatterns = [path("", fixed_response)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="ceiling-app-has-no-secrets",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)

application = get_wsgi_application()
