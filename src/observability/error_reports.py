"""Error reports to a Sentry-compatible service (Sentry, self-hosted or not; GlitchTip), with
``SENTRY_DSN`` set: unhandled exceptions (a 500) and every line logged at ERROR.

Each report says which build failed (``release``: the image, from ``SUPERLISTS_RELEASE``, which
the deploy sets), where (``environment``: staging or production) and in which request
(the ``request_id`` tag, the ID in the log lines and the reference on the page).

What leaves the server is kept to what an operator needs, because the receiver is one more
place data can leak from: sentry-sdk's ``send_default_pii=False`` (no user, no cookies, no
client address), no request bodies and no local variables (a view's locals hold the address
and the token it handles), and ``scrub`` below, run on every event before it is sent, which
removes the query string (login links carry their token in one), cookies and every header but
a few harmless ones, drops SQL parameters from breadcrumbs, and writes every email address
anywhere in the event as ``<email>``.
"""

import logging
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration, ignore_logger
from sentry_sdk.types import Breadcrumb, BreadcrumbHint, Event, Hint

from observability.redaction import redact
from observability.request_ids import current_request_id

# Request headers a report keeps: they say what the client was, and carry no secret.
HEADERS_KEPT = frozenset({"User-Agent", "Accept", "Content-Type", "Content-Length", "Host"})


def start_error_reports(dsn: str, *, release: str | None, environment: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        release=release,
        environment=environment,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub,
        before_breadcrumb=scrub_breadcrumb,
        integrations=[DjangoIntegration(), LoggingIntegration(event_level=logging.ERROR)],
        default_integrations=True,
        # Errors only: no performance traces, no release-health sessions.
        traces_sample_rate=0,
        auto_session_tracking=False,
        # gzip, not the brotli sentry-sdk picks when brotli is installed (whitenoise brings it):
        # every Sentry-compatible receiver reads gzip; not all read brotli (kent, the test
        # receiver, does not). In sentry-sdk 2 only an "experiment" option says so: a
        # compression level alone means gzip.
        _experiments={"transport_compression_level": 6},
    )
    # A 500's request line (observability.request_logging) is an ERROR too: the exception's own
    # report is the one to send. A request for a host we do not serve is logged at ERROR by
    # Django: that is the internet's scanners, not a fault of ours.
    ignore_logger("superlists.requests")
    ignore_logger("django.security.DisallowedHost")


def scrub(event: Event, hint: Hint | None = None) -> Event:
    """``event`` with no secret and no email address in it, tagged with its request's ID."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("query_string", None)
        request.pop("cookies", None)
        request.pop("data", None)
        request.pop("env", None)
        url = request.get("url")
        if isinstance(url, str):
            request["url"] = url.split("?")[0]
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k in HEADERS_KEPT}
    event.pop("user", None)
    request_id = current_request_id.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    redacted: Event = redact_strings(event)
    return redacted


def scrub_breadcrumb(crumb: Breadcrumb, hint: BreadcrumbHint | None = None) -> Breadcrumb:
    """A breadcrumb without the parameters of its SQL (addresses, token selectors)."""
    if crumb.get("category") == "query":
        crumb.pop("data", None)
    redacted: Breadcrumb = redact_strings(crumb)
    return redacted


def redact_strings(value: Any) -> Any:
    """``value`` (an event's JSON-like structure) with every string in it, keys too, redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_strings(k): redact_strings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_strings(item) for item in value]
    return value
