"""Every page's Content-Security-Policy, as django-csp's own middleware sends it from the
settings: the settings' text on every page, its decorators, nonces and exemptions honoured."""

from collections.abc import Callable

from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import RequestFactory, TestCase, override_settings

from accounts.tokens import issue_login_token

View = Callable[[HttpRequest], HttpResponseBase]


def plain_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("a page")


def through(middleware: Callable[[HttpRequest], object], request: HttpRequest) -> HttpResponseBase:
    """``middleware``'s response to ``request`` (a sync response: ours are sync middleware)."""
    response = middleware(request)
    assert isinstance(response, HttpResponseBase)
    return response


def page(view: View = plain_page, request: HttpRequest | None = None) -> HttpResponseBase:
    """What django-csp's middleware answers, around ``view``, to ``request`` (GET / by default)."""
    return through(CSPMiddleware(view), request or RequestFactory().get("/"))


class ContentSecurityPolicyTest(TestCase):
    def test_every_page_gets_the_text_django_csp_builds_from_the_settings(self) -> None:
        token = issue_login_token("edith@example.com")
        for url in ["/", "/lists/987654321/", f"/accounts/login?token={token}"]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response[HEADER], build_policy())
                self.assertNotIn(HEADER_REPORT_ONLY, response)

    @override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}})
    def test_a_changed_setting_is_followed(self) -> None:
        self.assertEqual(self.client.get("/")[HEADER], "default-src 'none'")

    @override_settings(
        CONTENT_SECURITY_POLICY_REPORT_ONLY={
            "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-reports/"}
        }
    )
    def test_a_report_only_policy_is_sent_too(self) -> None:
        response = self.client.get("/")
        self.assertEqual(response[HEADER], build_policy())
        self.assertEqual(response[HEADER_REPORT_ONLY], build_policy(report_only=True))

    def test_a_header_the_view_set_is_left_alone(self) -> None:
        def view(request: HttpRequest) -> HttpResponse:
            return HttpResponse(headers={HEADER: "default-src 'none'"})

        self.assertEqual(page(view)[HEADER], "default-src 'none'")

    def test_django_csps_view_decorators_still_apply(self) -> None:
        @csp_update({"img-src": "https://images.example.com"})
        def updated(request: HttpRequest) -> HttpResponse:
            return HttpResponse()

        @csp_exempt()
        def exempt(request: HttpRequest) -> HttpResponse:
            return HttpResponse()

        policy = page(updated)[HEADER]
        self.assertIn("img-src 'self' data: https://images.example.com", policy)
        self.assertFalse(page(exempt).has_header(HEADER))

    def test_a_nonce_is_still_refused_once_the_header_is_written(self) -> None:
        request = RequestFactory().get("/")
        page(request=request)
        with self.assertRaises(CSPNonceError):
            str(request.csp_nonce)  # type: ignore[attr-defined]

    @override_settings(
        CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": [SELF, NONCE]}},
    )
    def test_a_page_that_used_a_nonce_gets_it_in_its_policy(self) -> None:
        def with_nonce(request: HttpRequest) -> HttpResponse:
            return HttpResponse(str(request.csp_nonce))  # type: ignore[attr-defined]

        request = RequestFactory().get("/")
        response = page(with_nonce, request)
        self.assertIn(f"'nonce-{request.csp_nonce}'", response[HEADER])  # type: ignore[attr-defined]
