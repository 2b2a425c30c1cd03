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

import random
import secrets
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from bench.loadtest.failures import REQUEST_ERRORS, kind_of_answer, kind_of_error
from bench.loadtest.item_audit import ItemWrites, audit, check_adds
from bench.loadtest.mail_sink import KeepMessages
from bench.loadtest.read_back import PATIENCE_S, ReadBack
from bench.loadtest.report import (
    ACKNOWLEDGED,
    FAILED,
    ON_A_DELETED_ITEM,
    REFUSED,
    Report,
)
from bench.loadtest.visitor import (
    DUPLICATE_ITEM_ERROR,
    PageNotUnderstood,
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
SHARED_FIRST_ITEM = "shared list, first item"
PRIVATE_FIRST_ITEM = "private list, first item"
ITEM_URLS = {"tick": "done", "edit": "edit", "delete": "delete"}  # …/items/<id>/<this>
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


@dataclass(frozen=True)
class PrivateList:
    path: str
    owner: Visitor
    sharee: Visitor


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
    loopback addresses: anything else is refused (bench.loopback.NotLoopback)."""
    for url in base_urls:
        require_loopback(url)
    report = Report(anonymous_only=mailbox is None)
    run = LoadRun(base_urls, report, max_requests, stop or threading.Event())
    with ExitStack() as visitors:  # each visitor made here is closed at the end

        def new_visitor() -> Visitor:
            return visitors.enter_context(Visitor(base_urls))

        try:
            shared_list = _start_list(run, new_visitor(), SHARED_FIRST_ITEM)
            report.acknowledged[shared_list].append(SHARED_FIRST_ITEM)
            private = None if mailbox is None else _set_up_private_list(run, new_visitor, mailbox)
        except RuntimeError as failure:  # SetUpFailed, or a page without what it should have
            report.set_up_failure = str(failure)
            report.set_up_detail = failure.detail if isinstance(failure, SetUpFailed) else ""
            report.set_up_requests = report.tally.requests
            report.load_ended_at = report.tally.clock()
            return report
        _load(run, clients, seconds, shared_list, private)
        _read_back(report, ReadBack(read_back_patience), new_visitor(), private)
    return report


def _set_up_private_list(
    run: LoadRun, new_visitor: Callable[[], Visitor], mailbox: KeepMessages
) -> PrivateList:
    # New addresses each run: the login links and the share are this run's own.
    run_id = secrets.token_hex(4)
    owner = _log_in(run, new_visitor(), f"owner-{run_id}@example.com", mailbox)
    sharee_email = f"sharee-{run_id}@example.com"
    sharee = _log_in(run, new_visitor(), sharee_email, mailbox)
    private_list = _start_list(run, owner, PRIVATE_FIRST_ITEM)
    _share(run, owner, private_list, sharee_email)
    _add_contested_items(run, owner, private_list)
    return PrivateList(private_list, owner, sharee)


def _load(
    run: LoadRun,
    clients: int,
    seconds: float,
    shared_list: str,
    private: PrivateList | None,
) -> None:
    threads = [
        threading.Thread(target=_visit, args=(run, number, shared_list))
        for number in range(clients)
    ]
    if private:
        threads += [
            threading.Thread(target=_work_on_private_list, args=(run, who, visitor, private.path))
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


def _no_location(page: Page) -> str | None:
    return None if page.location else "redirect without a Location"


def _not_refused_as_duplicate(page: Page) -> str | None:
    """The form must be shown again (200) with the duplicate error."""
    return None if says(page, DUPLICATE_ITEM_ERROR) else "unexpected answer: no duplicate error"


def _start_list(run: LoadRun, visitor: Visitor, first_item: str) -> str:
    """A list the rest of the run needs (set-up): its address; the run stops if it cannot be
    made."""
    home = run.require(visitor, "GET /", {200}, visitor.get, "/")
    created = run.require(
        visitor,
        "start a list",
        {302},
        visitor.submit_item,
        "/lists/new",
        first_item,
        home,
        unexpected=_no_location,
    )
    return created.location


def _log_in(run: LoadRun, visitor: Visitor, email: str, mailbox: KeepMessages) -> Visitor:
    """Log ``visitor`` in as ``email`` the way a person does, with the link emailed to them."""
    home = run.require(visitor, "GET /", {200}, visitor.get, "/")
    run.require(
        visitor,
        f"ask for a login email to {email}",
        {302},
        visitor.submit_form,
        "/accounts/send_login_email",
        {"email": email},
        home,
    )
    try:
        message = mailbox.wait_for_message_to(email)
    except AssertionError:
        raise SetUpFailed(
            f"no login email to {email} reached the load test's mail server: start the "
            "instances with EMAIL_HOST and EMAIL_PORT naming it (and EMAIL_USE_TLS=0); a "
            "deployed server sends its mail elsewhere: run with --anonymous-only"
        ) from None
    link = login_link_path(message.get_content())
    confirm_page = run.require(visitor, "open the login link", {200}, visitor.get, link)
    token = hidden_field(confirm_page, "token")
    run.require(
        visitor,
        f"log in as {email}",
        {302},
        visitor.submit_form,
        "/accounts/login",
        {"token": token},
        confirm_page,
    )
    # A failed login redirects too, with a message: the page says whether it worked.
    run.require(
        visitor,
        f"GET / logged in as {email}",
        {200},
        visitor.get,
        "/",
        unexpected=lambda page: None if f"Logged in as {email}" in page.body else "not logged in",
    )
    return visitor


def _share(run: LoadRun, owner: Visitor, list_path: str, sharee_email: str) -> None:
    list_page = run.require(owner, "GET the owner's list", {200}, owner.get, list_path)
    run.require(
        owner,
        f"share {list_path} with {sharee_email}",
        {302},
        owner.submit_form,
        f"{list_path}share",
        {"sharee": sharee_email},
        list_page,
    )


def _add_contested_items(run: LoadRun, owner: Visitor, private_list: str) -> None:
    """Before the run, the owner adds the items both people will tick and edit at once.

    Every item the list starts with is noted, to be audited at the end with the others.
    """
    page = run.require(owner, "GET the private list", {200}, owner.get, private_list)
    for number in range(1, CONTESTED_ITEMS + 1):
        text = f"contested item {number}"
        run.require(owner, f"add {text!r}", {302}, owner.submit_item, private_list, text, page)
    page = run.require(owner, "GET the private list", {200}, owner.get, private_list)
    for item_id, text, _ in rows_on(page):
        run.report.item_writes[item_id] = ItemWrites(added_as=text)
        if text.startswith("contested item"):
            run.report.contested.append(item_id)


@contextmanager
def _crash_reported(report: Report, who: str) -> Iterator[None]:
    """A crash of one visitor (a bug of ours: failed requests are counted, not raised) is a
    failure to report, not to hide."""
    try:
        yield
    except Exception as error:
        with report.lock:
            report.crashes.append(f"{who}: {type(error).__name__}: {error}")


def _visit(run: LoadRun, number: int, shared_list: str) -> None:
    """An anonymous visitor: starts lists and adds items, a third of them to the shared list,
    every tenth a repeat that must be refused; through any error, until the load ends."""
    report = run.report
    with Visitor(run.base_urls) as visitor, _crash_reported(report, f"visitor {number}"):
        form_page: Page | None = None  # any page whose forms carry our CSRF token
        own_list: str | None = None
        step = 0
        while run.goes_on():
            step += 1
            text = f"visitor {number}: item {step}"
            if form_page is None:
                form_page = run.send(visitor, "GET /", {200}, visitor.get, "/")
            elif own_list is None or step % NEW_LIST_EVERY == 0:
                own_list = _start_own_list(run, visitor, text, form_page) or own_list
            else:
                target = shared_list if step % SHARED_LIST_EVERY == 0 else own_list
                if step % DUPLICATE_EVERY == 0:
                    _repeat_first_item(run, visitor, target, form_page)
                else:
                    _add_item(run, visitor, target, text, form_page)


def _start_own_list(run: LoadRun, visitor: Visitor, text: str, form_page: Page) -> str | None:
    """A new list with ``text`` as its first item: its address, or None if not acknowledged."""
    created = run.send(
        visitor,
        f"start a list with {text!r}",
        {302},
        visitor.submit_item,
        "/lists/new",
        text,
        form_page,
        unexpected=_no_location,
    )
    with run.report.lock:
        if created is None:
            run.report.unacknowledged_new_lists += 1
            return None
        run.report.acknowledged[created.location].append(text)
    return created.location


def _repeat_first_item(run: LoadRun, visitor: Visitor, target: str, form_page: Page) -> bool:
    """Add the first item of the list at ``target`` again: it must be refused. (Never applied,
    acknowledged or not: the database's unique constraint refuses it.)"""
    first_item = run.report.acknowledged[target][0]
    refused = run.send(
        visitor,
        f"repeat the first item of {target}",
        {200},
        visitor.submit_item,
        target,
        first_item,
        form_page,
        unexpected=_not_refused_as_duplicate,
    )
    return refused is not None


def _add_item(run: LoadRun, visitor: Visitor, target: str, text: str, form_page: Page) -> None:
    """Add ``text`` to the list at ``target``, noted as acknowledged or not, for the audit."""
    added = run.send(
        visitor, f"add {text!r} to {target}", {302}, visitor.submit_item, target, text, form_page
    )
    with run.report.lock:
        (run.report.acknowledged if added else run.report.unacknowledged)[target].append(text)


@dataclass
class Collaborator:
    """The owner or the sharee at work on the private list they share, one request at a time.

    They add items and tick, un-tick, edit and delete them, which nobody else does; and they
    tick and edit the contested items, which the other one is doing at the same time. A write
    that gets no acknowledgement is noted as in doubt (item_audit.py), and they go on.
    """

    who: str
    visitor: Visitor
    list_path: str
    run: LoadRun
    page: Page  # the list as they last saw it, whose forms carry the CSRF token
    mine: list[int] = field(default_factory=list)  # the items they added and have not deleted
    choices: random.Random = field(init=False)  # of done state, for the contested items
    report: Report = field(init=False)

    def __post_init__(self) -> None:
        self.choices = random.Random(self.who)  # the same choices each run, not the same for both
        self.report = self.run.report

    def add(self, step: int) -> None:
        text = f"{self.who}: item {step}"
        added = self._send(
            f"add {text!r}", {302}, self.visitor.submit_item, self.list_path, text, self.page
        )
        if added is None:
            self._count("add", FAILED)
            with self.report.lock:
                self.report.private_added_unacknowledged.append(text)
            return
        self._count("add", ACKNOWLEDGED)
        with self.report.lock:
            self.report.private_items[self.who] += 1
        # Follow the redirect, as a browser does: the list shows the new item, and its id.
        page = self._send("GET the private list", {200}, self.visitor.get, self.list_path)
        if page is None:
            # Its id unknown, nobody can change it: checked at the end by its text, as added.
            with self.report.lock:
                self.report.private_added_without_id.append(text)
            return
        self.page = page
        item_id = next((id_ for id_, shown, _ in rows_on(page) if shown == text), None)
        if item_id is None:
            with self.report.lock:
                self.report.private_added_without_id.append(text)
                self.report.audit.wrong.append(
                    f"{self.who}: {text!r}, acknowledged, is not on the list just after"
                )
            return
        self.mine.append(item_id)
        with self.report.lock:
            self.report.item_writes[item_id] = ItemWrites(added_as=text)

    def repeat_first_item(self, step: int) -> None:
        refused = self._send(
            "repeat the first item",
            {200},
            self.visitor.submit_item,
            self.list_path,
            PRIVATE_FIRST_ITEM,
            self.page,
            unexpected=_not_refused_as_duplicate,
        )
        self._count("add", REFUSED if refused else FAILED)

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
        """Give an item the text of the list's first item: refused, and nothing changes (never
        applied, acknowledged or not: the database's unique constraint refuses it)."""
        if (item_id := self._own_item(step)) is None:
            return
        refused = self._send(
            f"edit item {item_id} to a duplicate",
            {200},
            self._post,
            item_id,
            "edit",
            {"text": PRIVATE_FIRST_ITEM},
            unexpected=_not_refused_as_duplicate,
        )
        self._count("edit", REFUSED if refused else FAILED)

    def delete_own(self, step: int) -> None:
        """Delete their oldest item, then press its buttons as a page left open would."""
        if self._own_item(step) is None:
            return
        item_id = self.mine.pop(0)  # not theirs to act on any more, deleted or maybe deleted
        deleted = self._send(f"delete item {item_id}", {302}, self._post, item_id, "delete", {})
        with self.report.lock:
            if deleted is None:
                self.report.item_writes[item_id].maybe_deleted = True
            else:
                self.report.item_writes[item_id].deleted = True
        self._count("delete", ACKNOWLEDGED if deleted else FAILED)
        if deleted:
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
        what = f"{action} item {item_id}, just deleted"
        answered = self._send(what, {302}, self._post, item_id, action, fields)
        self._count(action, ON_A_DELETED_ITEM if answered else FAILED)

    def _tick(self, item_id: int, done: bool) -> None:
        ticked = self._send(
            f"set item {item_id} done={done}",
            {302},
            self._post,
            item_id,
            "tick",
            {"done": "1" if done else "0"},
        )
        with self.report.lock:
            item = self.report.item_writes[item_id]
            if ticked is None:
                item.dones_in_doubt.add(done)
            else:
                item.dones[self.who] = done
        self._count("tick", ACKNOWLEDGED if ticked else FAILED)

    def _edit(self, item_id: int, text: str) -> None:
        edited = self._send(
            f"edit item {item_id} to {text!r}", {302}, self._post, item_id, "edit", {"text": text}
        )
        with self.report.lock:
            item = self.report.item_writes[item_id]
            if edited is None:
                item.texts_in_doubt.add(text)
            else:
                item.texts[self.who] = text
        self._count("edit", ACKNOWLEDGED if edited else FAILED)

    def _send(
        self,
        what: str,
        expected: Collection[int],
        request: Callable[..., Page],
        *arguments: object,
        unexpected: Callable[[Page], str | None] | None = None,
    ) -> Page | None:
        what = f"{self.who}: {what}"
        return self.run.send(
            self.visitor, what, expected, request, *arguments, unexpected=unexpected
        )

    def _post(self, item_id: int, action: str, fields: dict[str, str]) -> Page:
        action_url = f"{self.list_path}items/{item_id}/{ITEM_URLS[action]}"
        return self.visitor.submit_form(action_url, fields, self.page)

    def _count(self, action: str, outcome: str) -> None:
        with self.report.lock:
            self.report.item_actions[action, outcome] += 1


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


def _work_on_private_list(run: LoadRun, who: str, visitor: Visitor, private_list: str) -> None:
    """The owner or the sharee, logged in, at work on the private list they share."""
    with _crash_reported(run.report, who):
        page = None
        while page is None and run.goes_on():
            what = f"{who}: GET the private list"
            page = run.send(visitor, what, {200}, visitor.get, private_list)
        if page is None:
            return
        collaborator = Collaborator(who, visitor, private_list, run, page)
        step = 0
        while run.goes_on():
            ROUND[step % len(ROUND)](collaborator, step)
            step += 1


def _read_back(
    report: Report, read_back: ReadBack, stranger: Visitor, private: PrivateList | None
) -> None:
    """Read every list back, as someone who may see it, and audit what it shows."""
    report.read_back = read_back
    try:
        _check_every_list(report, read_back, stranger)
        if private:
            _audit_private_list(report, read_back, private)
            _check_hidden_from(report, read_back, stranger, private.path)
    except PageNotUnderstood as error:
        report.crashes.append(f"read-back: {error}")


def _check_every_list(report: Report, read_back: ReadBack, stranger: Visitor) -> None:
    """The anonymous visitors' lists: each item there exactly once if acknowledged, at most once
    if not, and nothing else (item_audit.check_adds)."""
    for list_path in sorted(set(report.acknowledged) | set(report.unacknowledged)):
        acknowledged = report.acknowledged.get(list_path, [])
        unacknowledged = report.unacknowledged.get(list_path, [])
        items = len(acknowledged) + len(unacknowledged)
        page = read_back.read(stranger, list_path, f"{list_path} ({items} items)")
        if page is None:
            continue
        if page.status != 200:
            report.audit.wrong.append(f"{list_path}: HTTP {page.status} at the read-back")
        shown = items_on(page) if page.status == 200 else []
        report.audit.include(check_adds(list_path, acknowledged, unacknowledged, shown))


def _audit_private_list(report: Report, read_back: ReadBack, private: PrivateList) -> None:
    """Each of its items as the last acknowledged writes left it (see item_audit.py)."""
    page = read_back.read(private.owner, private.path, f"the private list {private.path}")
    if page is None:
        return
    if page.status != 200:
        report.audit.wrong.append(f"the owner got HTTP {page.status} for the private list")
        return
    report.audit.include(
        audit(
            report.item_writes,
            rows_on(page),
            report.private_added_without_id,
            report.private_added_unacknowledged,
            where=private.path,
        )
    )


def _check_hidden_from(
    report: Report, read_back: ReadBack, stranger: Visitor, private_list: str
) -> None:
    """A private list must answer a stranger as if it did not exist."""
    page = read_back.read(stranger, private_list, "the private list, as a stranger")
    if page is None:
        return
    report.stranger_status = page.status
    if page.status != 404:
        report.audit.wrong.append(
            f"a stranger got HTTP {page.status} for the private list {private_list}, not 404"
        )
