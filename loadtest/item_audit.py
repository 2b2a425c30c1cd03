"""What each list may show at the end, given the requests sent to it, and the check.

**Acknowledged or not.** A request the server answered as expected (a POST's redirect) was
applied. One that got no such answer (connection refused or reset, a timeout, a 5xx, anything
unexpected) may or may not have been: the server may have written the item and died before
answering, or a proxy may have given up on a request its server went on to finish, even after
the same person's later requests. So an add without acknowledgement is neither lost if absent
nor duplicated if there once, and an edit, tick or delete without one leaves each of its
outcomes possible, for good. The audit counts those adds (kept or not) for the report, and
checks everything else as strictly as before.

**Adds, by text** (every visitor's item text is unique in the run): each acknowledged item must
be there exactly once, an unacknowledged one at most once, and nothing else may be there.

**The private list's items, by id.** Each person sends one request at a time, so their last
acknowledged write to an item's text (or to its done state) is applied after all their earlier
acknowledged ones. With one writer, the item must show exactly that (or one of their
unacknowledged writes). With two writing at once, last write wins: whichever request the
database applied last decides, so the item shows one of the two people's last acknowledged
writes (or an unacknowledged one), never an older one, never anything nobody wrote, and it is
there unless someone deleted it (or may have).
"""

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from loadtest.visitor import ItemRow


@dataclass
class ItemWrites:
    """The writes to one item: each person's last acknowledged one, per field, and every write
    that got no acknowledgement (in doubt: it may have been applied, at any time)."""

    added_as: str
    texts: dict[str, str] = field(default_factory=dict)  # who → their last edit's text
    dones: dict[str, bool] = field(default_factory=dict)  # who → their last tick (or un-tick)
    deleted: bool = False
    texts_in_doubt: set[str] = field(default_factory=set)
    dones_in_doubt: set[bool] = field(default_factory=set)
    maybe_deleted: bool = False

    def possible_texts(self) -> set[str]:
        return (set(self.texts.values()) or {self.added_as}) | self.texts_in_doubt

    def possible_dones(self) -> set[bool]:
        return (set(self.dones.values()) or {False}) | self.dones_in_doubt


@dataclass
class Audit:
    """What the read-back found: items lost, duplicated or otherwise wrong, and what became of
    the adds that got no acknowledgement (there once, or not there)."""

    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    unacknowledged_kept: int = 0
    unacknowledged_absent: int = 0

    def include(self, other: "Audit") -> None:
        self.lost += other.lost
        self.duplicated += other.duplicated
        self.wrong += other.wrong
        self.unacknowledged_kept += other.unacknowledged_kept
        self.unacknowledged_absent += other.unacknowledged_absent


def check_adds(
    where: str, acknowledged: Collection[str], unacknowledged: Collection[str], shown: list[str]
) -> Audit:
    """The item texts ``shown`` in a list (``where``), against the adds sent to it."""
    result = Audit()
    kept = Counter(shown)
    for text in acknowledged:
        if kept[text] == 0:
            result.lost.append(f"{text!r} in {where}")
        elif kept[text] > 1:
            result.duplicated.append(f"{text!r} x{kept[text]} in {where}")
    for text in unacknowledged:
        if kept[text] > 1:
            result.duplicated.append(f"{text!r} (unacknowledged) x{kept[text]} in {where}")
        elif kept[text] == 1:
            result.unacknowledged_kept += 1
        else:
            result.unacknowledged_absent += 1
    sent = set(acknowledged) | set(unacknowledged)
    result.wrong += [f"{text!r} in {where}: nobody added it" for text in kept if text not in sent]
    return result


def audit(
    writes: dict[int, ItemWrites],
    rows: list[ItemRow],
    added_without_id: Collection[str] = (),
    added_unacknowledged: Collection[str] = (),
    where: str = "the list",
) -> Audit:
    """What is wrong with a list's ``rows`` (``where``), read back at the end, given the
    ``writes`` to its items, the items acknowledged whose ids we never learned (the page after
    the add did not come), and the adds that were not acknowledged."""
    result = Audit()
    shown = {item_id: (text, done) for item_id, text, done in rows}
    if len(shown) != len(rows):
        result.duplicated.append(f"{len(rows) - len(shown)} rows repeat another row's item")
    unknown_ids = []
    for item_id, (text, done) in shown.items():
        item = writes.get(item_id)
        if item is None:
            unknown_ids.append(text)
            if done:
                result.wrong.append(f"item {item_id} {text!r}: done, though nobody knew its id")
        elif item.deleted:
            result.wrong.append(f"item {item_id} {text!r}: deleted, yet still there")
        else:
            if text not in item.possible_texts():
                wanted = _one_of(item.possible_texts())
                result.wrong.append(f"item {item_id}: {text!r}, not {wanted}")
            if done not in item.possible_dones():
                result.wrong.append(
                    f"item {item_id} {text!r}: done={done}, which nobody asked for last"
                )
    for item_id, item in writes.items():
        if not (item.deleted or item.maybe_deleted) and item_id not in shown:
            result.lost.append(f"item {item_id} {item.added_as!r}: gone, though nobody deleted it")
    by_text = check_adds(where, added_without_id, added_unacknowledged, unknown_ids)
    result.include(by_text)
    return result


def _one_of(texts: set[str]) -> str:
    return " or ".join(repr(text) for text in sorted(texts))
