"""The read-back: the final check of what was kept, patient with a server that is not answering
yet (an instance still restarting, a release still switching over), and never a crash.

Every page is asked for again until the server answers it, 5xx aside, or until one deadline for
the whole read-back passes. Past it, nothing more is asked: the report says which lists went
unchecked, and the run fails.
"""

import time
from collections import Counter
from collections.abc import Callable
from typing import Protocol

from loadtest.failures import REQUEST_ERRORS, kind_of_answer, kind_of_error
from sitekit.web_client import Page

PATIENCE_S = 30.0  # how long the read-back waits in all for a server that does not answer
RETRY_EVERY_S = 0.2


class Reader(Protocol):
    """Who reads a page back: a Visitor (the owner for the private list, a stranger otherwise)."""

    def request(self, method: str, path: str) -> Page: ...
    def drop_connections(self) -> None: ...


class ReadBack:
    def __init__(
        self,
        patience: float = PATIENCE_S,
        clock: Callable[[], float] = time.monotonic,
        pause: Callable[[float], None] = time.sleep,
    ) -> None:
        self.clock = clock
        self.pause = pause
        self.patience = patience
        self.deadline = clock() + patience
        self.pages_read = 0
        self.failures: Counter[str] = Counter()  # kind → how many times, while waiting
        self.waited = 0.0  # seconds from failures to the next answer, in all
        self._failing_since: float | None = None
        self.gave_up: str | None = None  # why nothing more was read, once the deadline passed
        self.unread: list[str] = []  # what could not be read: "/lists/…/ (12 items)"

    def read(self, visitor: Reader, path: str, what: str) -> Page | None:
        """The server's answer for ``path`` (any answer but a 5xx: a 404 is an answer), or None
        if it gave none before the deadline; then ``what`` is noted as unread."""
        while self.gave_up is None:
            try:
                page = visitor.request("GET", path)
            except REQUEST_ERRORS as error:
                failure = kind_of_error(error)
                visitor.drop_connections()
            else:
                if page.status < 500:
                    self.pages_read += 1
                    if self._failing_since is not None:
                        self.waited += self.clock() - self._failing_since
                        self._failing_since = None
                    return page
                failure = kind_of_answer(page.status)
            self.failures[failure] += 1
            if self._failing_since is None:
                self._failing_since = self.clock()
            if self.clock() >= self.deadline:
                self.gave_up = (
                    f"the server did not answer within {self.patience:g} s "
                    f"({self._failures_seen()})"
                )
            else:
                self.pause(RETRY_EVERY_S)
        self.unread.append(what)
        return None

    def summary(self) -> str:
        """How the read-back went, in one line."""
        if self.gave_up is not None:
            return (
                f"FAILED after {self.pages_read} pages: {self.gave_up}; not checked: "
                + ", ".join(self.unread[:5])
                + (f" and {len(self.unread) - 5} more" if len(self.unread) > 5 else "")
            )
        if not self.failures:
            return f"{self.pages_read} pages, all answered at once"
        return (
            f"{self.pages_read} pages, after waiting {self.waited:.2f} s for the server "
            f"({self._failures_seen()})"
        )

    def _failures_seen(self) -> str:
        return ", ".join(f"{kind} x{count}" for kind, count in self.failures.most_common())
