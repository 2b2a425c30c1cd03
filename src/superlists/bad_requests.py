"""Requests Django cannot read get our own 400 page, with our headers, never a 500.

A form POST that Django cannot decode (a ``Content-Type`` charset other than UTF-8, a broken
multipart body, too many fields, too large) raises when ``request.POST`` is first read. That
happens in ``CsrfViewMiddleware``, and Django then answers with its 400 view, which, like its
500 view, runs the CSRF check again for its own template: it reads ``request.POST`` again, raises
again inside the error handler, and gunicorn answers a bare 500 without our security headers.

So the body is read here, before any view or ``process_view`` reads it, and a request whose body
cannot be read is answered at once by ``bad_request``; that view is also the site's
``handler400`` (``superlists.urls``), which reads no body, for anything else Django refuses with
a 400 (a forged Host header).
"""

from collections.abc import Callable

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

UNREADABLE_REQUEST_ERRORS = (BadRequest, SuspiciousOperation, MultiPartParserError)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's own 400 page. Unlike Django's, it does not check a CSRF token, which would
    read the body that could not be read."""
    return render(request, "400.html", status=400)


class RefuseUnreadableRequestsMiddleware:
    """Read a POST's form data first: if Django cannot, answer with ``bad_request``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 -- read (and keep) the form data now
            except UNREADABLE_REQUEST_ERRORS:
                return bad_request(request)
        return self.get_response(request)
