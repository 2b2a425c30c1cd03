"""The app's log lines, as the console writes them, captured while a block runs: for the tests
that read what the log says, and for the FTs, which show the server's lines when they fail."""

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings

from observability.log_formats import formatter_for
from observability.redaction import RedactEmailAddresses
from observability.request_ids import RequestIdLogFilter

H = TypeVar("H", bound=logging.Handler)


def like_the_console(handler: H, log_format: str | None = None) -> H:
    """``handler``, writing what the console writes: its format (``log_format``, the settings'
    by default) and filters (the request ID on every line, no email address)."""
    handler.setFormatter(formatter_for(log_format or settings.LOG_FORMAT))
    handler.addFilter(RequestIdLogFilter())
    handler.addFilter(RedactEmailAddresses())
    return handler


@contextmanager
def captured_log_lines(log_format: str | None = None) -> Iterator[io.StringIO]:
    """Yield a text stream that receives every log line (INFO and above) written while the
    block runs, in ``log_format`` (the settings' by default), with the console's filters."""
    stream = io.StringIO()
    handler = like_the_console(logging.StreamHandler(stream), log_format)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
