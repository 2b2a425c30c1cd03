"""What each item of a list two people work on at once may show at the end, and the check.

Each person sends one request at a time, so their last acknowledged write to an item's text (or
to its done state) is applied after all their earlier ones. With one writer, the item must show
exactly that. With two writing at once, last write wins: whichever request the database applied
last decides, so the item shows one of the two people's last acknowledged writes, never an older
one, never anything nobody wrote, and it is there unless someone deleted it.
"""

from dataclasses import dataclass, field

from bench.loadtest.visitor import ItemRow


@dataclass
class ItemWrites:
    """The writes to one item that the server acknowledged: each person's last, per field."""

    added_as: str
    texts: dict[str, str] = field(default_factory=dict)  # who → their last edit's text
    dones: dict[str, bool] = field(default_factory=dict)  # who → their last tick (or un-tick)
    deleted: bool = False

    def possible_texts(self) -> set[str]:
        return set(self.texts.values()) or {self.added_as}

    def possible_dones(self) -> set[bool]:
        return set(self.dones.values()) or {False}


def audit(writes: dict[int, ItemWrites], rows: list[ItemRow]) -> list[str]:
    """What is wrong with a list's ``rows``, read back at the end, given the ``writes`` to it."""
    wrong = []
    shown = {item_id: (text, done) for item_id, text, done in rows}
    if len(shown) != len(rows):
        wrong.append(f"{len(rows) - len(shown)} rows repeat another row's item")
    for item_id, (text, done) in shown.items():
        item = writes.get(item_id)
        if item is None:
            wrong.append(f"item {item_id} {text!r}: nobody added it")
        elif item.deleted:
            wrong.append(f"item {item_id} {text!r}: deleted, yet still there")
        else:
            if text not in item.possible_texts():
                wrong.append(f"item {item_id}: {text!r}, not {_one_of(item.possible_texts())}")
            if done not in item.possible_dones():
                wrong.append(f"item {item_id} {text!r}: done={done}, which nobody asked for last")
    for item_id, item in writes.items():
        if not item.deleted and item_id not in shown:
            wrong.append(f"item {item_id} {item.added_as!r}: gone, though nobody deleted it")
    return wrong


def _one_of(texts: set[str]) -> str:
    return " or ".join(repr(text) for text in sorted(texts))
