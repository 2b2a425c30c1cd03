"""A URLconf whose views fail in each way a page can (observability.tests.test_request_ids): the
site's own URLs, and one view for each error page."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def server_error(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something broke")


def bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("nonsense")


def permission_denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    path("fail/500", server_error),
    path("fail/400", bad_request),
    path("fail/403", permission_denied),
    path("", include("superlists.urls")),
]


def server_error_with_secrets(request: HttpRequest) -> HttpResponse:
    """A careless error message, naming the user by address."""
    raise RuntimeError(f"broke for {request.user}")


urlpatterns.insert(0, path("fail/with-secrets", server_error_with_secrets))
