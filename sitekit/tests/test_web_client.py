"""The one web client, against the real app: it keeps the CSRF cookie, sends each form with its
page's token, and follows a redirect only when made to."""

import unittest

from django.test import LiveServerTestCase

from sitekit.web_client import CSRF_FIELD, NoSuchField, Page, WebClient, hidden_field


def page(body: str) -> Page:
    return Page(url="http://127.0.0.1/", status=200, location="", body=body, seconds=0.0)


class HiddenFieldTest(unittest.TestCase):
    # The CSRF cookie that goes with the token: see test_web_client.py, against a real page.
    def test_takes_the_form_fields_value(self) -> None:
        field = '<input type="hidden" name="csrfmiddlewaretoken" value="MASKED456">'
        self.assertEqual(hidden_field(page(field), CSRF_FIELD), "MASKED456")

    def test_whatever_the_order_of_the_attributes_and_unescaped(self) -> None:
        field = '<input value="a&amp;b" name="token" type="hidden">'
        self.assertEqual(hidden_field(page(field), "token"), "a&b")

    def test_a_page_without_a_token_is_an_error(self) -> None:
        with self.assertRaises(NoSuchField):
            hidden_field(page("<p>no form</p>"), CSRF_FIELD)


class WebClientTest(LiveServerTestCase):
    def setUp(self) -> None:
        self.visitor = self.enterContext(WebClient(self.live_server_url))

    def test_keeps_the_csrf_cookie_that_goes_with_the_pages_token(self) -> None:
        home = self.visitor.get("/")
        self.assertEqual(home.status, 200)
        self.assertTrue(self.visitor.csrf_token(home))
        cookie = self.visitor.session.cookies["csrftoken"]
        self.assertEqual(self.visitor.cookie_header(), f"csrftoken={cookie}")

    def test_submits_a_form_and_reports_the_redirect_without_following_it(self) -> None:
        home = self.visitor.get("/")
        created = self.visitor.submit_form("/lists/new", {"text": "Buy peacock feathers"}, home)
        self.assertEqual(created.status, 302)
        self.assertRegex(created.location, r"^/lists/[^/]+/$")
        self.assertGreater(created.seconds, 0)
        self.assertIn("1: Buy peacock feathers", self.visitor.get(created.location).body)

    def test_a_form_without_the_cookie_is_refused(self) -> None:
        home = self.visitor.get("/")
        self.visitor.session.cookies.clear()
        with self.assertLogs("django.security.csrf", "WARNING"):
            refused = self.visitor.submit_form("/lists/new", {"text": "Buy milk"}, home)
        self.assertEqual(refused.status, 403)

    def test_follows_redirects_when_made_to(self) -> None:
        with WebClient(self.live_server_url, follow_redirects=True) as browser_like:
            home = browser_like.get("/")
            page = browser_like.submit_form("/lists/new", {"text": "Buy milk"}, home)
        self.assertEqual(page.status, 200)
        self.assertRegex(page.url, r"/lists/[^/]+/$")
        self.assertIn("1: Buy milk", page.body)
