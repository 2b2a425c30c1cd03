import io
import json
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.core import mail
from django.test import Client, TestCase, override_settings

from accounts.models import User
from accounts.tests.test_views import token_in
from lists.models import List
from observability.log_capture import captured_log_lines
from observability.log_formats import FIELDS
from observability.pseudonyms import pseudonym
from superlists.tests.test_settings import PRODUCTION_ENV, run_check

PROXY = {"X-Forwarded-For": "198.51.100.7"}  # what our proxy adds: the client's address


@contextmanager
def log_of(test: TestCase, log_format: str) -> Iterator[io.StringIO]:
    """The lines logged in the block, in ``log_format``; and none on the test run's console."""
    with test.assertLogs(level="INFO"), captured_log_lines(log_format) as log:
        yield log


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


@override_settings(ROOT_URLCONF="observability.tests.urls_failing", REVERSE_PROXIES=1)
class RequestLineTest(TestCase):
    def request_lines(self, log: str) -> list[dict[str, Any]]:
        return [line for line in json_lines(log) if line["logger"] == "superlists.requests"]

    def test_one_json_line_per_request_with_what_an_operator_needs(self) -> None:
        edith = User.objects.create(email="edith@example.com")
        self.client.force_login(edith)
        with log_of(self, "json") as log:
            response = self.client.get("/?utm_source=newsletter", headers=PROXY)
        (line,) = self.request_lines(log.getvalue())
        self.assertEqual(
            {name: line[name] for name in ["level", "method", "path", "status", "client"]},
            {"level": "INFO", "method": "GET", "path": "/", "status": 200,
             "client": "198.51.100.7"},
        )  # fmt: skip
        self.assertEqual(line["request_id"], response["X-Request-ID"])
        self.assertEqual(line["user_id"], pseudonym("edith@example.com"))
        self.assertGreater(line["duration_ms"], 0)
        self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
        self.assertLessEqual(set(line), set(FIELDS))

    def test_a_visitor_has_no_user_id(self) -> None:
        with log_of(self, "json") as log:
            self.client.get("/")
        (line,) = self.request_lines(log.getvalue())
        self.assertIsNone(line["user_id"])
        self.assertEqual(line["client"], "127.0.0.1")  # no proxy: the connection's own address

    def test_4xx_is_a_warning_5xx_an_error_with_its_traceback_under_the_same_id(self) -> None:
        self.client.raise_request_exception = False
        with log_of(self, "json") as log:
            self.client.get("/lists/AAAAAAAAAAAAAAAAAAAAAA/")
            failed = self.client.get("/fail/500")
        lines = json_lines(log.getvalue())
        requests = [line for line in lines if line["logger"] == "superlists.requests"]
        self.assertEqual([(r["status"], r["level"]) for r in requests],
                         [(404, "WARNING"), (500, "ERROR")])  # fmt: skip
        (traceback,) = [line for line in lines if line["logger"] == "django.request"]
        self.assertEqual(traceback["request_id"], failed["X-Request-ID"])
        self.assertIn("RuntimeError: something broke", traceback["exc_info"])

    def test_health_checks_and_metrics_scrapes_are_not_logged(self) -> None:
        with self.assertNoLogs(level="INFO"):
            self.assertEqual(self.client.get("/healthz").status_code, 200)
            self.assertEqual(self.client.get("/metrics").status_code, 200)

    def test_a_draining_health_check_is_no_error(self) -> None:
        # A release drains the old container by its /healthz answering 503, every second
        with mock.patch("operations.views.DRAINING") as draining:
            draining.exists.return_value = True
            with self.assertNoLogs(level="INFO"):
                self.assertEqual(self.client.get("/healthz").status_code, 503)

    def test_a_client_cannot_write_a_line_of_its_own(self) -> None:
        with log_of(self, "plain") as log:
            self.client.get("/lists/x%0AERROR 2030-01-01 forged%0D/")
        (line,) = log.getvalue().splitlines()
        self.assertIn(r"GET /lists/x\x0aERROR 2030-01-01 forged\x0d/ 404", line)

    def test_the_plain_format_is_for_people(self) -> None:
        with log_of(self, "plain") as log:
            response = self.client.get("/", headers=PROXY)
        self.assertRegex(
            log.getvalue(),
            rf"^INFO \S+ \S+ {response['X-Request-ID']} superlists.requests "
            r"GET / 200 [\d.]+ ms user - from 198.51.100.7\n$",
        )


@override_settings(ROOT_URLCONF="observability.tests.urls_failing", REVERSE_PROXIES=1)
class NoSecretInAnyLogLineTest(TestCase):
    """Tokens, passwords, cookies, query strings and email addresses stay out of every line."""

    PASSWORD = "correct-horse-battery-staple"

    def secrets(self, client: Client) -> list[str]:
        cookies = [morsel.value for morsel in client.cookies.values() if morsel.value]
        return [self.PASSWORD, "edith", "oni", "francis", "@example.com", *cookies]

    def a_day_of_requests(self) -> Client:
        """Log in by email link, share a list, fail to send an email, visit My Lists, post a
        password and a token in query strings, and cause a 404 and a 500."""
        client = Client(raise_request_exception=False, headers=PROXY)
        client.post("/accounts/send_login_email", {"email": "edith@example.com"})
        token = token_in(str(mail.outbox[-1].body))
        client.get(f"/accounts/login?token={token}")
        client.post(f"/accounts/login?next=/&token={token}", {"token": token})
        our_list = List.objects.create(owner=User.objects.get(email="edith@example.com"))
        client.post(f"{our_list.get_absolute_url()}share", {"sharee": "oni@example.com"})
        refusal = smtplib.SMTPRecipientsRefused({"francis@example.com": (550, b"no such user")})
        with mock.patch("accounts.views.send_mail", side_effect=refusal):
            client.post("/accounts/send_login_email", {"email": "francis@example.com"})
        client.get("/lists/users/edith@example.com/")
        client.post(f"/?password={self.PASSWORD}", {"password": self.PASSWORD})
        client.get(f"/lists/users/oni@example.com/?token={token}")
        client.get(f"/fail/500?token={token}", headers={"Cookie": "x=" + self.PASSWORD})
        self.secrets_seen = [token, *self.secrets(client)]
        return client

    def test_in_either_format(self) -> None:
        for log_format in ["plain", "json"]:
            with self.subTest(log_format=log_format), log_of(self, log_format) as log:
                self.a_day_of_requests()
                text = log.getvalue()
                self.assertIn("SMTPRecipientsRefused", text)  # the error is there, its address not
                self.assertIn("/lists/users/<email>/", text)
                self.assertGreater(len(text.splitlines()), 10)
                for secret in self.secrets_seen:
                    self.assertNotIn(secret, text)
                self.assertNotIn("?", text)  # no query string, anywhere


class LogFormatSettingTest(TestCase):
    def test_json_or_plain_and_anything_else_is_named(self) -> None:
        for value in ["json", "plain", ""]:
            with self.subTest(value=value):
                result = run_check({**PRODUCTION_ENV, "DJANGO_LOG_FORMAT": value})
                self.assertEqual(result.returncode, 0, result.stderr)
        result = run_check({**PRODUCTION_ENV, "DJANGO_LOG_FORMAT": "xml"})
        self.assertIn("DJANGO_LOG_FORMAT='xml' must be plain or json", result.stderr)
