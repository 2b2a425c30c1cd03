import re
import smtplib
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from unittest import mock

import time_machine
from django.contrib import auth
from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase, override_settings

from accounts.forms import INVALID_EMAIL_ERROR
from accounts.models import Token, User
from accounts.tokens import LinkStatus, check_login_token, issue_login_token
from accounts.views import (
    CHECK_YOUR_EMAIL,
    EMAIL_NOT_SENT,
    EXPIRED_LOGIN_LINK,
    INVALID_LOGIN_LINK,
    LOGIN_EMAIL_SUBJECT,
    TOO_MANY_LOGIN_EMAILS,
    USED_LOGIN_LINK,
)
from observability.pseudonyms import pseudonym
from observability.request_ids import QUOTE_THE_REFERENCE, reference

if TYPE_CHECKING:  # the test client's response type exists in django-stubs only
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

MID_MINUTE = datetime(2030, 1, 1, 12, 0, 30, tzinfo=UTC)
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def shown_messages(response: "TestResponse") -> list[str]:
    return [str(message) for message in response.context["messages"]]


def token_in(email_body: str) -> str:
    link = re.search(r"/accounts/login\?token=(\S+)", email_body)
    assert link, f"No login link in {email_body!r}"
    return link.group(1)


class SendLoginEmailViewTest(TestCase):
    def setUp(self) -> None:
        cache.clear()

    def send(self, email: str, **extra: Any) -> "TestResponse":
        return self.client.post("/accounts/send_login_email", data={"email": email}, **extra)

    def test_redirects_to_home_page(self) -> None:
        self.assertRedirects(self.send("edith@example.com"), "/")

    def test_sends_mail_to_address_from_post(self) -> None:
        self.send("edith@example.com")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["edith@example.com"])
        self.assertEqual(mail.outbox[0].subject, LOGIN_EMAIL_SUBJECT)

    def test_email_body_has_an_absolute_login_link_with_a_valid_token(self) -> None:
        self.send("edith@example.com")
        body = str(mail.outbox[0].body)
        self.assertIn("Use this link to log in", body)
        self.assertIn("http://testserver/accounts/login?token=", body)
        check = check_login_token(token_in(body))
        self.assertEqual(check.status, LinkStatus.VALID)
        self.assertEqual(check.email, "edith@example.com")

    def test_creates_token_associated_with_email(self) -> None:
        self.send("edith@example.com")
        self.assertEqual(Token.objects.get().email, "edith@example.com")

    def test_a_new_link_makes_the_previous_one_invalid(self) -> None:
        self.send("edith@example.com")
        self.send("edith@example.com")
        first, second = (token_in(str(email.body)) for email in mail.outbox)
        self.assertEqual(check_login_token(first).status, LinkStatus.UNKNOWN)
        self.assertEqual(check_login_token(second).status, LinkStatus.VALID)

    def test_adds_success_message(self) -> None:
        response = self.send("edith@example.com", follow=True)
        self.assertEqual(shown_messages(response), [CHECK_YOUR_EMAIL])
        self.assertContains(response, "alert-success")

    def test_says_the_same_whether_or_not_the_address_has_an_account(self) -> None:
        User.objects.create(email="edith@example.com")
        known = self.send("edith@example.com", follow=True)
        unknown = self.send("francis@example.com", follow=True)
        self.assertEqual(known.redirect_chain, unknown.redirect_chain)
        self.assertEqual(shown_messages(known), shown_messages(unknown))
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(
            mail.outbox[0].body.split("token=")[0], mail.outbox[1].body.split("token=")[0]
        )

    def test_invalid_email_gets_a_clear_message_and_no_email(self) -> None:
        for bad_address in ["", "not-an-email", "a@", "<script>@x.com"]:
            with self.subTest(bad_address=bad_address):
                response = self.send(bad_address, follow=True)
                self.assertEqual(shown_messages(response), [INVALID_EMAIL_ERROR])
        self.assertEqual(mail.outbox, [])
        self.assertEqual(Token.objects.count(), 0)

    def test_addresses_no_account_can_have_get_the_same_message(self) -> None:
        for bad_address in [
            "a" * 250 + "@example.com",  # valid, but longer than the 254 an account may have
            "root@localhost",
            "lit@[127.0.0.1]",
            '"\x1b]0;pwned\x07"@example.com',
        ]:
            with self.subTest(bad_address=bad_address[:30]):
                response = self.send(bad_address, follow=True)
                self.assertEqual(shown_messages(response), [INVALID_EMAIL_ERROR])
        self.assertEqual(mail.outbox, [])
        self.assertEqual(Token.objects.count(), 0)

    def test_the_longest_address_an_account_can_have_logs_in(self) -> None:
        longest = "a" * 242 + "@example.com"
        self.send(longest)
        self.client.post("/accounts/login", {"token": token_in(str(mail.outbox[0].body))})
        self.assertEqual(auth.get_user(self.client).pk, longest)

    def test_missing_email_field_gets_the_same_message(self) -> None:
        response = self.client.post("/accounts/send_login_email", follow=True)
        self.assertEqual(shown_messages(response), [INVALID_EMAIL_ERROR])

    def test_GET_is_not_allowed(self) -> None:
        self.assertEqual(self.client.get("/accounts/send_login_email").status_code, 405)

    @mock.patch("accounts.views.send_mail")
    def test_smtp_refusal_is_logged_and_the_user_told_clearly(
        self, mock_send_mail: mock.MagicMock
    ) -> None:
        mock_send_mail.side_effect = smtplib.SMTPSenderRefused(
            530, b"5.7.0 Authentication required", "noreply@superlists.test"
        )
        with self.assertLogs("accounts.views", level="ERROR") as logs:
            failed_post = self.send("edith@example.com")
        self.assertRedirects(failed_post, "/", fetch_redirect_response=False)
        # The message quotes the reference of the POST that failed, whose lines say why.
        (message,) = shown_messages(self.client.get("/"))
        self.assertEqual(
            message,
            EMAIL_NOT_SENT
            + " "
            + QUOTE_THE_REFERENCE.format(reference=reference(failed_post["X-Request-ID"])),
        )
        output = "\n".join(logs.output)
        self.assertIn("Authentication required", output)
        self.assertIn(f"to user {pseudonym('edith@example.com')}", output)
        self.assertNotIn("edith", output)

    @mock.patch("accounts.views.send_mail")
    def test_unreachable_mail_server_is_logged_and_the_user_told_clearly(
        self, mock_send_mail: mock.MagicMock
    ) -> None:
        mock_send_mail.side_effect = ConnectionRefusedError(111, "Connection refused")
        with self.assertLogs("accounts.views", level="ERROR"):
            response = self.send("edith@example.com", follow=True)
        (message,) = shown_messages(response)
        self.assertTrue(message.startswith(EMAIL_NOT_SENT), message)


class LoginLinkHostTest(TestCase):
    """The link's host is configuration, never what the request's Host header says."""

    def setUp(self) -> None:
        cache.clear()

    @override_settings(SITE_URL="https://superlists.example.com", ALLOWED_HOSTS=["*"])
    def test_link_points_to_site_url_whatever_the_host_header(self) -> None:
        self.client.post(
            "/accounts/send_login_email",
            data={"email": "edith@example.com"},
            headers={"host": "evil.example.com"},
        )
        body = mail.outbox[0].body
        self.assertIn("https://superlists.example.com/accounts/login?token=", body)
        self.assertNotIn("evil", body)

    @override_settings(
        SITE_URL="https://superlists.example.com", ALLOWED_HOSTS=["superlists.example.com"]
    )
    def test_a_host_that_is_not_ours_is_refused_and_no_email_sent(self) -> None:
        response = self.client.post(
            "/accounts/send_login_email",
            data={"email": "edith@example.com"},
            headers={"host": "evil.example.com"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(Token.objects.count(), 0)


@override_settings(LOGIN_EMAILS_PER_MINUTE_PER_ADDRESS=3, LOGIN_EMAILS_PER_MINUTE_PER_IP=20)
class SendLoginEmailThrottleTest(TestCase):
    def setUp(self) -> None:
        cache.clear()
        travel = time_machine.travel(MID_MINUTE, tick=False)
        travel.start()
        self.addCleanup(travel.stop)

    def send(self, email: str, **extra: Any) -> "TestResponse":
        return self.client.post("/accounts/send_login_email", data={"email": email}, **extra)

    def test_a_browser_over_the_address_limit_is_told_and_sent_nothing(self) -> None:
        for _ in range(3):
            self.send("edith@example.com", follow=True)
        response = self.send("edith@example.com", headers={"accept": BROWSER_ACCEPT}, follow=True)
        self.assertEqual(response.redirect_chain, [("/", 302)])
        self.assertEqual(shown_messages(response), [TOO_MANY_LOGIN_EMAILS])
        self.assertEqual(len(mail.outbox), 3)

    def test_another_client_over_the_limit_gets_429(self) -> None:
        for _ in range(3):
            self.send("edith@example.com")
        response = self.send("edith@example.com", headers={"accept": "*/*"})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Retry-After"], "60")
        self.assertEqual(response.content.decode(), TOO_MANY_LOGIN_EMAILS)
        self.assertEqual(len(mail.outbox), 3)

    @override_settings(LOGIN_EMAILS_PER_MINUTE_PER_IP=2)
    def test_the_limit_per_client_address_spans_email_addresses(self) -> None:
        self.send("edith@example.com")
        self.send("francis@example.com")
        self.assertEqual(self.send("gertrude@example.com").status_code, 429)
        other_client = self.send("gertrude@example.com", REMOTE_ADDR="192.0.2.7")
        self.assertEqual(other_client.status_code, 302)
        self.assertEqual(len(mail.outbox), 3)

    def test_invalid_addresses_still_get_the_form_error_not_the_throttle(self) -> None:
        for _ in range(4):
            self.send("edith@example.com", follow=True)
        response = self.send("not-an-email", follow=True)
        self.assertEqual(shown_messages(response), [INVALID_EMAIL_ERROR])


class LoginViewTest(TestCase):
    def confirm_page(
        self, token: str, client: Client | None = None, **extra: Any
    ) -> "TestResponse":
        return (client or self.client).get(f"/accounts/login?token={token}", **extra)

    def log_in(self, token: str, client: Client | None = None, **extra: Any) -> "TestResponse":
        return (client or self.client).post("/accounts/login", data={"token": token}, **extra)

    def test_GET_shows_a_confirmation_page_and_logs_nobody_in(self) -> None:
        token = issue_login_token("edith@example.com")
        response = self.confirm_page(token)
        self.assertTemplateUsed(response, "confirm_login.html")
        self.assertContains(response, "Log in to Superlists as edith@example.com?")
        self.assertContains(response, 'method="POST" action="/accounts/login"')
        self.assertContains(response, f'name="token" value="{token}"')
        self.assertContains(response, 'id="id_confirm_login"')
        self.assertFalse(auth.get_user(self.client).is_authenticated)

    def test_GET_does_not_use_the_token_up(self) -> None:
        # A corporate mail scanner fetches every link in the email, several times
        token = issue_login_token("edith@example.com")
        for _ in range(3):
            self.confirm_page(token, Client())
        self.assertEqual(check_login_token(token).status, LinkStatus.VALID)

    def test_confirmation_page_is_never_cached(self) -> None:
        response = self.confirm_page(issue_login_token("edith@example.com"))
        self.assertIn("no-store", response["Cache-Control"])

    def test_POST_logs_in_creating_the_user_and_goes_home(self) -> None:
        response = self.log_in(issue_login_token("edith@example.com"))
        self.assertRedirects(response, "/")
        user = auth.get_user(self.client)
        self.assertTrue(user.is_authenticated)
        self.assertEqual(user, User.objects.get(email="edith@example.com"))

    def test_shows_logged_in_email_and_logout_button(self) -> None:
        response = self.log_in(issue_login_token("edith@example.com"), follow=True)
        self.assertContains(response, "Logged in as edith@example.com")
        self.assertContains(response, 'id="id_logout"')
        self.assertContains(response, 'href="/lists/users/edith@example.com/"')

    def test_POST_needs_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = self.log_in(issue_login_token("edith@example.com"), client)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(auth.get_user(client).is_authenticated)

    def assert_link_refused(self, token: str, message: str) -> None:
        """Opening the link and pressing its button both go home with ``message``, logged out."""
        for method, response in [
            ("GET", self.confirm_page(token, follow=True)),
            ("POST", self.log_in(token, follow=True)),
        ]:
            with self.subTest(method=method):
                self.assertEqual(response.redirect_chain, [("/", 302)])
                self.assertEqual(shown_messages(response), [message])
                self.assertFalse(auth.get_user(self.client).is_authenticated)

    def test_a_used_link_says_so_and_logs_nobody_in(self) -> None:
        token = issue_login_token("edith@example.com")
        self.log_in(token, Client())
        self.assert_link_refused(token, USED_LOGIN_LINK)

    def test_an_expired_link_says_so_and_logs_nobody_in(self) -> None:
        with time_machine.travel(MID_MINUTE, tick=False) as clock:
            token = issue_login_token("edith@example.com")
            clock.shift(timedelta(minutes=15, seconds=1))
            self.assert_link_refused(token, EXPIRED_LOGIN_LINK)

    def test_a_link_expiring_between_GET_and_POST_says_so(self) -> None:
        with time_machine.travel(MID_MINUTE, tick=False) as clock:
            token = issue_login_token("edith@example.com")
            self.assertEqual(self.confirm_page(token).status_code, 200)
            clock.shift(timedelta(minutes=16))
            response = self.log_in(token, follow=True)
        self.assertEqual(shown_messages(response), [EXPIRED_LOGIN_LINK])

    def test_bad_or_missing_token_shows_error_and_does_not_log_in(self) -> None:
        for url in ["/accounts/login?token=abcd123", "/accounts/login", "/accounts/login?token="]:
            with self.subTest(url=url):
                response = self.client.get(url, follow=True)
                self.assertEqual(shown_messages(response), [INVALID_LOGIN_LINK])
                self.assertFalse(auth.get_user(self.client).is_authenticated)

    def test_a_bad_link_leads_where_a_new_one_can_be_asked_for(self) -> None:
        response = self.client.get("/accounts/login?token=abcd123", follow=True)
        self.assertContains(response, 'action="/accounts/send_login_email"')
        self.assertContains(response, 'name="email"')

    def test_a_link_replaced_by_a_newer_one_is_invalid(self) -> None:
        old = issue_login_token("edith@example.com")
        issue_login_token("edith@example.com")
        self.assert_link_refused(old, INVALID_LOGIN_LINK)

    def test_garbage_tokens_never_cause_a_server_error(self) -> None:
        for garbage in ["\x00" * 59, "x" * 10_000, "é" * 59, "' OR 1=1 --"]:
            with self.subTest(garbage=garbage[:10]):
                self.assertRedirects(self.client.get("/accounts/login", {"token": garbage}), "/")
                self.assertRedirects(self.log_in(garbage), "/")
        self.assertRedirects(self.client.post("/accounts/login"), "/")

    def test_other_methods_are_not_allowed(self) -> None:
        self.assertEqual(self.client.put("/accounts/login").status_code, 405)


class LogoutViewTest(TestCase):
    def test_POST_logs_out_and_goes_home(self) -> None:
        self.client.force_login(User.objects.create(email="edith@example.com"))
        response = self.client.post("/accounts/logout")
        self.assertRedirects(response, "/")
        self.assertFalse(auth.get_user(self.client).is_authenticated)
