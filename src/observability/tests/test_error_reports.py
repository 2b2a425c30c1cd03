import json
from collections.abc import Iterator
from contextlib import contextmanager

import sentry_sdk
from django.test import TestCase, override_settings
from sentry_sdk.types import Event

from accounts.models import User
from observability.error_reports import scrub, start_error_reports
from observability.log_capture import captured_log_lines
from observability.tests.fake_services import Kent, kent_server, smtp_requiring_login

TOKEN = "SeLeCtOr123.VeRiFiEr456"
COOKIE = "sessionid-that-must-not-leave"


@contextmanager
def reporting_to(kent: Kent) -> Iterator[None]:
    """Error reports on, to ``kent``, for the block; off again afterwards."""
    start_error_reports(kent.dsn, release="image-sha256-abc123", environment="staging")
    try:
        yield
    finally:
        sentry_sdk.flush(timeout=5)
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


@override_settings(ROOT_URLCONF="observability.tests.urls_failing", REVERSE_PROXIES=1)
class ErrorReportsReachAFakeSentryTest(TestCase):
    """Against kent, a real (fake) Sentry server: what arrives, once, and what never does."""

    def assert_no_secret_in(self, event: dict[str, object]) -> None:
        text = json.dumps(event)
        for secret in [TOKEN, COOKIE, "edith", "@example.com", "token="]:
            self.assertNotIn(secret, text)

    def assert_tagged(self, event: dict[str, object], request_id: str) -> None:
        self.assertEqual(event["release"], "image-sha256-abc123")
        self.assertEqual(event["environment"], "staging")
        self.assertEqual(dict(event["tags"])["request_id"], request_id)  # type: ignore[call-overload]

    def test_a_500_arrives_once_tagged_and_scrubbed_and_a_bad_host_not_at_all(self) -> None:
        self.client.force_login(User.objects.create(email="edith@example.com"))
        self.client.cookies["other"] = COOKIE
        self.client.raise_request_exception = False
        with (
            kent_server() as kent,
            self.assertLogs("django.request", "ERROR"),
            self.assertLogs("django.security.DisallowedHost", "ERROR"),
        ):
            with reporting_to(kent), override_settings(ALLOWED_HOSTS=["testserver"]):
                # A scanner's request for a host we do not serve: logged, but no report
                bad_host = self.client.get("/", headers={"Host": "scanner.example"})
                self.assertEqual(bad_host.status_code, 400)
                response = self.client.get(
                    f"/fail/with-secrets?token={TOKEN}",
                    headers={"X-Forwarded-For": "198.51.100.7", "X-Request-ID": "a" * 36},
                )
            events = kent.wait_for_events(1)
        self.assertEqual(response.status_code, 500)
        (event,) = events
        exception = event["exception"]["values"][-1]
        self.assertEqual(
            (exception["type"], exception["value"]), ("RuntimeError", "broke for <email>")
        )
        self.assert_tagged(event, "a" * 36)
        self.assert_no_secret_in(event)

    @override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    )
    def test_the_530_story_arrives_once_as_a_logged_error_without_the_address(self) -> None:
        # The console's own handler and filters see the error first, as on a server (a
        # filter that took the traceback off the record once left the report without one)
        with kent_server() as kent, smtp_requiring_login() as smtp_port:
            with (
                override_settings(EMAIL_PORT=smtp_port),
                captured_log_lines() as log,
                reporting_to(kent),
            ):
                response = self.client.post(
                    "/accounts/send_login_email", {"email": "edith@example.com"}
                )
            events = kent.wait_for_events(1)
        self.assertIn("SMTPSenderRefused: (530", log.getvalue())
        self.assertNotIn("edith@example.com", log.getvalue())
        (event,) = events
        self.assertEqual(event["level"], "error")
        self.assertIn("Could not send the login email to user", json.dumps(event))
        exception = event["exception"]["values"][-1]
        self.assertEqual(exception["type"], "SMTPSenderRefused")
        self.assertIn("530", exception["value"])
        self.assert_tagged(event, response["X-Request-ID"])
        self.assert_no_secret_in(event)


class ScrubTest(TestCase):
    def test_query_string_cookies_headers_user_and_addresses_go(self) -> None:
        event: Event = {
            "request": {
                "url": f"https://superlists.test/accounts/login?token={TOKEN}",
                "query_string": f"token={TOKEN}",
                "cookies": {"sessionid": COOKIE},
                "data": {"email": "edith@example.com"},
                "headers": {"Cookie": COOKIE, "User-Agent": "Firefox", "Referer": "x?token=1"},
            },
            "user": {"email": "edith@example.com", "ip_address": "198.51.100.7"},
            "logentry": {"message": "to %s", "params": ["edith@example.com"]},
            "exception": {"values": [{"value": "{'edith@example.com': (550, b'no')}"}]},
        }
        scrubbed = scrub(event)
        self.assertEqual(
            scrubbed["request"],
            {"url": "https://superlists.test/accounts/login", "headers": {"User-Agent": "Firefox"}},
        )
        self.assertNotIn("user", scrubbed)
        self.assertEqual(scrubbed["logentry"]["params"], ["<email>"])
        self.assertEqual(scrubbed["exception"]["values"][0]["value"], "{'<email>': (550, b'no')}")
