"""The owner and the sharee at work on the private list they share (see run.py): they add items
and tick, un-tick, edit and delete them, and both tick and edit the contested items at once.
Each item's URLs are the ones its row on the page shows (visitor.item_urls_on)."""

import random
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from loadtest.item_audit import ItemWrites
from loadtest.load_run import LoadRun, crash_reported, not_refused_as_duplicate
from loadtest.report import ACKNOWLEDGED, FAILED, ON_A_DELETED_ITEM, REFUSED, Report
from loadtest.set_up import PRIVATE_FIRST_ITEM
from loadtest.visitor import ItemUrls, Visitor, item_urls_on, rows_on
from sitekit.web_client import Page


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
    urls: dict[int, ItemUrls] = field(default_factory=dict)  # each item's, from the pages seen
    choices: random.Random = field(init=False)  # of done state, for the contested items
    report: Report = field(init=False)

    def __post_init__(self) -> None:
        self.choices = random.Random(self.who)  # the same choices each run, not the same for both
        self.report = self.run.report
        self.urls.update(item_urls_on(self.page))

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
        self.urls.update(item_urls_on(page))
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
            unexpected=not_refused_as_duplicate,
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
            unexpected=not_refused_as_duplicate,
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
        action_url = getattr(self.urls[item_id], action)
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


def work_on_private_list(run: LoadRun, who: str, visitor: Visitor, private_list: str) -> None:
    """The owner or the sharee, logged in, at work on the private list they share."""
    with crash_reported(run.report, who):
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
