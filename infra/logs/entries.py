"""The entries of the servers' logs, as `docker logs --timestamps` gives them: read, merged by
time and filtered by request ID and level.

Docker stamps every line it keeps with the time it got it (RFC 3339, in UTC), whatever the
line's own format, so lines from different hosts and containers merge on that stamp. An entry
is a line that starts one (``functional_tests.server_log.ENTRY_START``: our plain format's
level word, a JSON line, gunicorn's "[date]") with the lines after it (a traceback).

Podman stamps to the second only, so within one second entries are put in the order of their
own times (the app's ``asctime`` or JSON ``time``, Caddy's ``ts``), where they have one.

Each kind of line names its level and request ID in its own way: the app's plain lines as
their first and fourth words, its JSON lines as ``level`` and ``request_id``, Caddy's access
log as the response's ``X-Request-Id`` and its ``status``. Caddy 2.6 writes every 4xx response
at "error"; here, as in the app's own lines, a 4xx is a WARNING and a 5xx an ERROR.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from functional_tests.server_log import ENTRY_START

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Docker's stamp: 2026-12-07T03:50:01.123456789Z (Podman's may carry an offset, +00:00).
STAMPED = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?(.*)$")
# Our plain format: "LEVEL 2026-12-07 03:50:01,123 REQUEST_ID logger message" (UTC).
PLAIN = re.compile(r"^([A-Z]+) (\S+ \S+) (\S+) ")


@dataclass(frozen=True)
class Entry:
    time: str  # docker's stamp, normalised to compare as text: ...T03:50:01.123456789Z
    source: str  # "host container"
    text: str
    level: str  # one of LEVELS, or "" when the line does not say
    request_id: str  # "" when the line has none
    own_time: float = 0.0  # the line's own time (Unix), 0 when it has none


def read(source: str, stamped_log: str) -> list[Entry]:
    """The entries of one container's `docker logs --timestamps` output."""
    entries: list[tuple[str, list[str]]] = []
    for line in stamped_log.splitlines():
        stamped = STAMPED.match(line)
        stamp, text = (sortable(stamped[1]), stamped[2]) if stamped else ("", line)
        if entries and not ENTRY_START.match(text):
            entries[-1][1].append(text)
        else:
            entries.append((stamp, [text]))
    return [entry(stamp, source, "\n".join(lines)) for stamp, lines in entries]


def sortable(stamp: str) -> str:
    """``stamp`` with nine digits of fraction and a Z, so that stamps sort as text."""
    stamp = stamp.replace("+00:00", "Z")
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    return f"{whole}.{fraction.ljust(9, '0')[:9]}Z"


def entry(stamp: str, source: str, text: str) -> Entry:
    level, request_id, own_time = "", "", 0.0
    first_line = text.split("\n", 1)[0]
    if first_line.startswith("{"):
        level, request_id, own_time = json_line_fields(first_line)
    elif (plain := PLAIN.match(first_line)) and plain[1] in LEVELS:
        level, request_id = plain[1], plain[3]
        own_time = unix_time(plain[2].replace(",", "."))
    return Entry(stamp, source, text, level, "" if request_id == "-" else request_id, own_time)


def json_line_fields(line: str) -> tuple[str, str, float]:
    """The level, request ID and time of a JSON line: the app's, or Caddy's."""
    try:
        fields: Any = json.loads(line)
    except ValueError:
        return "", "", 0.0
    if not isinstance(fields, dict):
        return "", "", 0.0
    caddy_time = fields.get("ts")
    own_time = float(caddy_time) if isinstance(caddy_time, int | float) else 0.0
    status = fields.get("status")
    if isinstance(status, int):  # Caddy's access log
        level = "ERROR" if status >= 500 else "WARNING" if status >= 400 else "INFO"
        request_ids = (fields.get("resp_headers") or {}).get("X-Request-Id") or [""]
        return level, str(request_ids[0]), own_time
    level = str(fields.get("level", "")).upper()
    level = level if level in LEVELS else "WARNING" if level == "WARN" else ""
    return level, str(fields.get("request_id") or ""), own_time or unix_time(fields.get("time"))


def unix_time(text: object) -> float:
    """An ISO 8601 time (UTC unless it says) as a Unix time; 0 if it is none."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return 0.0
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def merged(*logs: Iterable[Entry]) -> list[Entry]:
    """Every entry of ``logs``, oldest first (an entry without a stamp keeps its place)."""
    return sorted(
        (each for log in logs for each in log), key=lambda each: (each.time, each.own_time)
    )


def selected(entries: Iterable[Entry], request: str = "", level: str = "") -> list[Entry]:
    """The entries of the request whose ID starts with ``request`` (a page's reference is the
    ID's start), at ``level`` or above; either may be "" for all."""
    least = LEVELS.index(level) if level else -1
    return [
        each
        for each in entries
        if (not request or each.request_id.startswith(request))
        and (least < 0 or (each.level in LEVELS and LEVELS.index(each.level) >= least))
    ]


def shown(entries: Iterable[Entry]) -> str:
    """The entries as the command prints them: time, where, then the entry as logged."""
    return "\n".join(f"{each.time} {each.source} | {each.text}" for each in entries)
