"""What went wrong with a request, in a few words an operator reads in the report: "connection
refused", "HTTP 502", "timeout"...

requests wraps what the socket said in its own exceptions (and urllib3's inside those), so a
refused connection arrives as ``requests.ConnectionError`` → ``MaxRetryError`` →
``NewConnectionError`` → ``ConnectionRefusedError``. The kind is that of the first cause in the
chain that this module knows, most specific first.
"""

import errno
import http.client
import socket
import ssl
from collections.abc import Iterator

import requests
import urllib3.exceptions

# What a failed request can raise: requests' and urllib3's exceptions, and what the socket or
# http.client raised, should one come through unwrapped.
REQUEST_ERRORS = (OSError, http.client.HTTPException, urllib3.exceptions.HTTPError)

# What the socket, TLS or http.client said: the most telling, so looked for first, most specific
# first (RemoteDisconnected is a ConnectionResetError, a certificate error an SSL error). Only
# then requests' and urllib3's own exceptions, which can mislead: urllib3's "could not connect"
# is a kind of its connect timeout, whatever the cause (refused, no route to host).
SOCKET_CAUSES: tuple[tuple[type[BaseException], str], ...] = (
    (ssl.SSLCertVerificationError, "certificate not trusted"),
    (ssl.SSLError, "TLS error"),
    (http.client.RemoteDisconnected, "closed without an answer"),
    (ConnectionRefusedError, "connection refused"),
    (ConnectionResetError, "connection reset"),
    (ConnectionAbortedError, "connection aborted"),
    (BrokenPipeError, "connection broken"),
    (http.client.IncompleteRead, "answer cut short"),
    (socket.gaierror, "host name not resolved"),
)
ERRNO_KINDS = {
    errno.EHOSTUNREACH: "no route to host",
    errno.ENETUNREACH: "network unreachable",
}
WRAPPER_CAUSES: tuple[tuple[type[BaseException], str], ...] = (
    (requests.ConnectTimeout, "timeout connecting"),  # only for a real timeout, unlike urllib3's
    (TimeoutError, "timeout"),
    (requests.Timeout, "timeout"),
    (urllib3.exceptions.ReadTimeoutError, "timeout"),
    (requests.exceptions.ChunkedEncodingError, "answer cut short"),
)


def kind_of_error(error: BaseException) -> str:
    """The kind of failure a request that raised ``error`` had."""
    causes = list(_causes(error))
    for known, kind in SOCKET_CAUSES:
        if any(isinstance(cause, known) for cause in causes):
            return kind
    for cause in causes:
        if isinstance(cause, OSError) and cause.errno in ERRNO_KINDS:
            return ERRNO_KINDS[cause.errno]
    for known, kind in WRAPPER_CAUSES:
        if any(isinstance(cause, known) for cause in causes):
            return kind
    return type(causes[-1]).__name__


def kind_of_answer(status: int) -> str:
    """The kind of failure an answer with an unexpected ``status`` is: "HTTP 502" for a server
    error, "unexpected HTTP 404" for any other status the request should not have had."""
    return f"HTTP {status}" if status >= 500 else f"unexpected HTTP {status}"


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error`` and everything it was raised from or wraps, outermost first, each once."""
    seen: set[int] = set()
    waiting: list[BaseException] = [error]
    while waiting:
        cause = waiting.pop(0)
        if id(cause) in seen:
            continue
        seen.add(id(cause))
        yield cause
        wrapped = [cause.__cause__, cause.__context__, getattr(cause, "reason", None)]
        wrapped += [argument for argument in cause.args if isinstance(argument, BaseException)]
        waiting += [inner for inner in wrapped if isinstance(inner, BaseException)]
