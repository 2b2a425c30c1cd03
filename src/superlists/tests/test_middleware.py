import re
from collections import Counter
from collections.abc import Callable
from unittest.mock import patch

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory, SimpleTestCase, TestCase, override_settings

from accounts.tokens import issue_login_token
from superlists.middleware import (
    ContentSecurityPolicyMiddleware,
    NewVisitorCsrfSecretMiddleware,
    new_csrf_secret,
    settings_policies,
)

View = Callable[[HttpRequest], HttpResponseBase]
CSRF_SECRET = re.compile(f"[{re.escape(CSRF_ALLOWED_CHARS)}]{{32}}")
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def plain_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("a page")


def through(middleware: Callable[[HttpRequest], object], request: HttpRequest) -> HttpResponseBase:
    """``middleware``'s response to ``request`` (a sync response: ours are sync middleware)."""
    response = middleware(request)
    assert isinstance(response, HttpResponseBase)
    return response


def page(view: View = plain_page, request: HttpRequest | None = None) -> HttpResponseBase:
    """What our CSP middleware answers, around ``view``, to ``request`` (a GET of / by default)."""
    return through(ContentSecurityPolicyMiddleware(view), request or RequestFactory().get("/"))


class ContentSecurityPolicyMiddlewareTest(TestCase):
    def setUp(self) -> None:
        settings_policies.cache_clear()

    def test_every_page_gets_the_text_django_csp_builds_from_the_settings(self) -> None:
        token = issue_login_token("edith@example.com")
        for url in ["/", "/lists/987654321/", f"/accounts/login?token={token}"]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response[HEADER], build_policy())
                self.assertNotIn(HEADER_REPORT_ONLY, response)

    def test_the_policy_is_built_once_not_for_every_response(self) -> None:
        with (
            patch("superlists.middleware.build_policy", wraps=build_policy) as ours,
            patch("csp.middleware.build_policy", wraps=build_policy) as django_csps,
        ):
            for _ in range(3):
                self.client.get("/")
        self.assertEqual(ours.call_count, 2)  # the policy and the (empty) report-only one
        django_csps.assert_not_called()

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


class NewVisitorCsrfSecretTest(TestCase):
    def csrf_cookie(self, client: Client) -> str:
        return client.get("/").cookies[settings.CSRF_COOKIE_NAME].value

    def test_a_new_visitor_gets_a_secret_of_djangos_format_different_each_time(self) -> None:
        seen = [self.csrf_cookie(Client()) for _ in range(5)]
        for secret in seen:
            self.assertRegex(secret, CSRF_SECRET)
        self.assertEqual(len(set(seen)), 5)

    def test_the_secret_is_made_by_new_csrf_secret(self) -> None:
        with patch("superlists.middleware.new_csrf_secret", return_value="s" * 32):
            self.assertEqual(self.csrf_cookie(Client()), "s" * 32)

    def test_a_returning_visitor_keeps_their_secret(self) -> None:
        client = Client()
        secret = self.csrf_cookie(client)
        self.assertEqual(self.csrf_cookie(client), secret)

    def test_only_a_page_that_uses_a_token_sets_the_cookie(self) -> None:
        def with_form(request: HttpRequest) -> HttpResponse:
            return HttpResponse(get_token(request))

        for view, sets_cookie in [(with_form, True), (plain_page, False)]:
            with self.subTest(sets_cookie=sets_cookie):
                both = CsrfViewMiddleware(NewVisitorCsrfSecretMiddleware(view))
                response = through(both, RequestFactory().get("/"))
                self.assertEqual(settings.CSRF_COOKIE_NAME in response.cookies, sets_cookie)

    def test_the_pages_token_works_only_with_the_cookie_that_came_with_it(self) -> None:
        edith, mallory = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        field = TOKEN_FIELD.search(edith.get("/").content.decode())
        assert field is not None
        token = field.group(1)
        mallory.get("/")  # a cookie of her own
        form = {"csrfmiddlewaretoken": token, "text": "Buy peacock feathers"}
        self.assertEqual(Client(enforce_csrf_checks=True).post("/lists/new", form).status_code, 403)
        self.assertEqual(mallory.post("/lists/new", form).status_code, 403)
        self.assertEqual(edith.post("/lists/new", form).status_code, 302)


class NewCsrfSecretTest(SimpleTestCase):
    def test_32_characters_of_djangos_alphabet(self) -> None:
        for _ in range(100):
            self.assertRegex(new_csrf_secret(), CSRF_SECRET)

    def test_every_character_equally_likely(self) -> None:
        counts = Counter("".join(new_csrf_secret() for _ in range(1000)))
        self.assertEqual(set(counts), set(CSRF_ALLOWED_CHARS))
        expected = 32_000 / len(CSRF_ALLOWED_CHARS)  # 516, with a standard deviation of ~22
        for character, count in counts.items():
            with self.subTest(character=character):
                self.assertLess(abs(count - expected), 8 * 22)

    def test_bytes_that_would_favour_some_characters_are_thrown_away(self) -> None:
        # 248 and above would wrap round onto the first 8 characters: such bytes are skipped.
        biased, usable = bytes(range(248, 256)) * 5, bytes(range(40))
        with patch("secrets.token_bytes", side_effect=[biased, usable]):
            self.assertEqual(new_csrf_secret(), CSRF_ALLOWED_CHARS[:32])
