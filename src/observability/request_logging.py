"""One middleware, first in ``MIDDLEWARE``: each request gets its ID and one log line.

The line (logger ``superlists.requests``) is the site's access log: gunicorn's is off
(gunicorn.conf.py), since it saw only the container bridge's address and knew neither the
request ID nor the user. It says the method, the path without its query string (login links
carry their token in it) and with any email address in it replaced (My Lists' URL has one), the
status, the time taken, the user's pseudonym (``observability.pseudonyms``, never the address) and
the client's address as our proxy saw it. Nothing from the form, the cookies or the headers.

2xx and 3xx are INFO, 4xx WARNING, 5xx ERROR (their traceback comes from Django's own
``django.request`` logger, in the same request, with the same ID). ``/healthz`` and
``/metrics`` are not logged: the proxy asks the one every second, a scraper the other as
often. Nor is a health check's 503 logged by ``django.request`` (``QuietHealthChecks``): a
release drains the old container by making its /healthz answer 503, every second for as long
as the drain lasts, which is no error; an unavailable database is logged by the view itself.
"""

import logging
import re
import time
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponseBase

from observability.proxies import client_address
from observability.pseudonyms import pseudonym
from observability.redaction import redact
from observability.request_ids import HEADER, current_request_id, request_id_for

logger = logging.getLogger("superlists.requests")

# Asked over and over by machines: the proxy's health checks every second, the host's scrapes.
NOT_LOGGED = frozenset({"/healthz", "/metrics"})
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        request_id = request_id_for(request)
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if request.path not in NOT_LOGGED:
                log_request(request, response, time.perf_counter() - started)
        finally:
            current_request_id.reset(token)
        return response


def log_request(request: HttpRequest, response: HttpResponseBase, duration_s: float) -> None:
    status = response.status_code
    level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
    if not logger.isEnabledFor(level):
        return
    path = loggable_path(request.path)
    duration_ms = int(duration_s * 10_000) / 10  # to a tenth of a ms; round() costs more
    user_id = user_pseudonym(request)
    client = client_address(request)
    logger.log(
        level,
        "%s %s %s %s ms user %s from %s",
        request.method, path, status, duration_ms, user_id or "-", client,
        extra={
            "method": request.method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "user_id": user_id,
            "client": client,
        },
    )  # fmt: skip


def loggable_path(path: str) -> str:
    """``path`` with any email address replaced, and control characters escaped: decoded from
    the URL, a ``%0A`` would otherwise start a line of the client's own in the log."""
    path = redact(path)
    if CONTROL_CHARACTER.search(path):
        path = CONTROL_CHARACTER.sub(lambda match: f"\\x{ord(match[0]):02x}", path)
    return path


def user_pseudonym(request: HttpRequest) -> str | None:
    """The logged-in user's pseudonym, from the session (which the page has loaded already, if
    it showed who is logged in): never a query of its own for a visitor without a session."""
    session = getattr(request, "session", None)  # whitenoise answers before the session exists
    if session is None or not session.session_key:
        return None
    email = session.get(SESSION_KEY)
    return pseudonym(email) if email else None


class QuietHealthChecks(logging.Filter):
    """For ``django.request``: drops its record of a health check's 503 (draining, or the
    database unavailable, which the view logs itself). On the logger, not a handler, so the
    error reports (sentry-sdk hooks in at the logger) never see it either."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", "")
        return not (path in NOT_LOGGED and getattr(record, "status_code", None) == 503)
