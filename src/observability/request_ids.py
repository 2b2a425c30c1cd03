"""A request ID for every request, from the proxy to the log line and the error page.

Our proxy (Caddy, ``header_up X-Request-ID {http.request.uuid}``) gives each request a UUID, and
writes it in its own access log too. The app takes that ID only from our proxy (the trust rule of
``observability.proxies``) and only if it looks like one (letters, digits and ``-._``, 8 to 64 of
them): a client's own header would otherwise let it forge lines into someone else's story, or
write whatever it likes into the log. Any other request gets an ID made here.

The ID of the request being served lives in a context variable, so every log line written
while serving it can carry it (``RequestIdLogFilter``) without passing the request around; and
the error pages show its first ``REFERENCE_LENGTH`` characters as a reference a user can quote.

A small middleware rather than a library: django-guid and django-log-request-id both take the
header from any client (django-guid can insist on a UUID, but not on who sent it), so neither
keeps our trust rule without wrapping it; asgi-correlation-id is for ASGI, and we serve WSGI.
What they would add beyond that (a context variable, a log filter) is a dozen lines here.

An ID made here is 32 random hex digits (128 bits, as many as a UUID's, at a tenth of the cost
of formatting a UUID): there is nothing to gain from its looking like Caddy's.
"""

import logging
import re
import secrets
from contextvars import ContextVar

from django.http import HttpRequest

from observability.proxies import behind_our_proxy

HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")
# 8 hex digits: 4 billion values, so two requests in one day's log practically never
# share one, and short enough to read out on the phone. The log search matches it as a prefix.
REFERENCE_LENGTH = 8

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


def request_id_for(request: HttpRequest) -> str:
    """The ID our proxy gave ``request``, if it came through it with a well-formed one; else new."""
    if behind_our_proxy(request):
        given: str = request.META.get("HTTP_X_REQUEST_ID", "")
        if WELL_FORMED.fullmatch(given):
            return given
    return secrets.token_hex(16)


def reference(request_id: str | None = None) -> str:
    """The short reference a page shows for ``request_id`` (the current request's by default)."""
    if request_id is None:
        request_id = current_request_id.get()
    return (request_id or "")[:REFERENCE_LENGTH]


class RequestIdLogFilter(logging.Filter):
    """Puts the current request's ID on every log record as ``request_id`` ("-" outside a
    request: start-up, management commands). It lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True


QUOTE_THE_REFERENCE = "If you tell us about it, quote the reference {reference}."


def with_reference(message: str) -> str:
    """``message`` to a user, followed by the current request's reference, for a failure the
    operator will want to find in the log."""
    return f"{message} {QUOTE_THE_REFERENCE.format(reference=reference())}"
