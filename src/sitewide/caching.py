"""Pages shown to a logged-in user are theirs alone: no cache may keep them.

Every such page names the user in its navbar, and most show their private lists; a shared
cache (a proxy, a CDN) or the browser's disk cache on a shared computer must not keep a copy.
Pages for visitors who are not logged in (the home page, lists made without logging in, open to
whoever has the link) are left as Django sends them.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every response to a logged-in user, unless the
    view has said something itself (``never_cache``, which says more)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Whoever sent no session cookie is not logged in: no need to load their session to know.
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and "Cache-Control" not in response
            and request.user.is_authenticated
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
