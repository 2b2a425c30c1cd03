"""When the load is over: every list read back, as someone who may see it, and audited against
what the server acknowledged (item_audit.py); the private list must be hidden from a stranger."""

from loadtest.item_audit import audit, check_adds
from loadtest.read_back import ReadBack
from loadtest.report import Report
from loadtest.set_up import PrivateList
from loadtest.visitor import PageNotUnderstood, Visitor, items_on, rows_on


def read_back(
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
