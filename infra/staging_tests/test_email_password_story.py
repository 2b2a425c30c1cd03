"""The book's debugging story, automated on the stand-in staging host.

The operator deploys from a shell where EMAIL_PASSWORD is not exported (`python -m
infra.standin deploy staging`, which passes the shell's environment on as `ansible-playbook`
would): the playbook warns, and the SMTP server refuses the login email (530, as Gmail did in
the book): the login FT fails, the user is told clearly (no bare "Server Error (500)"), and
`docker logs superlists` shows the SMTPSenderRefused traceback. Beyond the book, nobody has to go
and look: the FT's own failure report carries the server's log lines, the 530 among them, with
the request ID whose reference the page showed; and the error arrives, once, at the error
receiver (the stand-in's kent, where SENTRY_DSN points), naming the release, the environment and
the request, and nothing secret. Deployed again with the password exported, the same FT passes.
This test leaves staging deployed with the password, as it found it.
"""

import json
import os
import re
import subprocess
import sys
import unittest
import urllib.request
from typing import Any

from accounts.views import EMAIL_NOT_SENT
from functional_tests.base import wait
from infra.staging_tests.remote import ssh
from infra.standin import config, credentials
from observability.request_ids import QUOTE_THE_REFERENCE, REFERENCE_LENGTH

LOGIN_FT = "functional_tests.test_login.LoginTest.test_login_using_magic_link"


def operator_deploys_staging(email_password: str | None) -> subprocess.CompletedProcess:
    """`python -m infra.standin deploy staging` from a shell that has exported EMAIL_PASSWORD
    (or not, with None); its output is printed too, as the operator would see it."""
    environment = {name: value for name, value in os.environ.items() if name != "EMAIL_PASSWORD"}
    if email_password is not None:
        environment["EMAIL_PASSWORD"] = email_password
    result = subprocess.run(
        [sys.executable, "-m", "infra.standin", "deploy", "staging"],
        cwd=config.REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(result.stdout, result.stderr, sep="", flush=True)
    return result


def run_login_ft() -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "src/manage.py", "test", LOGIN_FT],
        cwd=config.REPO_ROOT,
        env={**os.environ, "TEST_SERVER": config.STAGING_HOST},
        capture_output=True,
        text=True,
        timeout=300,
    )


def error_receiver(path: str, data: bytes | None = None) -> Any:
    """The stand-in's kent's API: GET ``path`` (POST with ``data``)."""
    with urllib.request.urlopen(config.ERROR_RECEIVER_URL + path, data, timeout=10) as answer:
        return json.load(answer)


def error_reports() -> list[dict[str, Any]]:
    """The error events kent has received, oldest first."""
    listed = error_receiver("/api/eventlist/")["events"]
    bodies = [error_receiver(f"/api/event/{e['event_id']}")["payload"]["body"] for e in listed]
    return [body for body in bodies if isinstance(body, dict) and "level" in body]


def the_page_reference(ft_output: str) -> str:
    """The reference the page asked the user to quote, as the FT's failure shows the page."""
    quoted = re.escape(QUOTE_THE_REFERENCE).replace(r"\{reference\}", r"([0-9a-f]+)")
    match = re.search(quoted, ft_output)
    if match is None:
        raise AssertionError("The failing FT's output shows no reference to quote")
    return match.group(1)


class EmailPasswordStoryTest(unittest.TestCase):
    def test_missing_email_password_is_visible_and_fixed_by_deploying_it(self) -> None:
        # The operator deploys without exporting EMAIL_PASSWORD: Ansible warns them
        result = operator_deploys_staging(email_password=None)
        self.assertEqual(result.returncode, 0)
        self.assertIn("WARNING: EMAIL_PASSWORD is not set", result.stdout)
        try:
            # The server says so at start-up, in its logs
            self.assertIn("EMAIL_PASSWORD is not set", self.container_logs())

            # The login FT fails: the user is told the email could not be sent, with a reference
            error_receiver("/api/flush/", data=b"")
            failing = run_login_ft()
            self.assertNotEqual(failing.returncode, 0, failing.stderr)
            self.assertIn(EMAIL_NOT_SENT, failing.stderr)
            self.assertNotIn("Server Error (500)", failing.stderr)
            reference = the_page_reference(failing.stderr)
            self.assertEqual(len(reference), REFERENCE_LENGTH)

            # The FT's own failure report shows the server's side: the 530, in the request the
            # page's reference names
            report = failing.stderr.split("The server (", 1)[-1]
            # (the plain format: level, date and time, request ID, logger, message)
            error_entry = re.search(
                rf"^ERROR \S+ \S+ ({reference}[0-9a-f-]*) ", report, re.MULTILINE
            )
            if error_entry is None:
                self.fail(f"no ERROR line of request {reference} in the FT's report:\n{report}")
            request_id = error_entry.group(1)
            self.assertRegex(report, r"SMTPSenderRefused: \(530, b'5.7.0 Authentication required'")

            # docker logs shows the same, with the traceback, as in the book
            logs = self.container_logs()
            self.assertIn("Traceback", logs)
            self.assertIn("SMTPSenderRefused", logs)
            self.assertIn(request_id, logs)

            # The error arrives once at the error receiver, naming the release, the
            # environment and the request, with nothing secret or personal in it
            self.assert_reported_once(request_id)
        finally:
            # The fix: export the password and deploy again
            fixed = operator_deploys_staging(credentials.sender_password())
        self.assertEqual(fixed.returncode, 0)
        self.assertNotIn("WARNING: EMAIL_PASSWORD is not set", fixed.stdout)

        passing = run_login_ft()
        self.assertEqual(passing.returncode, 0, passing.stderr)

    def assert_reported_once(self, request_id: str) -> None:
        @wait  # sentry-sdk sends from a background thread
        def reported() -> list[dict[str, Any]]:
            refused = [e for e in error_reports() if "SMTPSenderRefused" in json.dumps(e)]
            self.assertEqual(len(refused), 1, [e.get("message") for e in refused])
            return refused

        [report] = reported()
        live_image = ssh(config.STAGING_HOST, "docker inspect --format '{{.Image}}' superlists")
        self.assertEqual(report["release"], live_image.stdout.strip())
        self.assertEqual(report["environment"], "staging")
        self.assertEqual(report["tags"]["request_id"], request_id)
        text = json.dumps(report)
        env_file = ssh(config.STAGING_HOST, "cat /srv/superlists/superlists.env").stdout
        secret_key = re.search(r"^DJANGO_SECRET_KEY=(.+)$", env_file, re.MULTILINE)
        assert secret_key is not None
        for secret in (secret_key.group(1), credentials.sender_password()):
            self.assertNotIn(secret, text)
        self.assertNotIn("@" + config.MAIL_DOMAIN, text)  # no email address, the sender's too
        self.assertNotIn("token=", text)

    def container_logs(self) -> str:
        logs = ssh(config.STAGING_HOST, "docker logs superlists")
        return logs.stdout + logs.stderr
