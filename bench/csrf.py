"""A CSRF token and its cookie, fetched from a page as a browser would get them."""

import re
import urllib.request
from dataclasses import dataclass
from http.cookies import SimpleCookie

TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
COOKIE_NAME = "csrftoken"  # Django's default CSRF_COOKIE_NAME; settings.py does not change it


class NoCsrfToken(RuntimeError):
    pass


@dataclass(frozen=True)
class CsrfPair:
    token: str
    cookie_header: str


def csrf_from_response(set_cookie_headers: list[str], html: str) -> CsrfPair:
    cookies: SimpleCookie = SimpleCookie()
    for header in set_cookie_headers:
        cookies.load(header)
    field = TOKEN_FIELD.search(html)
    if COOKIE_NAME not in cookies or field is None:
        raise NoCsrfToken("the page set no CSRF cookie or has no csrfmiddlewaretoken field")
    return CsrfPair(
        token=field.group(1), cookie_header=f"{COOKIE_NAME}={cookies[COOKIE_NAME].value}"
    )


def fetch_csrf(page_url: str) -> CsrfPair:
    with urllib.request.urlopen(page_url, timeout=10) as response:
        set_cookies = response.headers.get_all("Set-Cookie") or []
        html = response.read().decode()
    return csrf_from_response(set_cookies, html)
