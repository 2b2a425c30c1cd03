import logging
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from unittest import mock

from django.core import mail
from django.core.mail import send_mail
from django.test import SimpleTestCase

from functional_tests.mailbox import matches
from functional_tests.servers import (
    LocalServer,
    MissingSetting,
    ProductionTargetRefused,
    StagingServer,
    server_for,
)
from functional_tests.ssh import RemoteCommandFailed

STAGING_ENV = {
    "TEST_SERVER": "staging.example.com",
    "FT_PRODUCTION_HOSTS": r"(www\.)?superlists\.example\.com",
    "FT_EMAIL_ADDRESS": "tester@mail.example.com",
}


def staging(environ: dict[str, str]) -> StagingServer:
    server = server_for("http://localhost:8081", environ)
    assert isinstance(server, StagingServer)
    return server


class ServerForTest(SimpleTestCase):
    def test_no_test_server_means_the_local_live_server(self) -> None:
        server = server_for("http://localhost:8081", {})
        self.addCleanup(server.close)
        self.assertIsInstance(server, LocalServer)
        self.assertEqual(server.url, "http://localhost:8081")

    def test_url_host_and_defaults(self) -> None:
        server = staging({"TEST_SERVER": "127.0.10.1:8080"})
        self.assertEqual(server.url, "https://127.0.10.1:8080")
        self.assertEqual(server.host, "127.0.10.1")
        self.assertEqual(server.ssh_destination, "root@127.0.10.1")
        self.assertEqual(server.container, "superlists")

    def test_production_pattern_is_anchored(self) -> None:
        for host, is_production in [
            ("superlists.example.com", True),
            ("www.superlists.example.com", True),
            ("staging.superlists.example.com", False),
            ("superlists.example.com.staging.test", False),
        ]:
            with self.subTest(host=host):
                server = staging({**STAGING_ENV, "TEST_SERVER": host})
                self.assertEqual(server.is_production(), is_production)

    def test_every_address_is_new_and_tagged_with_the_run(self) -> None:
        server = staging(STAGING_ENV)
        first = server.email_address("edith")
        second = server.email_address("edith")
        self.assertNotEqual(first, second)
        self.assertRegex(first, r"^tester\+edith-[0-9a-f]{8}-\d+@mail\.example\.com$")

    def test_missing_mailbox_setting_is_named(self) -> None:
        server = staging({"TEST_SERVER": "staging.example.com"})
        with self.assertRaisesRegex(MissingSetting, "FT_POP3_HOST"):
            server.pop3  # noqa: B018

    def test_pop3_ssl_is_a_yes_or_no_in_any_case(self) -> None:
        mailbox = {"FT_POP3_HOST": "mail.test", "FT_POP3_USER": "u", "FT_POP3_PASSWORD": "p"}
        for value, use_ssl, port in [("False", False, 110), ("off", False, 110), ("", False, 110),
                                     ("YES", True, 995), ("1", True, 995)]:  # fmt: skip
            with self.subTest(value=value):
                server = staging({**STAGING_ENV, **mailbox, "FT_POP3_SSL": value})
                self.assertEqual((server.pop3.use_ssl, server.pop3.port), (use_ssl, port))


class LocalServerTest(SimpleTestCase):
    def test_takes_the_matching_email_from_the_outbox(self) -> None:
        send_mail("Other", "other body", "noreply@example.com", ["edith@example.com"])
        send_mail("Hello", "the body", "noreply@example.com", ["edith@example.com"])
        server = LocalServer("http://localhost:8081")
        self.addCleanup(server.close)
        body = server.email_body("edith@example.com", "Hello", sent_after=datetime.now(UTC))
        self.assertEqual(body, "the body")
        self.assertEqual([m.subject for m in mail.outbox], ["Other"])

    def test_addresses_are_plain(self) -> None:
        server = LocalServer("http://x")
        self.addCleanup(server.close)
        self.assertEqual(server.email_address("edith"), "edith@example.com")

    def test_its_log_is_what_this_process_logged_since_a_moment_until_closed(self) -> None:
        server = LocalServer("http://x")
        logger = logging.getLogger("superlists.tests")  # INFO: recorded, not on the test console
        logger.info("before")
        time.sleep(0.01)  # log records carry the clock's time: let it move on
        moment = datetime.now(UTC)
        logger.info("after")
        server.close()
        logger.info("closed")
        self.assertRegex(server.log_since(moment), r"^INFO \S+ \S+ - superlists.tests after$")


class StagingServerLogTest(SimpleTestCase):
    def test_reads_the_containers_log_since_the_moment_over_ssh(self) -> None:
        server = staging({**STAGING_ENV, "TEST_SERVER_CONTAINER": "superlists-next"})
        moment = datetime(2030, 1, 2, 3, 4, 5, 600_000, tzinfo=UTC)
        with mock.patch(
            "functional_tests.servers.run_over_ssh", return_value="INFO line"
        ) as run_over_ssh:
            self.assertEqual(server.log_since(moment), "INFO line")
        run_over_ssh.assert_called_once_with(
            "root@staging.example.com",
            "docker logs --since 2030-01-02T03:04:04Z superlists-next 2>&1",
        )


class GuardTest(SimpleTestCase):
    def server_saying(
        self, info: dict[str, Any], host: str = "staging.example.com"
    ) -> StagingServer:
        """A staging server whose ``server_info()`` says ``info``, asked through
        ``self.asked_server_info`` (a mock)."""
        server = staging({**STAGING_ENV, "TEST_SERVER": host})
        patcher = mock.patch.object(server, "server_info", return_value=info)
        self.asked_server_info = patcher.start()
        self.addCleanup(patcher.stop)
        return server

    def test_staging_that_says_so_is_allowed(self) -> None:
        server = self.server_saying(
            {"test_fixtures": True, "allowed_hosts": ["staging.example.com"]}
        )
        server.ensure_staging()  # does not raise

    def test_host_matching_the_production_pattern_is_refused_before_asking_it(self) -> None:
        server = self.server_saying({"test_fixtures": True}, host="superlists.example.com")
        with self.assertRaisesRegex(ProductionTargetRefused, "matches FT_PRODUCTION_HOSTS"):
            server.ensure_staging()
        self.asked_server_info.assert_not_called()

    def test_server_without_fixtures_is_refused(self) -> None:
        server = self.server_saying(
            {"test_fixtures": False, "allowed_hosts": ["staging.example.com"]}
        )
        with self.assertRaisesRegex(ProductionTargetRefused, "fixtures are disabled"):
            server.ensure_staging()

    def test_container_serving_another_host_is_refused(self) -> None:
        server = self.server_saying({"test_fixtures": True, "allowed_hosts": ["other.example"]})
        with self.assertRaisesRegex(ProductionTargetRefused, "not staging.example.com"):
            server.ensure_staging()

    def test_a_server_is_asked_once(self) -> None:
        server = self.server_saying(
            {"test_fixtures": True, "allowed_hosts": ["staging.example.com"]}
        )
        server.ensure_staging()
        server.ensure_staging()
        self.asked_server_info.assert_called_once()

    def test_reset_is_not_run_on_a_refused_server(self) -> None:
        server = self.server_saying({"test_fixtures": False, "allowed_hosts": []})
        with (
            mock.patch.object(server, "_fixture_channel") as fixture_channel,
            self.assertRaises(ProductionTargetRefused),
        ):
            server.reset()
        fixture_channel.assert_not_called()


class ServerInfoTest(SimpleTestCase):
    def setUp(self) -> None:
        self.server = staging({**STAGING_ENV, "TEST_SERVER": "staging.example.com"})

    def test_comes_from_the_fixture_channels_greeting(self) -> None:
        channel = mock.Mock(server_info={"test_fixtures": True})
        with (
            mock.patch.object(self.server, "_fixture_channel", return_value=channel),
            mock.patch("functional_tests.servers.run_over_ssh") as run_over_ssh,
        ):
            self.assertEqual(self.server.server_info(), {"test_fixtures": True})
        run_over_ssh.assert_not_called()

    def test_where_no_channel_starts_the_server_info_command_answers(self) -> None:
        refused = RemoteCommandFailed("Unknown command: 'serve_fixture_commands'")
        with (
            mock.patch.object(self.server, "_fixture_channel", side_effect=refused),
            mock.patch(
                "functional_tests.servers.run_over_ssh", return_value='{"test_fixtures": false}'
            ) as run_over_ssh,
        ):
            self.assertEqual(self.server.server_info(), {"test_fixtures": 0})
        destination, command = run_over_ssh.call_args.args
        self.assertEqual(destination, "root@staging.example.com")
        self.assertEqual(command, "docker exec superlists python manage.py server_info")


class MailMatchingTest(SimpleTestCase):
    sent_after = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)

    def headers(
        self, to: str = "tester+a@x.test", subject: str = "Hi", date: datetime | None = None
    ) -> EmailMessage:
        message = EmailMessage()
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = format_datetime(date or self.sent_after + timedelta(seconds=1))
        return message

    def test_matches_exact_recipient_subject_and_recent_date(self) -> None:
        self.assertTrue(matches(self.headers(), "tester+a@x.test", "Hi", self.sent_after))

    def test_other_plus_address_does_not_match(self) -> None:
        self.assertFalse(
            matches(self.headers(to="tester+ab@x.test"), "tester+a@x.test", "Hi", self.sent_after)
        )

    def test_other_subject_does_not_match(self) -> None:
        self.assertFalse(
            matches(self.headers(subject="Hi!"), "tester+a@x.test", "Hi", self.sent_after)
        )

    def test_date_in_utc_with_unknown_zone_matches(self) -> None:
        message = self.headers()
        message.replace_header("Date", "Thu, 01 Jan 2026 12:00:01 -0000")
        self.assertTrue(matches(message, "tester+a@x.test", "Hi", self.sent_after))

    def test_email_without_a_date_does_not_match(self) -> None:
        message = self.headers()
        del message["Date"]
        self.assertFalse(matches(message, "tester+a@x.test", "Hi", self.sent_after))

    def test_email_older_than_the_request_does_not_match(self) -> None:
        old = self.headers(date=self.sent_after - timedelta(minutes=5))
        self.assertFalse(matches(old, "tester+a@x.test", "Hi", self.sent_after))
