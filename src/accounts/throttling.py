"""How many emails we may be made to send each minute: login emails per address and per client,
share emails per list owner, per recipient and per client.

The counts live in Django's ``default`` cache, so several app instances sharing one cache share
the limits. Each count is for one clock minute, named in its key: some caches' ``incr`` (the
database cache's) restarts the entry's timeout, so the timeout cannot be what ends a window.
"""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from observability.proxies import client_address

WINDOW_SECONDS = 60


def allow_login_email(request: HttpRequest, email: str) -> bool:
    """Count this request against ``email`` and against the client; False if either is over.

    The address is lower-cased so that ``Edith@`` and ``edith@`` share a limit.
    """
    return _within_limits(
        (
            _count_request("login-address", email.lower()),
            settings.LOGIN_EMAILS_PER_MINUTE_PER_ADDRESS,
        ),
        (
            _count_request("login-client", client_network(request)),
            settings.LOGIN_EMAILS_PER_MINUTE_PER_IP,
        ),
    )


def allow_share_email(request: HttpRequest, owner: str, sharee: str) -> bool:
    """Count a share against its owner, its recipient and the client; False if any is over.

    Counted before the share is made, so that a share over the limit makes nothing: neither the
    share, nor an account for the address, nor an email. Sharing and removing a sharee over and
    over, or sharing with many addresses, cannot be used to flood someone's (or many people's)
    mailbox from our server.
    """
    return _within_limits(
        (_count_request("share-owner", owner.lower()), settings.SHARE_EMAILS_PER_MINUTE_PER_OWNER),
        (
            _count_request("share-address", sharee.lower()),
            settings.SHARE_EMAILS_PER_MINUTE_PER_ADDRESS,
        ),
        (
            _count_request("share-client", client_network(request)),
            settings.SHARE_EMAILS_PER_MINUTE_PER_IP,
        ),
    )


def _within_limits(*counts_and_limits: tuple[int, int]) -> bool:
    # Every count has been made before this is asked: each limit counts every request.
    return all(count <= limit for count, limit in counts_and_limits)


def client_network(request: HttpRequest) -> str:
    """The client's IPv4 address, or its IPv6 /64 (one subscriber usually holds a whole /64).

    The address is ``observability.proxies.client_address``'s: ``X-Forwarded-For`` is believed
    only as far as ``settings.REVERSE_PROXIES`` says.
    """
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _count_request(scope: str, value: str) -> int:
    window = int(time.time() // WINDOW_SECONDS)
    # Hashed: the key then holds no email address, and no character a cache might refuse.
    key = f"emails:{scope}:{window}:{hashlib.sha256(value.encode()).hexdigest()}"
    if cache.add(key, 1, timeout=2 * WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.add(key, 1, timeout=2 * WINDOW_SECONDS)
        return 1
