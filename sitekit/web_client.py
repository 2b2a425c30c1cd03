"""One browser-like HTTP client, for every tool that uses the site through its real forms: the
load test's visitors, the benchmark (the CSRF cookie and token of its POST load; the login email
it times on staging) and the staging tests (infra/staging_tests/remote.py).

Like a browser it keeps its cookies (the CSRF cookie, the session) and its connections from one
request to the next, and sends each form with the CSRF token the form's page gave it, and that
page as the Referer. Unlike a browser it follows no redirect unless made with
``follow_redirects=True``: a form's answer is a 302 whose Location is its result (the new list's
address), and the load test times and counts that answer as one request.

It lives here rather than beside the FTs because ``requests`` is a development dependency: src/
is what the image ships, with requirements.txt only.
"""

import html
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

import requests

CSRF_FIELD = "csrfmiddlewaretoken"
REQUEST_TIMEOUT_S = 30.0


class NoSuchField(RuntimeError):
    pass


@dataclass(frozen=True)
class Page:
    """An answer: where it came from, its status, the path its Location names (a redirect's
    target; "" if none), its text, and the seconds from sending the request to its last byte."""

    url: str
    status: int
    location: str
    body: str
    seconds: float


def hidden_field(page: Page, name: str) -> str:
    """The value of the page's first form field called ``name`` (its CSRF token, a login
    token), whatever the order of the input's attributes."""
    tag = re.search(rf'<input\b[^>]*\bname="{re.escape(name)}"[^>]*>', page.body)
    value = re.search(r'\bvalue="([^"]+)"', tag.group(0)) if tag else None
    if value is None:
        raise NoSuchField(f"no {name} field in the page {page.url} (HTTP {page.status})")
    return html.unescape(value.group(1))


class WebClient:
    """A browser-like session with one site, served by one or more instances: each request goes
    to the next of ``base_urls`` in turn (they share cookies, as one site's instances do)."""

    def __init__(
        self,
        base_urls: str | Sequence[str],
        follow_redirects: bool = False,
        timeout: float = REQUEST_TIMEOUT_S,
    ) -> None:
        self.base_urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        self.follow_redirects = follow_redirects
        self.timeout = timeout
        self.session = requests.Session()
        # Straight to the site: no proxy or .netrc from the environment (they would be wrong for
        # loopback and the stand-in hosts, and looking them up costs every request CPU time).
        self.session.trust_env = False
        # That also stops requests reading REQUESTS_CA_BUNDLE (or CURL_CA_BUNDLE), which names the
        # CA certificates to trust instead of certifi's (a private CA's, as the stand-in's HTTPS
        # has): read them here, as requests would. Certificates are always checked.
        self.session.verify = (
            os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        )
        self.requests_made = 0

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Page:
        base_url = self.base_urls[self.requests_made % len(self.base_urls)]
        self.requests_made += 1
        started = time.perf_counter()
        response = self.session.request(
            method,
            base_url + path,
            data=form,
            headers=headers,
            timeout=self.timeout,
            allow_redirects=self.follow_redirects,
        )
        body = response.text  # read in full before the clock stops
        elapsed = time.perf_counter() - started
        location = urlsplit(response.headers.get("Location", "")).path
        return Page(response.url, response.status_code, location, body, elapsed)

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def csrf_token(self, page: Page) -> str:
        return hidden_field(page, CSRF_FIELD)

    def submit_form(self, action: str, fields: dict[str, str], form_page: Page) -> Page:
        """POST ``fields`` to ``action`` as a form of ``form_page`` would: with its CSRF token
        (Django checks it against our CSRF cookie) and the page as the Referer."""
        return self.request(
            "POST",
            action,
            {**fields, CSRF_FIELD: self.csrf_token(form_page)},
            headers={"Referer": form_page.url} if form_page.url else None,
        )

    def cookie_header(self) -> str:
        """Our cookies as one Cookie header, for a tool that sends requests in our name (wrk)."""
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.session.cookies)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
