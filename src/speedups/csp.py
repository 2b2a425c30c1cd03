"""django-csp's middleware, with the same protection for less work.

Every page sends the Content-Security-Policy header; building it twice a response was 9 % of the
home page's work (see bench/HISTORY.md). The header is still the text django-csp builds from the
settings. What makes a response's policy differ is read through django-csp's public extension
point, ``CSPMiddleware.get_policy_parts``; only the ``csp_exempt`` decorator's marks have no
public reader, so they are read as django-csp's own ``process_response`` reads them.
"""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.exceptions import CSPNonceError
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# What the csp_exempt decorator sets on a response (django-csp has no public reader for it).
EXEMPTIONS = ("_csp_exempt", "_csp_exempt_ro")
NO_POLICY_PARTS = PolicyParts()


def nonce_after_the_header() -> None:
    """What asking for a nonce after the header is written does, as in django-csp 4.0."""
    raise CSPNonceError(
        "The 'csp_nonce' attribute is not available after the CSP header has been written. "
        "Consider adjusting your MIDDLEWARE order."
    )


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
        """Whether a decorator or a nonce makes this response's policy differ from the settings':
        any of django-csp's policy parts, for either policy, or an exemption."""
        return (
            self.get_policy_parts(request, response) != NO_POLICY_PARTS
            or self.get_policy_parts(request, response, report_only=True) != NO_POLICY_PARTS
            or any(getattr(response, exemption, None) is not None for exemption in EXEMPTIONS)
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
        nonce_guard = CheckableLazyObject(nonce_after_the_header)
        request.csp_nonce = nonce_guard  # type: ignore[attr-defined]
        return response
