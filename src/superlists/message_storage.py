"""Django's message storage (a signed cookie, the session when the cookie is full), for less work.

Every request gets a message storage, and Django's signs nothing until there is a message to
read from or write to the cookie, yet makes its cookie signer up front (importing the signing
backend, hashing the secret key): 2 % of the home page. Here the signer is made on first use.
"""

from typing import Any

from django.contrib.messages.storage import base, cookie, fallback, session
from django.core import signing
from django.http import HttpRequest
from django.utils.functional import cached_property


class CookieStorage(cookie.CookieStorage):
    """Django's cookie storage, its signer made when a cookie is first read or written."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        # Django's __init__ is only BaseStorage's and the signer's: the first without the second.
        base.BaseStorage.__init__(self, request, *args, **kwargs)

    @cached_property
    def signer(self) -> signing.Signer:
        # (key_salt is Django's class attribute; django-stubs leave it out)
        return signing.get_cookie_signer(salt=self.key_salt)  # type: ignore[attr-defined]


class FallbackStorage(fallback.FallbackStorage):
    """Django's default storage: messages in the cookie, those that do not fit in the session."""

    storage_classes = (CookieStorage, session.SessionStorage)
