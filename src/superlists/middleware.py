"""Our middleware: the same protection as django-csp's and Django's CSRF middleware, for less work.

Every page sends the Content-Security-Policy header, and a new visitor's page makes a CSRF
secret; the two were a sixth of the home page's time (see bench/README.md).
Neither changes what is protected or how: the header is the text django-csp builds, and CSRF
tokens are still made, masked and checked by Django's own middleware.
"""

import functools
import secrets
from collections.abc import Callable

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.middleware import csrf

# Django's own CSRF secret format: 32 characters of this alphabet of 62.
CSRF_SECRET_LENGTH = csrf.CSRF_SECRET_LENGTH
CSRF_ALLOWED_CHARS = csrf.CSRF_ALLOWED_CHARS
# The largest multiple of 62 a byte can reach: a byte below it, taken modulo 62, is uniform.
_UNBIASED_BYTES = 256 - 256 % len(CSRF_ALLOWED_CHARS)


def new_csrf_secret() -> str:
    """A new CSRF secret: 32 characters, each drawn uniformly from Django's alphabet of 62.

    The same distribution, and so the same 190 bits of entropy, as Django's own
    ``get_random_string``, from the same source (the OS's CSPRNG, through ``secrets``), but read
    once rather than 32 times, one ``secrets.choice`` each. A byte of 248 or more is thrown away
    rather than wrapped round, so that no character is likelier than another (rejection
    sampling, as ``secrets.choice`` does inside).
    """
    characters: list[str] = []
    while len(characters) < CSRF_SECRET_LENGTH:
        characters += [
            CSRF_ALLOWED_CHARS[byte % len(CSRF_ALLOWED_CHARS)]
            for byte in secrets.token_bytes(CSRF_SECRET_LENGTH + 8)
            if byte < _UNBIASED_BYTES
        ]
    return "".join(characters[:CSRF_SECRET_LENGTH])


class NewVisitorCsrfSecretMiddleware:
    """Makes a new visitor's CSRF secret in one read of the CSPRNG, for Django's CSRF middleware.

    For a request without a CSRF cookie, Django makes the secret when a page first asks for a
    token, with 32 calls to ``secrets.choice`` (~50 µs). Here it is made up front with
    ``new_csrf_secret`` and left where Django's ``CsrfViewMiddleware`` keeps the secret it is
    going to use (``request.META["CSRF_COOKIE"]``, which that middleware fills from the cookie
    when there is one, in either order). Django does the rest as before: it sets the cookie only
    if the page used a token, masks the token in the page, and checks a POST against the cookie
    the browser sends back, never against this value, so a POST without a cookie is refused.

    A separate middleware rather than a subclass of Django's, so that ``check --deploy`` still
    sees Django's CSRF middleware and checks its cookie settings.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if "CSRF_COOKIE" not in request.META:
            request.META["CSRF_COOKIE"] = new_csrf_secret()
        return self.get_response(request)


@functools.cache
def settings_policies() -> tuple[str, str] | None:
    """The settings' Content-Security-Policy and report-only policy, as django-csp builds them,
    or None if either excludes URL prefixes. Built again only when a test changes the settings."""
    configured = (
        getattr(settings, "CONTENT_SECURITY_POLICY", None),
        getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None),
    )
    if any((policy or {}).get("EXCLUDE_URL_PREFIXES") for policy in configured):
        return None
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def forget_settings_policies(*, setting: str, **kwargs: object) -> None:
    if setting in {"CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"}:
        settings_policies.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the settings' policy built once rather than per response.

    django-csp builds the header from ``CONTENT_SECURITY_POLICY`` on every response, twice
    (the policy and the report-only one): ~60 µs a page. The settings do not change while the
    server runs, so the policy is built once, by django-csp's own ``build_policy``, and the
    same text is sent on every page. Anything that makes a response's policy differ from the
    settings' (the ``csp_update``/``csp_replace``/``csp`` and ``csp_exempt`` decorators, a nonce,
    ``EXCLUDE_URL_PREFIXES``; and in development, DEBUG's error pages) is left to django-csp.
    """

    def has_its_own_policy(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        """Whether a decorator or a nonce makes this response's policy differ from the settings'."""
        as_configured = PolicyParts()
        return (
            self.get_policy_parts(request, response) != as_configured
            or self.get_policy_parts(request, response, report_only=True) != as_configured
            or hasattr(response, "_csp_exempt")
            or hasattr(response, "_csp_exempt_ro")
        )

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        policies = settings_policies()
        if policies is None or settings.DEBUG or self.has_its_own_policy(request, response):
            return super().process_response(request, response)
        policy, report_only_policy = policies
        # As django-csp does: a header the view set itself is left alone.
        if policy:
            response.headers.setdefault(HEADER, policy)
        if report_only_policy:
            response.headers.setdefault(HEADER_REPORT_ONLY, report_only_policy)
        # As django-csp does: a nonce asked for after the header is written is an error. (The
        # attribute is django-csp's, unknown to Django's HttpRequest type.)
        nonce_guard = CheckableLazyObject(self._csp_nonce_post_response)
        request.csp_nonce = nonce_guard  # type: ignore[attr-defined]
        return response
