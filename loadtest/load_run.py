"""What the run's threads share (LoadRun): the instances, the report, when the load ends, its
budget of requests; and how every request is sent and counted, whoever sends it.

Nobody stops at an error: ``send`` counts a failed request by its kind (failures.py) and returns
None, after a short pause; only ``require``, for a step the rest of the run depends on, raises
SetUpFailed.
"""

import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from loadtest.failures import REQUEST_ERRORS, kind_of_answer, kind_of_error
from loadtest.report import Report
from loadtest.visitor import DUPLICATE_ITEM_ERROR, Visitor, says
from sitekit.web_client import Page

# A request to a server that is down fails at once (connection refused): without a pause, each
# visitor would send thousands a second, spending the run's request budget on one outage. A
# person clicks again no faster than this. It also bounds how finely an outage's end is timed.
PAUSE_AFTER_FAILURE_S = 0.05


class SetUpFailed(RuntimeError):
    def __init__(self, failure: str, detail: str = "") -> None:
        super().__init__(failure)
        self.detail = detail  # the error's own words, for whoever has to fix it


class Failure(NamedTuple):
    kind: str  # as counted: "connection refused", "HTTP 502"…
    detail: str  # what exactly, for a failed set-up's message


class LoadRun:
    """What the run's threads share: the instances, the report, when the load ends (its deadline,
    or ``stop`` set), and its budget of requests."""

    def __init__(
        self, base_urls: list[str], report: Report, max_requests: int, stop: threading.Event
    ) -> None:
        self.base_urls = base_urls
        self.report = report
        self.stop = stop
        self.budget = threading.Semaphore(max_requests)
        self.started_at = self.deadline = 0.0

    def start(self, seconds: float) -> None:
        self.started_at = self.report.tally.clock()
        self.deadline = self.started_at + seconds

    def goes_on(self) -> bool:
        """Whether a visitor may go on: time left, not stopped, and one more from the budget."""
        return (
            not self.stop.is_set()
            and self.report.tally.clock() < self.deadline
            and self.budget.acquire(blocking=False)
        )

    def send(
        self,
        visitor: Visitor,
        what: str,
        expected: Collection[int],
        request: Callable[..., Page],
        *arguments: object,
        unexpected: Callable[[Page], str | None] | None = None,
    ) -> Page | None:
        """``request(*arguments)``, counted: its answer if it has an ``expected`` status and
        nothing ``unexpected`` (which names what is wrong with an answer, if anything), else
        None, the failure counted by its kind."""
        outcome = self._attempt(visitor, what, expected, request, arguments, unexpected)
        return outcome if isinstance(outcome, Page) else None

    def require(
        self,
        visitor: Visitor,
        what: str,
        expected: Collection[int],
        request: Callable[..., Page],
        *arguments: object,
        unexpected: Callable[[Page], str | None] | None = None,
    ) -> Page:
        """The same, for a step the rest of the run depends on: if it fails, the run stops."""
        outcome = self._attempt(visitor, what, expected, request, arguments, unexpected)
        if isinstance(outcome, Page):
            return outcome
        hint = ""
        if outcome.kind == "certificate not trusted":
            hint = "; set REQUESTS_CA_BUNDLE to the certificate of the CA that signed the server's"
        raise SetUpFailed(f"could not {what}: {outcome.kind}{hint}", outcome.detail)

    def _attempt(
        self,
        visitor: Visitor,
        what: str,
        expected: Collection[int],
        request: Callable[..., Page],
        arguments: tuple[object, ...],
        unexpected: Callable[[Page], str | None] | None,
    ) -> Page | Failure:
        tally = self.report.tally
        sent_at = tally.clock()
        try:
            answer = request(*arguments)
        except REQUEST_ERRORS as error:
            failure = Failure(kind_of_error(error), str(error)[:300])
            tally.record(sent_at, None, failure.kind, what)
            visitor.drop_connections()  # the next request starts on a new one
        else:
            if answer.status not in expected:
                failure = Failure(kind_of_answer(answer.status), f"HTTP {answer.status}")
            elif unexpected and (wrong := unexpected(answer)):
                failure = Failure(wrong, f"HTTP {answer.status}")
            else:
                tally.record(sent_at, answer, None, what)
                return answer
            tally.record(sent_at, answer, failure.kind, what)
        self.stop.wait(PAUSE_AFTER_FAILURE_S)
        return failure


def no_location(page: Page) -> str | None:
    return None if page.location else "redirect without a Location"


def not_refused_as_duplicate(page: Page) -> str | None:
    """The form must be shown again (200) with the duplicate error."""
    return None if says(page, DUPLICATE_ITEM_ERROR) else "unexpected answer: no duplicate error"


@contextmanager
def crash_reported(report: Report, who: str) -> Iterator[None]:
    """A crash of one visitor (a bug of ours: failed requests are counted, not raised) is a
    failure to report, not to hide."""
    try:
        yield
    except Exception as error:
        with report.lock:
            report.crashes.append(f"{who}: {type(error).__name__}: {error}")
