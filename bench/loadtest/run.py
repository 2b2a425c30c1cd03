"""Run the visitors concurrently, bounded in time and in requests, then check what was kept.

Besides the anonymous visitors, two people log in by the emailed link: an owner, whose list is
private, and a sharee it is shared with. Throughout the run both add items to that list and
tick, edit and delete them, and both tick and edit a few "contested" items at the same time;
at the end the list must show what their acknowledged requests left (see item_audit.py).
"""

import random
import secrets
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from bench.loadtest.item_audit import ItemWrites, audit
from bench.loadtest.mail_sink import KeepMessages
from bench.loadtest.visitor import (
    DUPLICATE_ITEM_ERROR,
    Visitor,
    items_on,
    login_link_path,
    rows_on,
    says,
)
from bench.loopback import require_loopback
from bench.web_client import Page, hidden_field

NEW_LIST_EVERY = 20  # requests
SHARED_LIST_EVERY = 3  # every third item goes to the list all visitors share
DUPLICATE_EVERY = 10  # and every tenth is a repeat, which must be refused, not crash
CONTESTED_ITEMS = 3  # items of the private list that both people tick and edit at once

# What became of the owner's and the sharee's requests on the private list's items.
ACKNOWLEDGED = "acknowledged"
REFUSED = "refused as duplicates"
# Acknowledged too, with the message "That item has just been deleted".
ON_A_DELETED_ITEM = "on an item just deleted"
FAILED = "failed"
ITEM_ACTIONS = ("add", "tick", "edit", "delete")  # a tick sets done=1 or done=0
ITEM_URLS = {"tick": "done", "edit": "edit", "delete": "delete"}  # …/items/<id>/<this>


@dataclass
class Report:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # 5xx, unexpected answers, exceptions
    acknowledged: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    # The private list's items acknowledged during the run, by who added them (owner, sharee),
    # and what a stranger got for that list afterwards: 404, as for a list that does not exist.
    private_items: Counter[str] = field(default_factory=Counter)
    stranger_status: int = 0
    # Their requests on the private list's items, counted by (action, outcome); the writes the
    # server acknowledged, by item id; the contested items' ids; and what the read-back found
    # wrong with the items.
    item_actions: Counter[tuple[str, str]] = field(default_factory=Counter)
    item_writes: dict[int, ItemWrites] = field(default_factory=dict)
    contested: list[int] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
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
            not (self.failures or self.lost or self.duplicated or self.wrong)
            and self.acknowledged_items > 0
            and all(self.private_items[who] > 0 for who in ("owner", "sharee"))
            and all(self.item_actions[action, ACKNOWLEDGED] > 0 for action in ITEM_ACTIONS)
        )

    def item_actions_summary(self) -> list[str]:
        """A line per action, like "tick    40: 38 acknowledged, 2 on an item just deleted"."""
        lines = []
        for action in ITEM_ACTIONS:
            outcomes = {o: n for (a, o), n in sorted(self.item_actions.items()) if a == action}
            details = ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items())
            lines.append(f"  {action:<6} {sum(outcomes.values()):>5}: {details or 'none'}")
        return lines

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
                "private list's items, what the owner and the sharee did to them:",
                *self.item_actions_summary(),
                f"audit         {len(self.item_writes)} items of the private list "
                f"({sum(item.deleted for item in self.item_writes.values())} deleted, "
                f"{len(self.contested)} contested) against the last acknowledged writes: "
                f"{len(self.wrong)} wrong",
                *[f"  error: {failure}" for failure in self.failures[:10]],
                *[f"  lost: {text}" for text in self.lost[:10]],
                *[f"  duplicated: {text}" for text in self.duplicated[:10]],
                *[f"  wrong: {what}" for what in self.wrong[:10]],
            ]
        )


def run_load(
    base_urls: list[str],
    mailbox: KeepMessages,
    clients: int = 8,
    seconds: float = 10,
    max_requests: int = 50_000,
) -> Report:
    """Load the instances at ``base_urls``, which send their email to ``mailbox``'s server.
    Only loopback addresses: anything else is refused (bench.loopback.NotLoopback)."""
    for url in base_urls:
        require_loopback(url)
    with ExitStack() as visitors:  # each visitor made here is closed at the end

        def new_visitor() -> Visitor:
            return visitors.enter_context(Visitor(base_urls))

        report = Report()
        shared_list = _start_list(new_visitor(), report, "shared list, first item")
        # New addresses each run: the login links and the share are this run's own.
        run_id = secrets.token_hex(4)
        owner = _log_in(new_visitor(), f"owner-{run_id}@example.com", mailbox, report)
        sharee_email = f"sharee-{run_id}@example.com"
        sharee = _log_in(new_visitor(), sharee_email, mailbox, report)
        private_list = _start_list(owner, report, "private list, first item")
        _share(owner, private_list, sharee_email, report)
        _add_contested_items(owner, private_list, report)
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
                target=_work_on_private_list,
                args=(who, visitor, private_list, deadline, budget, report),
            )
            for who, visitor in (("owner", owner), ("sharee", sharee))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        report.seconds = time.monotonic() - started
        stranger = new_visitor()
        _check_every_acknowledged_item(report, stranger, readers={private_list: owner})
        _audit_private_list(report, owner, private_list)
        _check_hidden_from(stranger, private_list, report)
        return report


def _record(report: Report, response: Page, expected: set[int], what: str) -> bool:
    with report.lock:
        report.latencies.append(response.seconds)
        report.statuses[response.status] += 1
        if response.status not in expected:
            report.failures.append(f"{what}: HTTP {response.status}")
            return False
    return True


def _require(report: Report, response: Page, expected: set[int], what: str) -> None:
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


def _refused_as_duplicate(report: Report, response: Page, what: str) -> bool:
    """The form shown again (200) with the duplicate error, as it must be."""
    if not _record(report, response, {200}, what):
        return False
    if not says(response, DUPLICATE_ITEM_ERROR):
        with report.lock:
            report.failures.append(f"{what}: HTTP 200 without {DUPLICATE_ITEM_ERROR!r}")
        return False
    return True


def _repeat_first_item(visitor: Visitor, target: str, form_page: Page, report: Report) -> bool:
    """Add the first item of the list at ``target`` again: it must be refused."""
    repeated = visitor.submit_item(target, report.acknowledged[target][0], form_page)
    return _refused_as_duplicate(report, repeated, f"repeat item on {target}")


def _add_item(visitor: Visitor, target: str, text: str, form_page: Page, report: Report) -> bool:
    """Add ``text`` to the list at ``target``: True if the server acknowledged it."""
    added = visitor.submit_item(target, text, form_page)
    return _record(report, added, {302}, f"add {text!r} to {target}")


def _visit(
    number: int,
    base_urls: list[str],
    shared_list: str,
    deadline: float,
    budget: threading.Semaphore,
    report: Report,
) -> None:
    sent = 0
    with Visitor(base_urls) as visitor, _crash_reported(report, f"visitor {number}"):
        own_list = _start_list(visitor, report, f"visitor {number}: item 0")
        form_page = visitor.request("GET", own_list)
        while time.monotonic() < deadline and budget.acquire(blocking=False):
            sent += 1
            if sent % NEW_LIST_EVERY == 0:
                own_list = _start_list(visitor, report, f"visitor {number}: item {sent}")
                continue
            target = shared_list if sent % SHARED_LIST_EVERY == 0 else own_list
            text = f"visitor {number}: item {sent}"
            if sent % DUPLICATE_EVERY == 0:
                _repeat_first_item(visitor, target, form_page, report)
            elif _add_item(visitor, target, text, form_page, report):
                with report.lock:
                    report.acknowledged[target].append(text)


def _add_contested_items(owner: Visitor, private_list: str, report: Report) -> None:
    """Before the run, the owner adds the items both people will tick and edit at once.

    Every item the list starts with is noted, to be audited at the end with the others.
    """
    page = owner.request("GET", private_list)
    _require(report, page, {200}, "GET the private list")
    for number in range(1, CONTESTED_ITEMS + 1):
        text = f"contested item {number}"
        _require(report, owner.submit_item(private_list, text, page), {302}, f"add {text!r}")
    page = owner.request("GET", private_list)
    _require(report, page, {200}, "GET the private list")
    for item_id, text, _ in rows_on(page):
        report.item_writes[item_id] = ItemWrites(added_as=text)
        if text.startswith("contested item"):
            report.contested.append(item_id)


@dataclass
class Collaborator:
    """The owner or the sharee at work on the private list they share, one request at a time.

    They add items and tick, un-tick, edit and delete them, which nobody else does; and they
    tick and edit the contested items, which the other one is doing at the same time.
    """

    who: str
    visitor: Visitor
    list_path: str
    report: Report
    page: Page  # the list as they last saw it, whose forms carry the CSRF token
    mine: list[int] = field(default_factory=list)  # the items they added and have not deleted
    choices: random.Random = field(init=False)  # of done state, for the contested items

    def __post_init__(self) -> None:
        self.choices = random.Random(self.who)  # the same choices each run, not the same for both

    def add(self, step: int) -> None:
        text = f"{self.who}: item {step}"
        if not _add_item(self.visitor, self.list_path, text, self.page, self.report):
            self._count("add", FAILED)
            return
        self._count("add", ACKNOWLEDGED)
        with self.report.lock:
            self.report.private_items[self.who] += 1
        # Follow the redirect, as a browser does: the list shows the new item, and its id.
        self.page = self.visitor.request("GET", self.list_path)
        _record(self.report, self.page, {200}, f"GET the private list as the {self.who}")
        item_id = next((id_ for id_, shown, _ in rows_on(self.page) if shown == text), None)
        if item_id is None:
            self._fail(f"{text!r}, acknowledged, is not on the list just after")
            return
        self.mine.append(item_id)
        with self.report.lock:
            self.report.item_writes[item_id] = ItemWrites(added_as=text)

    def repeat_first_item(self, step: int) -> None:
        if _repeat_first_item(self.visitor, self.list_path, self.page, self.report):
            self._count("add", REFUSED)
        else:
            self._count("add", FAILED)

    def tick_own(self, step: int) -> None:
        """Tick off one of their items, or un-tick it if they last ticked it off."""
        if (item_id := self._own_item(step)) is None:
            return
        self._tick(item_id, not self.report.item_writes[item_id].dones.get(self.who, False))

    def edit_own(self, step: int) -> None:
        if (item_id := self._own_item(step)) is None:
            return
        self._edit(item_id, f"{self.who}: edit {step}")

    def edit_own_to_a_duplicate(self, step: int) -> None:
        """Give an item the text of the list's first item: refused, and nothing changes."""
        if (item_id := self._own_item(step)) is None:
            return
        first_item = self.report.acknowledged[self.list_path][0]
        edited = self._post(item_id, "edit", {"text": first_item})
        if _refused_as_duplicate(self.report, edited, f"{self.who} edits item {item_id}"):
            self._count("edit", REFUSED)
        else:
            self._count("edit", FAILED)

    def delete_own(self, step: int) -> None:
        """Delete their oldest item, then press its buttons as a page left open would."""
        if self._own_item(step) is None:
            return
        item_id = self.mine.pop(0)
        deleted = self._post(item_id, "delete", {})
        if not _record(self.report, deleted, {302}, f"{self.who} deletes item {item_id}"):
            self._count("delete", FAILED)
            return
        self._count("delete", ACKNOWLEDGED)
        with self.report.lock:
            self.report.item_writes[item_id].deleted = True
        self._press_on_deleted(item_id, "tick", {"done": "1"})
        self._press_on_deleted(item_id, "edit", {"text": f"{self.who}: edit {step}"})

    def tick_contested(self, step: int) -> None:
        self._tick(self._contested_item(step), self.choices.choice((True, False)))

    def edit_contested(self, step: int) -> None:
        self._edit(self._contested_item(step), f"{self.who}: edit {step}")

    def _own_item(self, step: int) -> int | None:
        """One of the items they added and kept; with none left, they add one instead."""
        if not self.mine:
            self.add(step)
            return None
        return self.mine[step % len(self.mine)]

    def _contested_item(self, step: int) -> int:
        # Both people go through ROUND at about the same pace: in any one round, they tick and
        # edit the same contested item.
        contested = self.report.contested
        return contested[step // len(ROUND) % len(contested)]

    def _press_on_deleted(self, item_id: int, action: str, fields: dict[str, str]) -> None:
        """What someone does on a page left open: it must answer with the list (and a message
        saying the item has gone), and must not bring the item back."""
        pressed = self._post(item_id, action, fields)
        what = f"{self.who}: {action} item {item_id}, just deleted"
        answered = _record(self.report, pressed, {302}, what)
        self._count(action, ON_A_DELETED_ITEM if answered else FAILED)

    def _tick(self, item_id: int, done: bool) -> None:
        ticked = self._post(item_id, "tick", {"done": "1" if done else "0"})
        what = f"{self.who} sets item {item_id} done={done}"
        if not _record(self.report, ticked, {302}, what):
            self._count("tick", FAILED)
            return
        self._count("tick", ACKNOWLEDGED)
        with self.report.lock:
            self.report.item_writes[item_id].dones[self.who] = done

    def _edit(self, item_id: int, text: str) -> None:
        edited = self._post(item_id, "edit", {"text": text})
        if not _record(self.report, edited, {302}, f"{self.who} edits item {item_id} to {text!r}"):
            self._count("edit", FAILED)
            return
        self._count("edit", ACKNOWLEDGED)
        with self.report.lock:
            self.report.item_writes[item_id].texts[self.who] = text

    def _post(self, item_id: int, action: str, fields: dict[str, str]) -> Page:
        action_url = f"{self.list_path}items/{item_id}/{ITEM_URLS[action]}"
        return self.visitor.submit_form(action_url, fields, self.page)

    def _count(self, action: str, outcome: str) -> None:
        with self.report.lock:
            self.report.item_actions[action, outcome] += 1

    def _fail(self, failure: str) -> None:
        with self.report.lock:
            self.report.failures.append(f"{self.who}: {failure}")


# What each of them does, in this order, round and round: every kind of action early on, so
# that even a short run on a slow machine has some of each; more adds than deletes, so that
# there are always items of their own to act on.
ROUND = (
    Collaborator.add,
    Collaborator.tick_contested,
    Collaborator.add,
    Collaborator.edit_own,
    Collaborator.tick_own,
    Collaborator.edit_contested,
    Collaborator.delete_own,
    Collaborator.repeat_first_item,
    Collaborator.add,
    Collaborator.tick_contested,
    Collaborator.edit_own_to_a_duplicate,
    Collaborator.edit_contested,
)


def _work_on_private_list(
    who: str,
    visitor: Visitor,
    private_list: str,
    deadline: float,
    budget: threading.Semaphore,
    report: Report,
) -> None:
    """The owner or the sharee, logged in, at work on the private list they share."""
    with _crash_reported(report, who):
        page = visitor.request("GET", private_list)
        _require(report, page, {200}, f"GET the private list as the {who}")
        collaborator = Collaborator(who, visitor, private_list, report, page)
        step = 0
        while time.monotonic() < deadline and budget.acquire(blocking=False):
            ROUND[step % len(ROUND)](collaborator, step)
            step += 1


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


def _audit_private_list(report: Report, owner: Visitor, private_list: str) -> None:
    """Each of its items as the last acknowledged writes left it (see item_audit.py)."""
    page = owner.request("GET", private_list)
    if page.status != 200:
        report.wrong.append(f"the owner got HTTP {page.status} for the private list")
        return
    report.wrong.extend(audit(report.item_writes, rows_on(page)))


def _check_hidden_from(stranger: Visitor, private_list: str, report: Report) -> None:
    """A private list must answer a stranger as if it did not exist."""
    report.stranger_status = stranger.request("GET", private_list).status
    if report.stranger_status != 404:
        report.failures.append(
            f"a stranger got HTTP {report.stranger_status} for the private list {private_list}, "
            "not 404"
        )
