"""The anonymous visitors: each starts lists and adds items, a third of them to the list all
visitors share, every tenth a repeat that must be refused as a duplicate; what the server
acknowledged or left in doubt is noted for the audit."""

from loadtest.load_run import LoadRun, crash_reported, no_location, not_refused_as_duplicate
from loadtest.visitor import Visitor
from sitekit.web_client import Page

NEW_LIST_EVERY = 20  # requests
SHARED_LIST_EVERY = 3  # every third item goes to the list all visitors share
DUPLICATE_EVERY = 10  # and every tenth is a repeat, which must be refused, not crash


def visit(run: LoadRun, number: int, shared_list: str) -> None:
    """An anonymous visitor: starts lists and adds items, a third of them to the shared list,
    every tenth a repeat that must be refused; through any error, until the load ends."""
    report = run.report
    with Visitor(run.base_urls) as visitor, crash_reported(report, f"visitor {number}"):
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
        unexpected=no_location,
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
        unexpected=not_refused_as_duplicate,
    )
    return refused is not None


def _add_item(run: LoadRun, visitor: Visitor, target: str, text: str, form_page: Page) -> None:
    """Add ``text`` to the list at ``target``, noted as acknowledged or not, for the audit."""
    added = run.send(
        visitor, f"add {text!r} to {target}", {302}, visitor.submit_item, target, text, form_page
    )
    with run.report.lock:
        (run.report.acknowledged if added else run.report.unacknowledged)[target].append(text)
