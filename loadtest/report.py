"""What a load test run found, and its summary: the figures an operator needs, then a verdict."""

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from loadtest.item_audit import Audit, ItemWrites
from loadtest.outages import describe_outages
from loadtest.read_back import ReadBack
from loadtest.tally import Tally

# What became of the owner's and the sharee's requests on the private list's items.
ACKNOWLEDGED = "acknowledged"
REFUSED = "refused as duplicates"
# Acknowledged too, with the message "That item has just been deleted".
ON_A_DELETED_ITEM = "on an item just deleted"
FAILED = "failed"
ITEM_ACTIONS = ("add", "tick", "edit", "delete")  # a tick sets done=1 or done=0

SHOWN_EACH = 10  # failures, lost items... described one by one; the rest are counted


@dataclass
class Report:
    anonymous_only: bool = False  # no owner and sharee: nobody logged in (--anonymous-only)
    tally: Tally = field(default_factory=Tally)  # every request of the set-up and the load
    seconds: float = 0.0  # the load's, set-up and read-back aside
    set_up_requests: int = 0
    load_ended_at: float = 0.0  # by the tally's clock
    set_up_failure: str = ""  # what stopped the run before the load, if anything did
    set_up_detail: str = ""  # and the error's own words
    crashes: list[str] = field(default_factory=list)  # a visitor stopped by a bug of ours
    # The anonymous visitors' adds, by list: acknowledged (a redirect), or not (no answer, or
    # not the one expected: it may or may not have been applied). A new list whose creation
    # was not acknowledged cannot be read back: only counted.
    acknowledged: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unacknowledged: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unacknowledged_new_lists: int = 0
    # The private list's items acknowledged during the run, by who added them (owner, sharee),
    # and what a stranger got for that list afterwards: 404, as for a list that does not exist.
    private_items: Counter[str] = field(default_factory=Counter)
    stranger_status: int = 0
    # Their requests on the private list's items, counted by (action, outcome); the writes to
    # each item, by id; the contested items' ids; the adds acknowledged whose ids were never
    # seen (the list did not come after the add), and those not acknowledged.
    item_actions: Counter[tuple[str, str]] = field(default_factory=Counter)
    item_writes: dict[int, ItemWrites] = field(default_factory=dict)
    contested: list[int] = field(default_factory=list)
    private_added_without_id: list[str] = field(default_factory=list)
    private_added_unacknowledged: list[str] = field(default_factory=list)
    # What the read-back found, and how it went.
    audit: Audit = field(default_factory=Audit)
    read_back: ReadBack | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def acknowledged_items(self) -> int:
        return sum(len(texts) for texts in self.acknowledged.values())

    @property
    def unacknowledged_adds(self) -> int:
        return (
            sum(len(texts) for texts in self.unacknowledged.values())
            + self.unacknowledged_new_lists
            + len(self.private_added_unacknowledged)
        )

    @property
    def read_back_failed(self) -> bool:
        return self.read_back is None or self.read_back.gave_up is not None

    def problems(self) -> list[str]:
        """Why the run fails, if it does: each reason in a few words."""
        audit = self.audit
        problems = [
            f"set-up failed: {self.set_up_failure}" if self.set_up_failure else "",
            f"{self.tally.failed} requests failed" if self.tally.failed else "",
            f"{len(audit.lost)} items lost" if audit.lost else "",
            f"{len(audit.duplicated)} duplicated" if audit.duplicated else "",
            f"{len(audit.wrong)} wrong in the audit" if audit.wrong else "",
            *[f"{crash} (a bug of the load test's)" for crash in self.crashes],
        ]
        if not self.set_up_failure:
            problems += [
                "the read-back did not finish: what was kept is unknown"
                if self.read_back_failed
                else "",
                "no item was acknowledged" if self.acknowledged_items == 0 else "",
            ]
            if not self.anonymous_only:
                problems += [
                    "the owner and the sharee did not both add items"
                    if not all(self.private_items[who] > 0 for who in ("owner", "sharee"))
                    else "",
                    *[
                        f"no {action} was acknowledged on the private list"
                        for action in ITEM_ACTIONS
                        if self.item_actions[action, ACKNOWLEDGED] == 0
                    ],
                ]
        return [problem for problem in problems if problem]

    @property
    def ok(self) -> bool:
        return not self.problems()

    def item_actions_summary(self) -> list[str]:
        """A line per action, like "tick    40: 38 acknowledged, 2 on an item just deleted"."""
        lines = []
        for action in ITEM_ACTIONS:
            outcomes = {o: n for (a, o), n in sorted(self.item_actions.items()) if a == action}
            details = ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items())
            lines.append(f"  {action:<6} {sum(outcomes.values()):>5}: {details or 'none'}")
        return lines

    def summary(self) -> str:
        tally, audit = self.tally, self.audit
        load_requests = tally.requests - self.set_up_requests
        problems = self.problems()
        verdict = (
            "FAIL: " + "; ".join(problems)
            if problems
            else "PASS: every request answered as expected; nothing acknowledged was lost, "
            "duplicated or wrongly changed"
        )
        return "\n".join(
            [
                f"requests      {tally.requests}: {self.set_up_requests} setting up, "
                f"{load_requests} in {self.seconds:.1f} s of load "
                f"({load_requests / self.seconds if self.seconds else 0:.0f} req/s)",
                f"latency       p50 {tally.percentile(0.50) * 1000:.1f} ms, "
                f"p99 {tally.percentile(0.99) * 1000:.1f} ms (of the answers)",
                f"statuses      {dict(sorted(tally.statuses.items()))}",
                self._failed_line(),
                f"outages       {self._outages()}",
                *self._set_up_lines(),
                f"items         {self.acknowledged_items} acknowledged in "
                f"{len(self.acknowledged)} lists, {len(audit.lost)} lost, "
                f"{len(audit.duplicated)} duplicated",
                self._in_doubt_line(),
                *self._private_list_summary(),
                f"read-back     {self.read_back.summary() if self.read_back else 'not run'}",
                *[f"  failed: {example}" for example in tally.examples],
                *self._listed("lost", audit.lost),
                *self._listed("duplicated", audit.duplicated),
                *self._listed("wrong", audit.wrong),
                *[f"  crashed: {crash}" for crash in self.crashes],
                f"{tally.requests} requests, {tally.failed} failed, {len(audit.lost)} lost items, "
                f"{len(audit.duplicated)} duplicated",
                f"verdict       {verdict}",
            ]
        )

    def _failed_line(self) -> str:
        """How many requests failed, and how: "failed        3: connection refused 2, …"."""
        kinds = ", ".join(f"{kind} {n}" for kind, n in self.tally.failures.most_common())
        return f"failed        {self.tally.failed}" + (f": {kinds}" if kinds else "")

    def _set_up_lines(self) -> list[str]:
        if not self.set_up_failure:
            return []
        lines = [f"set-up        FAILED: {self.set_up_failure}"]
        if self.set_up_detail:
            lines.append(f"  ({self.set_up_detail})")
        return lines

    def _in_doubt_line(self) -> str:
        """What became of the adds that got no acknowledgement."""
        line = (
            f"in doubt      {self.unacknowledged_adds} adds unacknowledged: "
            f"{self.audit.unacknowledged_kept} there, {self.audit.unacknowledged_absent} not"
        )
        if self.unacknowledged_new_lists:
            line += (
                f", {self.unacknowledged_new_lists} starting a list whose address never came "
                "back (not checked)"
            )
        if self.unacknowledged_adds:
            line += (
                " (each may or may not have been applied: not lost if absent, not duplicated "
                "if there once)"
            )
        return line

    def _outages(self) -> str:
        return describe_outages(self.tally.outages(), self.load_ended_at, self.tally.wall_time)

    def _private_list_summary(self) -> list[str]:
        if self.anonymous_only:
            return [
                "private list  not run (--anonymous-only): nobody logged in, so no owner, "
                "sharee, private list, ticks, edits or deletes were tried or audited"
            ]
        return [
            f"private list  shared, items acknowledged from the owner "
            f"{self.private_items['owner']}, the sharee {self.private_items['sharee']}; "
            f"a stranger got HTTP {self.stranger_status}",
            "private list's items, what the owner and the sharee did to them:",
            *self.item_actions_summary(),
            f"audit         {len(self.item_writes)} items of the private list "
            f"({sum(item.deleted for item in self.item_writes.values())} deleted, "
            f"{len(self.contested)} contested) against the last acknowledged writes",
        ]

    @staticmethod
    def _listed(what: str, findings: list[str]) -> list[str]:
        lines = [f"  {what}: {finding}" for finding in findings[:SHOWN_EACH]]
        if len(findings) > SHOWN_EACH:
            lines.append(f"  … and {len(findings) - SHOWN_EACH} more {what}")
        return lines
