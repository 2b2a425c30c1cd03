"""What the app believes of the headers our own reverse proxy writes: one rule, used for the
client's address (the login throttle, the request log) and for the request ID.

``settings.REVERSE_PROXIES`` (``DJANGO_REVERSE_PROXIES``) says how many of our proxies stand in
front of gunicorn. Without any, a client talks to gunicorn directly, and every header is its
own word: none is believed. With them, each proxy appends the address it saw to
``X-Forwarded-For`` and sets ``X-Request-ID`` whatever the client sent (the Caddyfile's
``header_up``), so the client's address is that many entries from the end, and anything further
left was written by the client and may be forged.
"""

from django.conf import settings
from django.http import HttpRequest


def behind_our_proxy(request: HttpRequest) -> bool:
    """Whether ``request`` came through our proxy: the settings say there is one, and it added
    its ``X-Forwarded-For`` entry. A request without one came straight to gunicorn (a health
    check from the host, the image's HEALTHCHECK, a scrape of /metrics on the host)."""
    return bool(settings.REVERSE_PROXIES) and "HTTP_X_FORWARDED_FOR" in request.META


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or the ``X-Forwarded-For`` entry our proxy wrote."""
    address: str = request.META.get("REMOTE_ADDR", "")
    if settings.REVERSE_PROXIES:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        if len(forwarded) >= settings.REVERSE_PROXIES and forwarded[-settings.REVERSE_PROXIES]:
            address = forwarded[-settings.REVERSE_PROXIES]
    return address
