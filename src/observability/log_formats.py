"""The console's two formats, chosen by ``DJANGO_LOG_FORMAT`` (settings.LOGGING).

``plain`` (the default) is for a person reading ``docker logs``: level, time, request ID,
logger, message. ``json`` is one JSON object a line, for a log collector, written by
python-json-logger: the fields are the ``FIELDS`` below and no others. Django and libraries put
other things on their records (Django's ``django.request`` records carry the request itself,
whose text includes the query string), so the JSON has a list of what may go out, not of
what may not.
"""

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from observability.redaction import redact

PLAIN = "{levelname} {asctime} {request_id} {name} {message}"


# time, level, logger and message for every line; the request's (observability.request_logging)
# for its line; the traceback of an error.
FIELDS = (
    "time", "level", "logger", "request_id", "message",
    "method", "path", "status", "duration_ms", "user_id", "client",
    "exc_info", "stack_info",
)  # fmt: skip


class JsonLineFormatter(JsonFormatter):
    """python-json-logger's formatter with our field names (``time`` in ISO 8601, UTC) and only
    the ``FIELDS``."""

    def __init__(self) -> None:
        super().__init__(
            "{levelname}{name}{request_id}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
        )

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        """The traceback with no email address in it: python-json-logger formats ``exc_info``
        itself rather than print the record's (redacted) ``exc_text``."""
        formatted = super().formatException(ei)  # a list only with exc_info_as_array
        return redact(formatted if isinstance(formatted, str) else "\n".join(formatted))

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        for name in [name for name in log_data if name not in FIELDS]:
            del log_data[name]


def formatter_for(log_format: str) -> logging.Formatter:
    """The formatter of ``log_format`` (``plain`` or ``json``), as settings.LOGGING makes it."""
    return JsonLineFormatter() if log_format == "json" else logging.Formatter(PLAIN, style="{")
