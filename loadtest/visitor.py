"""One simulated visitor: a browser-like session (sitekit.web_client) that adds items, and what
the load test reads from the site's pages and emails."""

import html
import re
from dataclasses import dataclass

from sitekit.web_client import Page, WebClient

# One row of a list's table, as src/lists/templates/item_row.html (and src/speedups/rows.py) make
# it: the item's id, whether it is done, and its (escaped) text after its number.
ITEM_ROW = re.compile(
    r'<tr id="id_item_(\d+)" class="item( item-done)?">.*?<td class="item-text">\d+: (.*?)</td>'
)
ROW_START = '<tr id="id_item_'
# lists.forms.DUPLICATE_ITEM_ERROR, as the page shows it: the load test only speaks HTTP.
DUPLICATE_ITEM_ERROR = "You've already got this in your list"

ItemRow = tuple[int, str, bool]  # id, text, done

# An item's buttons and link in its row: what the load test posts to, read from the page rather
# than a copy of the app's URL patterns, so that a changed route is followed, not guessed.
ROW = re.compile(r'<tr id="id_item_(\d+)".*?</tr>', re.DOTALL)
FORM = re.compile(r'<form [^>]*action="([^"]*)"[^>]*>(.*?)</form>', re.DOTALL)
EDIT_LINK = re.compile(r'<a (?=[^>]*id="id_edit_\d+")[^>]*href="([^"]*)"')


@dataclass(frozen=True)
class ItemUrls:
    """Where an item's row sends its tick (the done form), its edit and its delete."""

    tick: str
    edit: str
    delete: str


LOGIN_LINK = re.compile(r"https?://\S+?(/accounts/login\?token=\S+)")


class PageNotUnderstood(RuntimeError):
    """A page the load test can no longer read: the load test needs updating, not the app."""


class Visitor(WebClient):
    """Keeps cookies (CSRF, session) across requests, like a browser, on any of the instances;
    never follows a redirect by itself: the load test reads each answer's status and Location."""

    def submit_item(self, action: str, text: str, form_page: Page) -> Page:
        return self.submit_form(action, {"text": text}, form_page)

    def drop_connections(self) -> None:
        """Close the connections kept open for the next requests, which then open new ones (the
        cookies stay): after a failed request they may be broken, reset or half-closed by a
        server that went away."""
        for adapter in self.session.adapters.values():
            adapter.close()


def login_link_path(email_body: str) -> str:
    """The path of the login link in a login email, to open on whichever instance we choose.

    The link's host is the site's SITE_URL, not necessarily an instance under test.
    """
    match = LOGIN_LINK.search(email_body)
    if not match:
        raise RuntimeError(f"no login link in the email: {email_body!r}")
    return match.group(1)


def rows_on(page: Page) -> list[ItemRow]:
    """Each item row of a list page's table: its id, its text (unescaped), whether it is done."""
    rows = [
        (int(item_id), html.unescape(text), bool(done))
        for item_id, done, text in ITEM_ROW.findall(page.body)
    ]
    if len(rows) != page.body.count(ROW_START):
        # Rows not understood would read as lost items: say what to fix instead.
        raise PageNotUnderstood(
            "the list page's rows are no longer what loadtest/visitor.py's ITEM_ROW expects: "
            "update it to match lists/templates/item_row.html (and speedups/rows.py)"
        )
    return rows


def item_urls_on(page: Page) -> dict[int, ItemUrls]:
    """Each item row's URLs, by item id, as its forms and edit link give them."""
    urls = {}
    for row in ROW.finditer(page.body):
        forms = FORM.findall(row.group(0))
        tick = [action for action, inside in forms if 'id="id_done_' in inside]
        delete = [action for action, inside in forms if 'id="id_delete_' in inside]
        edit = EDIT_LINK.findall(row.group(0))
        if not (len(tick) == len(delete) == len(edit) == 1):
            raise PageNotUnderstood(
                "an item row's done form, edit link or delete form is no longer what "
                "loadtest/visitor.py's item_urls_on expects: update it to match "
                "lists/templates/item_row.html (and speedups/rows.py)"
            )
        urls[int(row.group(1))] = ItemUrls(*(html.unescape(url[0]) for url in (tick, edit, delete)))
    return urls


def items_on(page: Page) -> list[str]:
    """The item texts in a list page's table, unescaped."""
    return [text for _, text, _ in rows_on(page)]


def says(page: Page, message: str) -> bool:
    """Whether the page shows ``message`` (which it shows escaped)."""
    return message in html.unescape(page.body)
