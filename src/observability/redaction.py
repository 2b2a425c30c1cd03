"""Email addresses kept out of log lines and error reports, whatever wrote them.

Our own log calls name users by pseudonym (``observability.pseudonyms``), and the request log
writes no query string, cookie or form; but an address can still arrive inside text we do not
write: an exception's message (``SMTPRecipientsRefused`` names the recipient), Django's own
"Internal Server Error: /lists/users/<email>/". So the console handler runs every record
through ``RedactEmailAddresses``, and the error reports' scrubber uses ``redact`` as well.
"""

import logging
import re

EMAIL_ADDRESS = re.compile(r"[^\s@'\"<>()\[\],;:/]+@[^\s@'\"<>()\[\],;:/]+")
PLACEHOLDER = "<email>"


def redact(text: str) -> str:
    """``text`` with every email address in it replaced by ``<email>``."""
    if "@" not in text:  # the usual case, at the price of one scan
        return text
    return EMAIL_ADDRESS.sub(PLACEHOLDER, text)


class RedactEmailAddresses(logging.Filter):
    """Replaces email addresses in a record's message and its traceback, before any formatter
    sees it. The traceback is formatted here, once, and kept as the record's ``exc_text``, which
    a formatter prints instead of formatting ``exc_info`` again (the JSON formatter redacts its
    own: ``observability.log_formats``).

    ``exc_info`` itself stays on the record: the record is shared with whatever sees it after
    the console's handler, and the error reports (sentry-sdk, at the logger) need the exception
    itself, not its text."""

    def filter(self, record: logging.LogRecord) -> bool:
        # The message is formatted here once, and kept formatted: the formatter's own
        # getMessage() then has nothing left to do.
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
