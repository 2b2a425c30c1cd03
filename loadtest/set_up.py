"""The run's set-up, which the load needs and without which it stops: the list all visitors share,
and the owner and the sharee logged in by the emailed link with a private list between them.

Its URLs are the site's entry points (the home page's forms, the login link's path, the list's
address the server answers with); every item's own URLs come from the pages (visitor.py).
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from loadtest.item_audit import ItemWrites
from loadtest.load_run import LoadRun, SetUpFailed, no_location
from loadtest.visitor import Visitor, login_link_path, rows_on
from sitekit.mail_sink import KeepMessages
from sitekit.web_client import hidden_field

CONTESTED_ITEMS = 3  # items of the private list that both people tick and edit at once
SHARED_FIRST_ITEM = "shared list, first item"
PRIVATE_FIRST_ITEM = "private list, first item"


@dataclass(frozen=True)
class PrivateList:
    path: str
    owner: Visitor
    sharee: Visitor


def set_up_private_list(
    run: LoadRun, new_visitor: Callable[[], Visitor], mailbox: KeepMessages
) -> PrivateList:
    # New addresses each run: the login links and the share are this run's own.
    run_id = secrets.token_hex(4)
    owner = _log_in(run, new_visitor(), f"owner-{run_id}@example.com", mailbox)
    sharee_email = f"sharee-{run_id}@example.com"
    sharee = _log_in(run, new_visitor(), sharee_email, mailbox)
    private_list = start_list(run, owner, PRIVATE_FIRST_ITEM)
    _share(run, owner, private_list, sharee_email)
    _add_contested_items(run, owner, private_list)
    return PrivateList(private_list, owner, sharee)


def start_list(run: LoadRun, visitor: Visitor, first_item: str) -> str:
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
        unexpected=no_location,
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
