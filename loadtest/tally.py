"""Every request the load test sends, counted as its outcome comes back, from any thread: how
many, how fast, their statuses, each failure by its kind, and when, for the outages."""

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from loadtest.outages import Attempt, Outage, find_outages
from sitekit.web_client import Page

EXAMPLES_KEPT = 10  # failed requests described one by one in the report; the rest are counted


class Tally:
    """The requests' outcomes. ``clock`` gives the seconds everything is timed in (monotonic);
    ``wall_clock`` the time of day, for the report."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.clock = clock
        self._wall_clock_offset = wall_clock() - clock()
        self._lock = threading.Lock()
        self.attempts: list[Attempt] = []
        self.latencies: list[float] = []  # of the answers: from sending to the last byte
        self.statuses: Counter[int] = Counter()
        self.failures: Counter[str] = Counter()  # kind of failure → how many requests failed so
        self.examples: list[str] = []  # the first few failed requests: what each was, and how

    def record(self, sent_at: float, answer: Page | None, failure: str | None, what: str) -> None:
        """One request, sent at ``sent_at`` (by ``clock``) and just come back: with ``answer``
        if the server gave one, and the kind of ``failure`` if it failed (no answer, or not
        the one expected)."""
        done_at = self.clock()
        with self._lock:
            self.attempts.append(Attempt(sent_at, done_at, failed=failure is not None))
            if answer is not None:
                self.latencies.append(answer.seconds)
                self.statuses[answer.status] += 1
            if failure is not None:
                self.failures[failure] += 1
                if len(self.examples) < EXAMPLES_KEPT:
                    self.examples.append(f"{self.wall_time(done_at):%H:%M:%S} {what}: {failure}")

    @property
    def requests(self) -> int:
        return len(self.attempts)

    @property
    def failed(self) -> int:
        return self.failures.total()

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)] if ordered else 0.0

    def outages(self) -> list[Outage]:
        return find_outages(self.attempts)

    def wall_time(self, clock_time: float) -> datetime:
        """The time of day at ``clock_time``, a reading of ``clock``."""
        return datetime.fromtimestamp(clock_time + self._wall_clock_offset)
