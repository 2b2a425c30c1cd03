"""Run the visitors concurrently, bounded in time and in requests, then check what was kept.

Besides the anonymous visitors, two people log in by the emailed link: an owner, whose list is
private, and a sharee it is shared with. Throughout the run both add items to that list and
tick, edit and delete them, and both tick and edit a few "contested" items at the same time;
at the end the list must show what their acknowledged requests left (see item_audit.py).
Without a mailbox to read login links from (--anonymous-only), only the anonymous visitors run.

Nobody stops at an error. Each request's outcome is counted (tally.py), a failure by its kind
(failures.py), and the visitor carries on, on a new connection after a network error; a write
that got no acknowledgement is remembered as in doubt, for the audit (item_audit.py). Only a
failed set-up ends the run early: without a list to share, or people logged in, there is
nothing to measure. The read-back waits for a server that is not answering (read_back.py).
"""

import threading
from contextlib import ExitStack

from loadtest.anonymous import visit
from loadtest.collaborators import work_on_private_list
from loadtest.load_run import LoadRun, SetUpFailed
from loadtest.read_back import PATIENCE_S, ReadBack
from loadtest.read_back_audit import read_back
from loadtest.report import Report
from loadtest.set_up import SHARED_FIRST_ITEM, PrivateList, set_up_private_list, start_list
from loadtest.visitor import Visitor
from sitekit.loopback import require_loopback
from sitekit.mail_sink import KeepMessages


def run_load(
    base_urls: list[str],
    mailbox: KeepMessages | None,
    clients: int = 8,
    seconds: float = 10,
    max_requests: int = 50_000,
    stop: threading.Event | None = None,
    read_back_patience: float = PATIENCE_S,
) -> Report:
    """Load the instances at ``base_urls``, which send their email to ``mailbox``'s server (no
    mailbox: anonymous visitors only), for ``seconds`` or until ``stop`` is set; then read back
    what they kept, waiting up to ``read_back_patience`` seconds for them to answer. Only
    loopback addresses: anything else is refused (sitekit.loopback.NotLoopback)."""
    for url in base_urls:
        require_loopback(url)
    report = Report(anonymous_only=mailbox is None)
    run = LoadRun(base_urls, report, max_requests, stop or threading.Event())
    with ExitStack() as visitors:  # each visitor made here is closed at the end

        def new_visitor() -> Visitor:
            return visitors.enter_context(Visitor(base_urls))

        try:
            shared_list = start_list(run, new_visitor(), SHARED_FIRST_ITEM)
            report.acknowledged[shared_list].append(SHARED_FIRST_ITEM)
            private = None if mailbox is None else set_up_private_list(run, new_visitor, mailbox)
        except RuntimeError as failure:  # SetUpFailed, or a page without what it should have
            report.set_up_failure = str(failure)
            report.set_up_detail = failure.detail if isinstance(failure, SetUpFailed) else ""
            report.set_up_requests = report.tally.requests
            report.load_ended_at = report.tally.clock()
            return report
        _load(run, clients, seconds, shared_list, private)
        read_back(report, ReadBack(read_back_patience), new_visitor(), private)
    return report


def _load(
    run: LoadRun,
    clients: int,
    seconds: float,
    shared_list: str,
    private: PrivateList | None,
) -> None:
    threads = [
        threading.Thread(target=visit, args=(run, number, shared_list)) for number in range(clients)
    ]
    if private:
        threads += [
            threading.Thread(target=work_on_private_list, args=(run, who, visitor, private.path))
            for who, visitor in (("owner", private.owner), ("sharee", private.sharee))
        ]
    run.report.set_up_requests = run.report.tally.requests
    run.start(seconds)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.report.load_ended_at = run.report.tally.clock()
    run.report.seconds = run.report.load_ended_at - run.started_at
