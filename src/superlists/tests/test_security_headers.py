import re

from django.conf import settings
from django.test import TestCase, override_settings

from accounts.tokens import issue_login_token

TEMPLATES = sorted(settings.BASE_DIR.glob("*/templates/**/*.html"))

# What a Content-Security-Policy without 'unsafe-inline' blocks, as it appears in a template.
INLINE_CODE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


class ContentSecurityPolicyTest(TestCase):
    def policy(self, url: str = "/") -> dict[str, list[str]]:
        header = self.client.get(url)["Content-Security-Policy"]
        directives = (directive.split() for directive in header.split(";") if directive.strip())
        return {name: sources for name, *sources in directives}

    def test_only_the_sites_own_resources_and_nothing_inline(self) -> None:
        policy = self.policy()
        self.assertEqual(policy["default-src"], ["'self'"])
        self.assertEqual(policy["frame-ancestors"], ["'none'"])
        self.assertEqual(policy["form-action"], ["'self'"])
        for sources in policy.values():
            self.assertNotIn("'unsafe-inline'", sources)
            self.assertNotIn("'unsafe-eval'", sources)

    def test_every_page_has_it_including_the_login_confirmation(self) -> None:
        token = issue_login_token("edith@example.com")
        for url in ["/", "/lists/987654321/", f"/accounts/login?token={token}"]:
            with self.subTest(url=url):
                self.assertEqual(self.policy(url)["default-src"], ["'self'"])

    def test_our_templates_have_nothing_the_policy_would_block(self) -> None:
        self.assertTrue(TEMPLATES)
        for template in TEMPLATES:
            text = template.read_text()
            for what, pattern in INLINE_CODE.items():
                with self.subTest(template=template.name, what=what):
                    self.assertIsNone(pattern.search(text))

    def test_the_template_check_would_catch_inline_code(self) -> None:
        for sample in ["<script>x()</script>", '<p style="color: red">', '<a onclick="x()">']:
            with self.subTest(sample=sample):
                self.assertTrue(any(p.search(sample) for p in INLINE_CODE.values()))
        self.assertFalse(
            any(p.search('<script src="/static/x.js"></script>') for p in INLINE_CODE.values())
        )


class OtherSecurityHeadersTest(TestCase):
    def test_pages_may_not_be_framed_or_sniffed(self) -> None:
        response = self.client.get("/")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_cookies_are_http_only(self) -> None:
        self.client.post("/accounts/login", data={"token": issue_login_token("edith@example.com")})
        response = self.client.get("/")  # its form sets the CSRF cookie
        self.assertTrue(self.client.cookies[settings.SESSION_COOKIE_NAME]["httponly"])
        self.assertTrue(response.cookies[settings.CSRF_COOKIE_NAME]["httponly"])


class StrictTransportSecurityTest(TestCase):
    """The header browsers get over HTTPS: subdomains and preloading only when asked for
    (DJANGO_HSTS_INCLUDE_SUBDOMAINS, DJANGO_HSTS_PRELOAD; test_settings reads them)."""

    @override_settings(SECURE_HSTS_SECONDS=3600)
    def test_by_default_only_this_host_for_the_time_given(self) -> None:
        response = self.client.get("/", secure=True)
        self.assertEqual(response["Strict-Transport-Security"], "max-age=3600")

    @override_settings(
        SECURE_HSTS_SECONDS=3600, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
    )
    def test_subdomains_and_preloading_when_opted_in(self) -> None:
        response = self.client.get("/", secure=True)
        self.assertEqual(
            response["Strict-Transport-Security"], "max-age=3600; includeSubDomains; preload"
        )
