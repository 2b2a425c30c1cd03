"""Run the visitors concurrently, bounded in time and in requests, then check what was kept.

Besides the anonymous visitors, two people log in by the emailed link: an owner, whose list is
private, and a sharee it is shared with. Both add to that list throughout the run.
"""

import ipaddress
import secrets
import socket
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from loadtest.mail_sink import KeepMessages
from loadtest.visitor import Response, Visitor, hidden_field, items_on, login_link_path

NEW_LIST_EVERY = 20  # requests
SHARED_LIST_EVERY = 3  # every third item goes to the list all visitors share
DUPLICATE_EVERY = 10  # and every tenth is a repeat, which must be refused, not crash


@dataclass
class Report:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # 5xx, unexpected answers, exceptions
    acknowledged: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    # The private list's items acknowledged during the run, by who added them (owner, sharee),
    # and what a stranger got for that list afterwards: 404, as for a list that does not exist.
    private_items: Counter = field(default_factory=Counter)
    stranger_status: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def acknowledged_items(self) -> int:
        return sum(len(texts) for texts in self.acknowledged.values())

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)] if ordered else 0.0

    @property
    def ok(self) -> bool:
        return (
            not (self.failures or self.lost or self.duplicated)
            and self.acknowledged_items > 0
            and all(self.private_items[who] > 0 for who in ("owner", "sharee"))
        )

    def summary(self) -> str:
        return "\n".join(
            [
                f"requests      {self.requests} in {self.seconds:.1f} s "
                f"({self.requests / self.seconds if self.seconds else 0:.0f} req/s)",
                f"latency       p50 {self.percentile(0.50) * 1000:.1f} ms, "
                f"p99 {self.percentile(0.99) * 1000:.1f} ms",
                f"statuses      {dict(sorted(self.statuses.items()))}",
                f"errors        {len(self.failures)}",
                f"items         {self.acknowledged_items} acknowledged in "
                f"{len(self.acknowledged)} lists, {len(self.lost)} lost, "
                f"{len(self.duplicated)} duplicated",
                f"private list  shared, items acknowledged from the owner "
                f"{self.private_items['owner']}, the sharee {self.private_items['sharee']}; "
                f"a stranger got HTTP {self.stranger_status}",
                *[f"  error: {failure}" for failure in self.failures[:10]],
                *[f"  lost: {text}" for text in self.lost[:10]],
                *[f"  duplicated: {text}" for text in self.duplicated[:10]],
            ]
        )


def ensure_loopback(base_urls: list[str]) -> None:
    """Load is only ever sent to this machine."""
    for url in base_urls:
        host = urllib.parse.urlsplit(url).hostname or ""
        for *_, address in socket.getaddrinfo(host, None):
            if not ipaddress.ip_address(address[0]).is_loopback:
                raise SystemExit(f"{url}: {host} is not a loopback address; refusing to load it")


def run_load(
    base_urls: list[str],
    mailbox: KeepMessages,
    clients: int = 8,
    seconds: float = 10,
    max_requests: int = 50_000,
) -> Report:
    """Load the instances at ``base_urls``, which send their email to ``mailbox``'s server."""
    ensure_loopback(base_urls)
    report = Report()
    shared_list = _start_list(Visitor(base_urls), report, "shared list, first item")
    # New addresses each run: the login links and the share are this run's own.
    run_id = secrets.token_hex(4)
    owner = _log_in(Visitor(base_urls), f"owner-{run_id}@example.com", mailbox, report)
    sharee_email = f"sharee-{run_id}@example.com"
    sharee = _log_in(Visitor(base_urls), sharee_email, mailbox, report)
    private_list = _start_list(owner, report, "private list, first item")
    _share(owner, private_list, sharee_email, report)
    deadline = time.monotonic() + seconds
    budget = threading.Semaphore(max_requests)
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=_visit, args=(number, base_urls, shared_list, deadline, budget, report)
        )
        for number in range(clients)
    ] + [
        threading.Thread(
            target=_add_to_private_list,
            args=(who, visitor, private_list, deadline, budget, report),
        )
        for who, visitor in (("owner", owner), ("sharee", sharee))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = time.monotonic() - started
    stranger = Visitor(base_urls)
    _check_every_acknowledged_item(report, stranger, readers={private_list: owner})
    _check_hidden_from(stranger, private_list, report)
    return report


def _record(report: Report, response: Response, expected: set[int], what: str) -> bool:
    with report.lock:
        report.latencies.append(response.seconds)
        report.statuses[response.status] += 1
        if response.status not in expected:
            report.failures.append(f"{what}: HTTP {response.status}")
            return False
    return True


def _require(report: Report, response: Response, expected: set[int], what: str) -> None:
    """Record the response; a step the rest of the run depends on stops it if it failed."""
    if not _record(report, response, expected, what):
        raise RuntimeError(f"could not {what}: HTTP {response.status}")


def _start_list(visitor: Visitor, report: Report, first_item: str) -> str:
    home = visitor.request("GET", "/")
    _record(report, home, {200}, "GET /")
    created = visitor.submit_item("/lists/new", first_item, home)
    _require(report, created, {302}, "start a list")
    if not created.location:
        raise RuntimeError("could not start a list: no Location in the redirect")
    with report.lock:
        report.acknowledged[created.location].append(first_item)
    return created.location


def _log_in(visitor: Visitor, email: str, mailbox: KeepMessages, report: Report) -> Visitor:
    """Log ``visitor`` in as ``email`` the way a person does, with the link emailed to them."""
    home = visitor.request("GET", "/")
    _require(report, home, {200}, "GET /")
    asked = visitor.submit_form("/accounts/send_login_email", {"email": email}, home)
    _require(report, asked, {302}, f"ask for a login email to {email}")
    try:
        message = mailbox.wait_for_message_to(email)
    except AssertionError:
        raise RuntimeError(
            f"no login email to {email} reached the load test's mail server: start the "
            "instances with EMAIL_HOST and EMAIL_PORT naming it (and EMAIL_USE_TLS=0)"
        ) from None
    confirm_page = visitor.request("GET", login_link_path(message.get_content()))
    _require(report, confirm_page, {200}, "open the login link")
    token = hidden_field(confirm_page, "token")
    logged_in = visitor.submit_form("/accounts/login", {"token": token}, confirm_page)
    _require(report, logged_in, {302}, f"log in as {email}")
    # A failed login redirects too, with a message: the page says whether it worked.
    home = visitor.request("GET", "/")
    _require(report, home, {200}, "GET / after logging in")
    if f"Logged in as {email}" not in home.body:
        raise RuntimeError(f"the login link did not log {email} in")
    return visitor


def _share(owner: Visitor, list_path: str, sharee_email: str, report: Report) -> None:
    list_page = owner.request("GET", list_path)
    _require(report, list_page, {200}, "GET the owner's list")
    shared = owner.submit_form(f"{list_path}share", {"sharee": sharee_email}, list_page)
    _require(report, shared, {302}, f"share {list_path} with {sharee_email}")


@contextmanager
def _crash_reported(report: Report, who: str) -> Iterator[None]:
    """A crash of one visitor is a failure to report, not to hide."""
    try:
        yield
    except Exception as error:
        with report.lock:
            report.failures.append(f"{who}: {type(error).__name__}: {error}")


def _add_item(
    visitor: Visitor, target: str, text: str, form_page: Response, report: Report, repeat: bool
) -> bool:
    """Add ``text`` to the list at ``target``, or repeat its first item, which must be refused.

    True if the server acknowledged a new item.
    """
    if repeat:
        repeated = visitor.submit_item(target, report.acknowledged[target][0], form_page)
        _record(report, repeated, {200}, f"repeat item on {target}")
        return False
    added = visitor.submit_item(target, text, form_page)
    if not _record(report, added, {302}, f"add {text!r} to {target}"):
        return False
    with report.lock:
        report.acknowledged[target].append(text)
    return True


def _visit(
    number: int,
    base_urls: list[str],
    shared_list: str,
    deadline: float,
    budget: threading.Semaphore,
    report: Report,
) -> None:
    visitor = Visitor(base_urls)
    sent = 0
    with _crash_reported(report, f"visitor {number}"):
        own_list = _start_list(visitor, report, f"visitor {number}: item 0")
        form_page = visitor.request("GET", own_list)
        while time.monotonic() < deadline and budget.acquire(blocking=False):
            sent += 1
            if sent % NEW_LIST_EVERY == 0:
                own_list = _start_list(visitor, report, f"visitor {number}: item {sent}")
                continue
            target = shared_list if sent % SHARED_LIST_EVERY == 0 else own_list
            text = f"visitor {number}: item {sent}"
            _add_item(visitor, target, text, form_page, report, sent % DUPLICATE_EVERY == 0)


def _add_to_private_list(
    who: str,
    visitor: Visitor,
    private_list: str,
    deadline: float,
    budget: threading.Semaphore,
    report: Report,
) -> None:
    """The owner or the sharee, logged in, adding to the private list they share."""
    sent = 0
    with _crash_reported(report, who):
        form_page = visitor.request("GET", private_list)
        _require(report, form_page, {200}, f"GET the private list as the {who}")
        while time.monotonic() < deadline and budget.acquire(blocking=False):
            sent += 1
            text = f"{who}: item {sent}"
            repeat = sent % DUPLICATE_EVERY == 0
            if _add_item(visitor, private_list, text, form_page, report, repeat):
                with report.lock:
                    report.private_items[who] += 1


def _check_every_acknowledged_item(
    report: Report, stranger: Visitor, readers: dict[str, Visitor]
) -> None:
    """Read each list back as someone who may see it: ``readers`` for private lists."""
    for list_path, texts in report.acknowledged.items():
        reader = readers.get(list_path, stranger)
        kept = Counter(items_on(reader.request("GET", list_path)))
        for text in texts:
            if kept[text] == 0:
                report.lost.append(f"{text!r} in {list_path}")
            elif kept[text] > 1:
                report.duplicated.append(f"{text!r} x{kept[text]} in {list_path}")


def _check_hidden_from(stranger: Visitor, private_list: str, report: Report) -> None:
    """A private list must answer a stranger as if it did not exist."""
    report.stranger_status = stranger.request("GET", private_list).status
    if report.stranger_status != 404:
        report.failures.append(
            f"a stranger got HTTP {report.stranger_status} for the private list {private_list}, "
            "not 404"
        )
