from typing import TYPE_CHECKING

from django.test import Client, TestCase, override_settings

from accounts.models import User
from lists.models import List

if TYPE_CHECKING:  # the test client's response type exists in django-stubs only
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

CHARSETS = ["latin-1", "utf8", "UTF8", "us-ascii", "utf-16"]


class UnreadableRequestTest(TestCase):
    """A request whose form data Django cannot read is our 400 page, with our headers, on every
    endpoint; Django's own 400 and 500 views read the form data again and raised, and gunicorn
    answered a bare 500."""

    def setUp(self) -> None:
        # A real browser's CSRF check, which is what reads the form data first: with the CSRF
        # cookie a page gives (without it the answer is the 403 of a CSRF failure).
        self.client = Client(enforce_csrf_checks=True)
        self.client.get("/")
        owner = User.objects.create(email="edith@example.com")
        self.list_url = List.objects.create(owner=owner).get_absolute_url()

    def assert_our_400_page(self, response: "TestResponse") -> None:
        self.assertEqual(response.status_code, 400)
        self.assertTemplateUsed(response, "400.html")
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_a_form_in_another_charset_than_utf_8(self) -> None:
        urls = ["/lists/new", "/accounts/send_login_email", "/accounts/login", self.list_url, "/"]
        for url in urls:
            for charset in CHARSETS:
                with self.subTest(url=url, charset=charset):
                    response = self.client.post(
                        url,
                        "text=hello&email=a%40b.com",
                        content_type=f"application/x-www-form-urlencoded; charset={charset}",
                    )
                    self.assert_our_400_page(response)

    @override_settings(DEBUG=True)
    def test_in_development_too(self) -> None:
        # Django's debug page for a 400 reads the form data again, to show it
        response = self.client.post(
            "/lists/new",
            "text=x",
            content_type="application/x-www-form-urlencoded; charset=latin-1",
        )
        self.assertEqual(response.status_code, 400)
        self.assertTemplateUsed(response, "400.html")

    def test_a_broken_multipart_body(self) -> None:
        response = self.client.post(
            "/lists/new", b"--x\r\nnonsense", content_type="multipart/form-data"
        )
        self.assert_our_400_page(response)

    @override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
    def test_too_many_fields(self) -> None:
        body = "&".join(f"f{n}=x" for n in range(11))
        response = self.client.post(
            "/lists/new", body, content_type="application/x-www-form-urlencoded"
        )
        self.assert_our_400_page(response)

    def test_a_host_that_is_not_ours_with_an_unreadable_form(self) -> None:
        response = self.client.post(
            "/lists/new",
            "text=hello",
            content_type="application/x-www-form-urlencoded; charset=latin-1",
            HTTP_HOST="evil.example.com",
        )
        self.assert_our_400_page(response)

    def test_utf_8_in_any_case_is_read(self) -> None:
        response = Client().post(
            "/lists/new",
            "text=caf%C3%A9",
            content_type="application/x-www-form-urlencoded; charset=UTF-8",
        )
        self.assertEqual(response.status_code, 302)
