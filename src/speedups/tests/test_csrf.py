import re
from collections import Counter
from unittest.mock import patch

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware import csrf as django_csrf
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CsrfViewMiddleware
from django.template import engines
from django.test import Client, RequestFactory, SimpleTestCase, TestCase

from speedups.csrf import LazyToken, csrf, get_token, random_csrf_string

CSRF_SECRET = re.compile(f"[{re.escape(CSRF_ALLOWED_CHARS)}]{{32}}")
CSRF_TOKEN = re.compile(f"[{re.escape(CSRF_ALLOWED_CHARS)}]{{64}}")
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Django's own checks of a token: private, and left out of django-stubs.
_unmask_cipher_token = django_csrf._unmask_cipher_token  # type: ignore[attr-defined]
_does_token_match = django_csrf._does_token_match  # type: ignore[attr-defined]


def through_csrf_middleware(view: object, request: HttpRequest) -> HttpResponse:
    response = CsrfViewMiddleware(view)(request)  # type: ignore[arg-type]
    assert isinstance(response, HttpResponse)
    return response


class NewVisitorTest(TestCase):
    def csrf_cookie(self, client: Client) -> str:
        return client.get("/").cookies[settings.CSRF_COOKIE_NAME].value

    def test_a_new_visitor_gets_a_secret_of_djangos_format_different_each_time(self) -> None:
        seen = [self.csrf_cookie(Client()) for _ in range(5)]
        for secret in seen:
            self.assertRegex(secret, CSRF_SECRET)
        self.assertEqual(len(set(seen)), 5)

    def test_the_secret_is_made_by_random_csrf_string(self) -> None:
        with patch("speedups.csrf.random_csrf_string", return_value="s" * 32):
            self.assertEqual(self.csrf_cookie(Client()), "s" * 32)

    def test_a_returning_visitor_keeps_their_secret(self) -> None:
        client = Client()
        secret = self.csrf_cookie(client)
        self.assertEqual(self.csrf_cookie(client), secret)

    def test_the_page_shows_the_secret_masked_afresh_each_time(self) -> None:
        client = Client()
        tokens = [TOKEN_FIELD.findall(client.get("/").content.decode()) for _ in range(2)]
        secret = client.cookies[settings.CSRF_COOKIE_NAME].value
        for token in tokens[0] + tokens[1]:
            self.assertRegex(token, CSRF_TOKEN)
            self.assertEqual(_unmask_cipher_token(token), secret)
        self.assertNotEqual(tokens[0][0], tokens[1][0])

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


class GetTokenTest(SimpleTestCase):
    """``speedups.csrf.get_token`` does what Django's does."""

    def test_a_new_visitors_secret_goes_where_djangos_middleware_looks_for_it(self) -> None:
        request = RequestFactory().get("/")
        token = get_token(request)
        secret = request.META["CSRF_COOKIE"]
        self.assertRegex(secret, CSRF_SECRET)
        self.assertTrue(request.META["CSRF_COOKIE_NEEDS_UPDATE"])
        self.assertTrue(_does_token_match(token, secret))

    def test_an_existing_secret_is_kept_and_masked(self) -> None:
        request = RequestFactory().get("/")
        request.META["CSRF_COOKIE"] = secret = random_csrf_string()
        tokens = {get_token(request) for _ in range(20)}
        self.assertEqual(len(tokens), 20)  # a new mask each time
        for token in tokens:
            self.assertRegex(token, CSRF_TOKEN)
            self.assertEqual(_unmask_cipher_token(token), secret)
        self.assertEqual(request.META["CSRF_COOKIE"], secret)
        self.assertTrue(request.META["CSRF_COOKIE_NEEDS_UPDATE"])

    def test_the_cipher_is_the_secret_shifted_by_the_mask(self) -> None:
        request = RequestFactory().get("/")
        request.META["CSRF_COOKIE"] = "a" * 30 + "89"
        mask = "b" * 31 + "9"
        with patch("speedups.csrf.random_csrf_string", return_value=mask):
            # a (0) + b (1) = b; 8 (60) + b (1) = 9 (61); 9 (61) + 9 (61) = 122 % 62 = 60, 8
            self.assertEqual(get_token(request), mask + "b" * 30 + "98")

    def test_only_a_page_that_uses_a_token_gets_the_cookie(self) -> None:
        def with_form(request: HttpRequest) -> HttpResponse:
            return HttpResponse(get_token(request))

        def plain_page(request: HttpRequest) -> HttpResponse:
            return HttpResponse("a page")

        for view, sets_cookie in [(with_form, True), (plain_page, False)]:
            with self.subTest(sets_cookie=sets_cookie):
                response = through_csrf_middleware(view, RequestFactory().get("/"))
                self.assertEqual(settings.CSRF_COOKIE_NAME in response.cookies, sets_cookie)


class TemplatesTokenTest(SimpleTestCase):
    def render(self, source: str, request: HttpRequest) -> str:
        return engines["django"].from_string(source).render({}, request)

    def test_csrf_token_in_a_template_is_ours(self) -> None:
        request = RequestFactory().get("/")
        with patch("speedups.csrf.get_token", return_value="t" * 64) as ours:
            html = self.render("{% csrf_token %}", request)
        ours.assert_called_once_with(request)
        field = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        self.assertEqual(html, field.format("t" * 64))

    def test_a_template_that_shows_no_token_sets_no_cookie(self) -> None:
        def render_page(source: str) -> object:
            def view(request: HttpRequest) -> HttpResponse:
                return HttpResponse(self.render(source, request))

            return view

        for source, sets_cookie in [("{% csrf_token %}", True), ("no form here", False)]:
            with self.subTest(source=source):
                response = through_csrf_middleware(render_page(source), RequestFactory().get("/"))
                self.assertEqual(settings.CSRF_COOKIE_NAME in response.cookies, sets_cookie)

    def test_the_token_is_made_once_per_render_however_often_shown(self) -> None:
        request = RequestFactory().get("/")
        with patch("speedups.csrf.get_token", side_effect=["1" * 64, "2" * 64]) as ours:
            html = self.render("{% csrf_token %}{% csrf_token %}{{ csrf_token }}", request)
        self.assertEqual(ours.call_count, 1)
        self.assertEqual(html.count("1" * 64), 3)

    def test_the_lazy_token_is_a_string_to_the_templates(self) -> None:
        request = RequestFactory().get("/")
        request.META["CSRF_COOKIE"] = random_csrf_string()
        token = csrf(request)["csrf_token"]
        self.assertIsInstance(token, LazyToken)
        self.assertNotIn("CSRF_COOKIE_NEEDS_UPDATE", request.META)  # not made until shown
        self.assertTrue(token)
        self.assertEqual(token, str(token))
        self.assertEqual(token.__html__(), str(token))  # type: ignore[attr-defined]
        self.assertEqual(hash(token), hash(str(token)))
        self.assertTrue(request.META["CSRF_COOKIE_NEEDS_UPDATE"])


class RandomCsrfStringTest(SimpleTestCase):
    def test_32_characters_of_djangos_alphabet(self) -> None:
        for _ in range(100):
            self.assertRegex(random_csrf_string(), CSRF_SECRET)

    def test_every_character_equally_likely(self) -> None:
        counts = Counter("".join(random_csrf_string() for _ in range(1000)))
        self.assertEqual(set(counts), set(CSRF_ALLOWED_CHARS))
        expected = 32_000 / len(CSRF_ALLOWED_CHARS)  # 516, with a standard deviation of ~22
        for character, count in counts.items():
            with self.subTest(character=character):
                self.assertLess(abs(count - expected), 8 * 22)

    def test_bytes_that_would_favour_some_characters_are_thrown_away(self) -> None:
        # 248 and above would wrap round onto the first 8 characters: such bytes are skipped.
        biased, usable = bytes(range(248, 256)) * 5, bytes(range(40))
        with patch("secrets.token_bytes", side_effect=[biased, usable]):
            self.assertEqual(random_csrf_string(), CSRF_ALLOWED_CHARS[:32])

    def test_each_byte_below_248_is_its_value_modulo_62(self) -> None:
        wrapped_round = bytes(range(62, 102)) + bytes(range(186, 194))  # 62 is 0, 186 is 0, ...
        with patch("secrets.token_bytes", return_value=wrapped_round):
            self.assertEqual(random_csrf_string(), CSRF_ALLOWED_CHARS[:32])
