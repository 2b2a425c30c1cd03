"""Run the visitors concurrently, bounded in time and in requests, then check what was kept."""

import ipaddress
import socket
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from loadtest.visitor import Response, Visitor, items_on

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
        return not (self.failures or self.lost or self.duplicated) and self.acknowledged_items > 0

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
    base_urls: list[str], clients: int = 8, seconds: float = 10, max_requests: int = 50_000
) -> Report:
    ensure_loopback(base_urls)
    report = Report()
    shared_list = _start_list(Visitor(base_urls), report, "shared list, first item")
    deadline = time.monotonic() + seconds
    budget = threading.Semaphore(max_requests)
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=_visit, args=(number, base_urls, shared_list, deadline, budget, report)
        )
        for number in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = time.monotonic() - started
    _check_every_acknowledged_item(Visitor(base_urls), report)
    return report


def _record(report: Report, response: Response, expected: set[int], what: str) -> bool:
    with report.lock:
        report.latencies.append(response.seconds)
        report.statuses[response.status] += 1
        if response.status not in expected:
            report.failures.append(f"{what}: HTTP {response.status}")
            return False
    return True


def _start_list(visitor: Visitor, report: Report, first_item: str) -> str:
    home = visitor.request("GET", "/")
    _record(report, home, {200}, "GET /")
    created = visitor.submit_item("/lists/new", first_item, home)
    if not _record(report, created, {302}, "new list") or not created.location:
        raise RuntimeError(f"could not start a list: HTTP {created.status}")
    with report.lock:
        report.acknowledged[created.location].append(first_item)
    return created.location


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
    try:
        own_list = _start_list(visitor, report, f"visitor {number}: item 0")
        form_page = visitor.request("GET", own_list)
        while time.monotonic() < deadline and budget.acquire(blocking=False):
            sent += 1
            if sent % NEW_LIST_EVERY == 0:
                own_list = _start_list(visitor, report, f"visitor {number}: item {sent}")
                continue
            target = shared_list if sent % SHARED_LIST_EVERY == 0 else own_list
            if sent % DUPLICATE_EVERY == 0:
                repeat = visitor.submit_item(target, report.acknowledged[target][0], form_page)
                _record(report, repeat, {200}, f"repeat item on {target}")
                continue
            text = f"visitor {number}: item {sent}"
            added = visitor.submit_item(target, text, form_page)
            if _record(report, added, {302}, f"add {text!r} to {target}"):
                with report.lock:
                    report.acknowledged[target].append(text)
    except Exception as error:  # a crash of one visitor is a failure to report, not to hide
        with report.lock:
            report.failures.append(f"visitor {number}: {type(error).__name__}: {error}")


def _check_every_acknowledged_item(visitor: Visitor, report: Report) -> None:
    for list_path, texts in report.acknowledged.items():
        kept = Counter(items_on(visitor.request("GET", list_path)))
        for text in texts:
            if kept[text] == 0:
                report.lost.append(f"{text!r} in {list_path}")
            elif kept[text] > 1:
                report.duplicated.append(f"{text!r} x{kept[text]} in {list_path}")
