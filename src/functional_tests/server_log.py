"""The server's side of a failed FT: its log lines from the test's start, errors first.

Each kind of server reads its own log (``Server.log_since``): the local live server, which runs
in this process, from a handler that records every line logged here (``RecordedLog``); a
staging server with ``docker logs --since`` over SSH. Both give the text the console would
show, and ``errors_first`` makes the report from it: every entry at ERROR or above, with its
traceback, then the latest of the rest, each with its request ID.
"""

import json
import logging
import re
from datetime import datetime

from observability.log_capture import like_the_console

# Where a log entry starts: our plain format's level word, a JSON line, gunicorn's "[date]".
ENTRY_START = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL) |^\{|^\[")
ERROR_LEVELS = frozenset({"ERROR", "CRITICAL"})
OTHER_ENTRIES_SHOWN = 40


class RecordedLog(logging.Handler):
    """Every line logged in this process at INFO and above, as the console writes it, with the
    time it was logged: for as long as it is attached to the root logger."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        like_the_console(self)
        self.lines: list[tuple[float, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.created, self.format(record)))

    def since(self, moment: datetime) -> str:
        start = moment.timestamp()
        return "\n".join(line for created, line in list(self.lines) if created >= start)


def entries(log: str) -> list[str]:
    """The log's entries: each line that starts one, with the lines that follow it (a
    traceback) up to the next."""
    found: list[str] = []
    for line in log.splitlines():
        if ENTRY_START.match(line) or not found:
            found.append(line)
        else:
            found[-1] += "\n" + line
    return found


def is_error(entry: str) -> bool:
    if entry.startswith("{"):
        try:
            return json.loads(entry).get("level") in ERROR_LEVELS
        except ValueError:
            return False
    return entry.split(" ", 1)[0] in ERROR_LEVELS or "[ERROR]" in entry.split("\n", 1)[0]


def errors_first(log: str, where: str) -> str:
    """The report of ``where``'s log (its text since the test started)."""
    all_entries = entries(log)
    if not all_entries:
        return f"{where} logged nothing during the test."
    errors = [entry for entry in all_entries if is_error(entry)]
    others = [entry for entry in all_entries if not is_error(entry)]
    shown = others[-OTHER_ENTRIES_SHOWN:]
    parts = [f"{where} logged {len(errors)} error(s) during the test:", *errors]
    left_out = f" (the last {len(shown)} of {len(others)})" if len(shown) < len(others) else ""
    parts += [f"and {len(others)} other line(s){left_out}:", *shown]
    return "\n".join(parts)
