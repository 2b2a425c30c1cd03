"""One simulated visitor: a browser-like HTTP session that submits the site's forms."""

import html
import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

# One row of a list's table, as src/lists/templatetags/list_rows.py's ROW makes it: the item's
# id, whether it is done, and its (escaped) text after its number.
ITEM_ROW = re.compile(
    r'<tr id="id_item_(\d+)" class="item( item-done)?">.*?<td class="item-text">\d+: (.*?)</td>'
)
ROW_START = '<tr id="id_item_'
# lists.forms.DUPLICATE_ITEM_ERROR, as the page shows it: the load test only speaks HTTP.
DUPLICATE_ITEM_ERROR = "You've already got this in your list"

ItemRow = tuple[int, str, bool]  # id, text, done

LOGIN_LINK = re.compile(r"https?://\S+?(/accounts/login\?token=\S+)")


@dataclass
class Response:
    status: int
    location: str
    body: str
    seconds: float


@dataclass
class Visitor:
    """Keeps cookies (CSRF, session) across requests, like a browser, on any of the instances."""

    base_urls: list[str]
    cookies: SimpleCookie = field(default_factory=SimpleCookie)
    requests_made: int = 0

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        url = urllib.parse.urlsplit(self.base_urls[self.requests_made % len(self.base_urls)])
        self.requests_made += 1
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        for cookie in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(cookie)
        location = urllib.parse.urlsplit(response.headers.get("Location", "")).path
        return Response(response.status, location, text, elapsed)

    def csrf_token(self, page: Response) -> str:
        return hidden_field(page, "csrfmiddlewaretoken")

    def submit_form(self, action: str, fields: dict[str, str], form_page: Response) -> Response:
        """POST ``fields`` to ``action`` with the CSRF token of ``form_page``, as its form would."""
        return self.request(
            "POST", action, {**fields, "csrfmiddlewaretoken": self.csrf_token(form_page)}
        )

    def submit_item(self, action: str, text: str, form_page: Response) -> Response:
        return self.submit_form(action, {"text": text}, form_page)


def hidden_field(page: Response, name: str) -> str:
    """The value of the page's hidden form field ``name``."""
    match = re.search(rf'name="{re.escape(name)}" value="([^"]+)"', page.body)
    if not match:
        raise RuntimeError(f"no {name} field in the page (HTTP {page.status})")
    return match.group(1)


def login_link_path(email_body: str) -> str:
    """The path of the login link in a login email, to open on whichever instance we choose.

    The link's host is the site's SITE_URL, not necessarily an instance under test.
    """
    match = LOGIN_LINK.search(email_body)
    if not match:
        raise RuntimeError(f"no login link in the email: {email_body!r}")
    return match.group(1)


def rows_on(page: Response) -> list[ItemRow]:
    """Each item row of a list page's table: its id, its text (unescaped), whether it is done."""
    rows = [
        (int(item_id), html.unescape(text), bool(done))
        for item_id, done, text in ITEM_ROW.findall(page.body)
    ]
    if len(rows) != page.body.count(ROW_START):
        # Rows not understood would read as lost items: say what to fix instead.
        raise RuntimeError(
            "the list page's rows are no longer what loadtest/visitor.py's ITEM_ROW expects: "
            "update it to match src/lists/templatetags/list_rows.py's ROW"
        )
    return rows


def items_on(page: Response) -> list[str]:
    """The item texts in a list page's table, unescaped."""
    return [text for _, text, _ in rows_on(page)]


def says(page: Response, message: str) -> bool:
    """Whether the page shows ``message`` (which it shows escaped)."""
    return message in html.unescape(page.body)
