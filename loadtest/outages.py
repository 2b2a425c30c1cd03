"""The windows during which requests failed, across all visitors: from the first failure to the
next success.

Requests overlap, so the order in which their outcomes come back is not the whole story: a
request sent before the server went down may still come back with an answer after others have
failed, and one sent while it was down may fail after others have succeeded. Neither says
anything new. So an outcome changes what we believe of the server (up → down, down → up) only if
its request was sent after the last change: an outage starts when a request sent while the
server seemed up fails, and ends when a request sent after it started succeeds.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Attempt:
    """One request: when it was sent and when its outcome came back (clock seconds), and
    whether it failed."""

    sent_at: float
    done_at: float
    failed: bool


@dataclass(frozen=True)
class Outage:
    started_at: float  # when the first failure came back
    ended_at: float | None  # when the next success came back; None if none came before the end

    def seconds(self, load_ended_at: float) -> float:
        return (load_ended_at if self.ended_at is None else self.ended_at) - self.started_at


def find_outages(attempts: Iterable[Attempt]) -> list[Outage]:
    """Every window from a first failure to the next success, in order."""
    outages = []
    down_since: float | None = None
    changed_at = float("-inf")  # when we last changed our mind about the server
    for attempt in sorted(attempts, key=lambda attempt: attempt.done_at):
        if attempt.sent_at < changed_at:
            continue  # sent before the last change: it says nothing new
        if attempt.failed and down_since is None:
            down_since = changed_at = attempt.done_at
        elif not attempt.failed and down_since is not None:
            outages.append(Outage(down_since, attempt.done_at))
            down_since, changed_at = None, attempt.done_at
    if down_since is not None:
        outages.append(Outage(down_since, None))
    return outages


def describe_outages(
    outages: list[Outage], load_ended_at: float, wall_time: Callable[[float], datetime]
) -> str:
    """The outages in a few words: "none", or how many, how long in all, and the longest, with its
    start and end in wall-clock time (``wall_time`` turns a clock reading into one), as in
    "1, longest 1.23 s (12:00:01.2–12:00:02.4)"."""
    if not outages:
        return "none"
    longest = max(outages, key=lambda outage: outage.seconds(load_ended_at))
    if longest.ended_at is None:
        window = f"{_clock_time(wall_time(longest.started_at))}–, still failing when the load ended"
    else:
        window = (
            f"{_clock_time(wall_time(longest.started_at))}–"
            f"{_clock_time(wall_time(longest.ended_at))}"
        )
    total = sum(outage.seconds(load_ended_at) for outage in outages)
    in_all = f", {total:.2f} s in all" if len(outages) > 1 else ""
    return f"{len(outages)}{in_all}, longest {longest.seconds(load_ended_at):.2f} s ({window})"


def _clock_time(moment: datetime) -> str:
    """12:00:01.2: to the tenth of a second."""
    return f"{moment:%H:%M:%S}.{moment.microsecond // 100_000}"
