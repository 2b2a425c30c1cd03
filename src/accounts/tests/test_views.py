import smtplib
from unittest import mock

from django.contrib import auth
from django.core import mail
from django.test import TestCase

from accounts.forms import INVALID_EMAIL_ERROR
from accounts.models import Token, User
from accounts.views import (
    CHECK_YOUR_EMAIL,
    EMAIL_NOT_SENT,
    INVALID_LOGIN_LINK,
    LOGIN_EMAIL_SUBJECT,
)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


class SendLoginEmailViewTest(TestCase):
    def send(self, email: str, **extra):
        return self.client.post("/accounts/send_login_email", data={"email": email}, **extra)

    def test_redirects_to_home_page(self):
        self.assertRedirects(self.send("edith@example.com"), "/")

    def test_sends_mail_to_address_from_post(self):
        self.send("edith@example.com")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["edith@example.com"])
        self.assertEqual(mail.outbox[0].subject, LOGIN_EMAIL_SUBJECT)

    def test_email_body_has_an_absolute_login_link_with_the_token(self):
        self.send("edith@example.com")
        token = Token.objects.get()
        self.assertIn("Use this link to log in", mail.outbox[0].body)
        self.assertIn(f"http://testserver/accounts/login?token={token.uid}", mail.outbox[0].body)

    def test_creates_token_associated_with_email(self):
        self.send("edith@example.com")
        self.assertEqual(Token.objects.get().email, "edith@example.com")

    def test_adds_success_message(self):
        response = self.send("edith@example.com", follow=True)
        self.assertEqual(shown_messages(response), [CHECK_YOUR_EMAIL])
        self.assertContains(response, "alert-success")

    def test_invalid_email_gets_a_clear_message_and_no_email(self):
        for bad_address in ["", "not-an-email", "a@", "<script>@x.com"]:
            with self.subTest(bad_address=bad_address):
                response = self.send(bad_address, follow=True)
                self.assertEqual(shown_messages(response), [INVALID_EMAIL_ERROR])
        self.assertEqual(mail.outbox, [])
        self.assertEqual(Token.objects.count(), 0)

    def test_missing_email_field_gets_the_same_message(self):
        response = self.client.post("/accounts/send_login_email", follow=True)
        self.assertEqual(shown_messages(response), [INVALID_EMAIL_ERROR])

    def test_GET_is_not_allowed(self):
        self.assertEqual(self.client.get("/accounts/send_login_email").status_code, 405)

    @mock.patch("accounts.views.send_mail")
    def test_smtp_refusal_is_logged_and_the_user_told_clearly(self, mock_send_mail):
        mock_send_mail.side_effect = smtplib.SMTPSenderRefused(
            530, b"5.7.0 Authentication required", "noreply@superlists.test"
        )
        with self.assertLogs("accounts.views", level="ERROR") as logs:
            response = self.send("edith@example.com", follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(shown_messages(response), [EMAIL_NOT_SENT])
        self.assertIn("Authentication required", "\n".join(logs.output))

    @mock.patch("accounts.views.send_mail")
    def test_unreachable_mail_server_is_logged_and_the_user_told_clearly(self, mock_send_mail):
        mock_send_mail.side_effect = ConnectionRefusedError(111, "Connection refused")
        with self.assertLogs("accounts.views", level="ERROR"):
            response = self.send("edith@example.com", follow=True)
        self.assertEqual(shown_messages(response), [EMAIL_NOT_SENT])


class LoginViewTest(TestCase):
    def test_redirects_to_home_page(self):
        self.assertRedirects(self.client.get("/accounts/login?token=abcd123"), "/")

    def test_logs_in_with_a_valid_token_creating_the_user(self):
        token = Token.objects.create(email="edith@example.com")
        self.client.get(f"/accounts/login?token={token.uid}")
        user = auth.get_user(self.client)
        self.assertTrue(user.is_authenticated)
        self.assertEqual(user, User.objects.get(email="edith@example.com"))

    def test_shows_logged_in_email_and_logout_button(self):
        token = Token.objects.create(email="edith@example.com")
        response = self.client.get(f"/accounts/login?token={token.uid}", follow=True)
        self.assertContains(response, "Logged in as edith@example.com")
        self.assertContains(response, 'id="id_logout"')
        self.assertContains(response, 'href="/lists/users/edith@example.com/"')

    def test_bad_or_missing_token_shows_error_and_does_not_log_in(self):
        for url in ["/accounts/login?token=abcd123", "/accounts/login", "/accounts/login?token="]:
            with self.subTest(url=url):
                response = self.client.get(url, follow=True)
                self.assertEqual(shown_messages(response), [INVALID_LOGIN_LINK])
                self.assertFalse(auth.get_user(self.client).is_authenticated)


class LogoutViewTest(TestCase):
    def test_POST_logs_out_and_goes_home(self):
        self.client.force_login(User.objects.create(email="edith@example.com"))
        response = self.client.post("/accounts/logout")
        self.assertRedirects(response, "/")
        self.assertFalse(auth.get_user(self.client).is_authenticated)
