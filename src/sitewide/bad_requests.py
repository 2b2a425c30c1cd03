"""Requests Django cannot read get our own 400 page, with our headers, never a 500.

A form POST that Django cannot decode (a ``Content-Type`` charset other than UTF-8, a broken
multipart body, too many fields) raises when ``request.POST`` is first read, which is in
``CsrfViewMiddleware``. Django then answers with its ``handler400``. Its own 400 view, like its
500 view, runs the CSRF check again for its template: it read ``request.POST`` again, raised
again inside the error handler, and gunicorn answered a bare 500 without our security headers
(in development, the debug page reads it again too).

So ``RefuseUnreadableFormsMiddleware`` reads the form first, before any ``process_view``, and
answers a form it cannot read with ``bad_request``, which reads no body; that view is also the
site's ``handler400`` (``superlists.urls``), for whatever else is refused with a 400.
"""

from collections.abc import Callable

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

UNREADABLE_REQUEST_ERRORS = (BadRequest, SuspiciousOperation, MultiPartParserError)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's own 400 page. Unlike Django's, it does not check a CSRF token, which would
    read the body that could not be read."""
    return render(request, "400.html", status=400)


class RefuseUnreadableFormsMiddleware:
    """Read a POST's form data before any view or ``process_view`` (the CSRF check) does; if
    Django cannot, answer with ``bad_request``.

    Its own middleware, not a subclass of Django's ``CsrfViewMiddleware``: ``check --deploy``
    looks for that one by name.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 -- read (and keep) the form data now
            except UNREADABLE_REQUEST_ERRORS:
                return bad_request(request)
        return self.get_response(request)
