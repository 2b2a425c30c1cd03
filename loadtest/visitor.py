"""One simulated visitor: a browser-like HTTP session that submits the site's forms."""

import html
import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEM_ROW = re.compile(r"<tr><td>\d+: (.*?)</td></tr>")


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
        match = CSRF_FIELD.search(page.body)
        if not match:
            raise RuntimeError(f"no CSRF token in the page (HTTP {page.status})")
        return match.group(1)

    def submit_item(self, action: str, text: str, form_page: Response) -> Response:
        return self.request(
            "POST", action, {"text": text, "csrfmiddlewaretoken": self.csrf_token(form_page)}
        )


def items_on(page: Response) -> list[str]:
    """The item texts in a list page's table, unescaped."""
    return [html.unescape(text) for text in ITEM_ROW.findall(page.body)]
