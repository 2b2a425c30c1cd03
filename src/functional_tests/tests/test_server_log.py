import io
import json
import os
import re
import unittest
from unittest import mock

from django.test import SimpleTestCase, TransactionTestCase, override_settings
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from functional_tests.base import FunctionalTest
from functional_tests.server_log import OTHER_ENTRIES_SHOWN, entries, errors_first
from observability.tests.fake_services import smtp_requiring_login

PLAIN_LOG = """\
[2030-01-01 12:00:00 +0000] [7] [INFO] Booting worker with pid: 7
INFO 2030-01-01 12:00:01,000 id-1 superlists.requests GET / 200 3.0 ms user - from 192.0.2.1
ERROR 2030-01-01 12:00:02,000 id-2 accounts.views Could not send the login email to user ab12
Traceback (most recent call last):
  File "/src/accounts/views.py", line 57, in send_login_email
smtplib.SMTPSenderRefused: (530, b'5.7.0 Authentication required', '<email>')
INFO 2030-01-01 12:00:02,100 id-2 superlists.requests POST /accounts/send_login_email 302 9 ms"""


class ErrorsFirstTest(SimpleTestCase):
    def test_entries_keep_their_tracebacks(self) -> None:
        found = entries(PLAIN_LOG)
        self.assertEqual(len(found), 4)
        self.assertTrue(found[2].endswith("'<email>')"))

    def test_errors_with_their_tracebacks_come_first_then_the_rest_in_order(self) -> None:
        report = errors_first(PLAIN_LOG, "The server")
        lines = report.splitlines()
        self.assertEqual(lines[0], "The server logged 1 error(s) during the test:")
        self.assertTrue(lines[1].startswith("ERROR ") and "id-2" in lines[1])
        self.assertIn("SMTPSenderRefused: (530", lines[4])
        self.assertEqual(lines[5], "and 3 other line(s):")
        self.assertIn("Booting worker", lines[6])

    def test_json_lines_and_gunicorns_errors_count_as_errors(self) -> None:
        log = "\n".join([
            json.dumps({"level": "ERROR", "message": "boom", "request_id": "id-9"}),
            json.dumps({"level": "INFO", "message": "fine"}),
            "[2030-01-01 12:00:00 +0000] [1] [ERROR] Worker (pid:8) was sent SIGKILL!",
        ])  # fmt: skip
        report = errors_first(log, "The server")
        self.assertTrue(report.startswith("The server logged 2 error(s)"))

    def test_only_the_latest_other_lines_are_shown(self) -> None:
        log = "\n".join(f"INFO line {n}" for n in range(OTHER_ENTRIES_SHOWN + 10))
        report = errors_first(log, "The server")
        self.assertIn(f"(the last {OTHER_ENTRIES_SHOWN} of {OTHER_ENTRIES_SHOWN + 10})", report)
        self.assertNotIn("INFO line 9\n", report)
        self.assertTrue(report.endswith(f"INFO line {OTHER_ENTRIES_SHOWN + 9}"))

    def test_an_empty_log_says_so(self) -> None:
        self.assertEqual(
            errors_first("", "The server"), "The server logged nothing during the test."
        )


class TheBooksStoryLocallyTest(TransactionTestCase):
    """The book's 530 story, on the local live server: the login FT fails in the browser, and
    its failure report shows why, from the server's side, with the request ID the page gave.

    It runs an FT of its own, which uses the database as FTs do (TransactionTestCase, so that
    the test database exists for it). That FT is on the local live server even in a run
    against staging.
    """

    def test_a_failed_ft_reports_the_servers_traceback_and_the_request_id(self) -> None:
        class LoginWithoutMailPassword(FunctionalTest):
            def save_failure_artifacts(self) -> None:
                pass  # a failure on purpose: no screenshot to look at

            def runTest(self) -> None:
                self.browser.get(self.live_server_url)
                self.browser.find_element(By.CSS_SELECTOR, "input[name=email]").send_keys(
                    "edith@example.com", Keys.ENTER
                )
                # The server's error page comes, then the book's check fails at once (its
                # wait_for would only look again for MAX_WAIT seconds)
                self.wait_for(lambda: self.assertIn("quote the reference", self.page_text()))
                self.assertIn("Check your email", self.page_text())

        local = {name: value for name, value in os.environ.items() if name != "TEST_SERVER"}
        with (
            mock.patch.dict(os.environ, local, clear=True),
            smtp_requiring_login() as port,
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=port,
                EMAIL_USE_TLS=False,
                EMAIL_TIMEOUT=5,
            ),
        ):
            output = io.StringIO()
            outcome = unittest.TextTestRunner(stream=output, verbosity=0).run(
                unittest.TestSuite([LoginWithoutMailPassword()])
            )
        report = output.getvalue()
        self.assertEqual((outcome.testsRun, len(outcome.failures)), (1, 1), report)
        # What the browser saw: the reference of the request that failed
        reference = re.search(r"quote the reference (\w+)\.", report)
        assert reference, report
        # What the server logged: the traceback, first, and that request's ID with it
        server_side = report[report.index("The server (http://") :]
        first_error = entries(server_side.split("\n", 1)[1])[0]
        self.assertIn("SMTPSenderRefused: (530", first_error)
        self.assertRegex(first_error, rf"^ERROR \S+ \S+ {reference.group(1)}[\w-]* accounts.views")
        self.assertNotIn("edith@example.com", server_side)
