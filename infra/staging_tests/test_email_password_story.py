"""The book's debugging story, automated on the stand-in staging host.

The operator deploys from a shell where EMAIL_PASSWORD is not exported (`python -m
infra.standin deploy staging`, which passes the shell's environment on as `ansible-playbook`
would): the playbook warns, and the SMTP server refuses the login email (530, as Gmail did in
the book): the login FT fails, the user is told clearly (no bare "Server Error (500)"), and
`docker logs superlists` shows the SMTPSenderRefused traceback. Deployed again with the password
exported, the same FT passes. This test leaves staging deployed with the password, as it found
it.
"""

import os
import subprocess
import sys
import unittest

from accounts.views import EMAIL_NOT_SENT
from infra.staging_tests.remote import ssh
from infra.standin import config, credentials

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


class EmailPasswordStoryTest(unittest.TestCase):
    def test_missing_email_password_is_visible_and_fixed_by_deploying_it(self) -> None:
        # The operator deploys without exporting EMAIL_PASSWORD: Ansible warns them
        result = operator_deploys_staging(email_password=None)
        self.assertEqual(result.returncode, 0)
        self.assertIn("WARNING: EMAIL_PASSWORD is not set", result.stdout)
        try:
            # The server says so at start-up, in its logs
            self.assertIn("EMAIL_PASSWORD is not set", self.container_logs())

            # The login FT fails: the user is told the email could not be sent
            failing = run_login_ft()
            self.assertNotEqual(failing.returncode, 0, failing.stderr)
            self.assertIn(EMAIL_NOT_SENT, failing.stderr)
            self.assertNotIn("Server Error (500)", failing.stderr)

            # docker logs shows why, with the traceback
            logs = self.container_logs()
            self.assertIn("Traceback", logs)
            self.assertIn("SMTPSenderRefused", logs)
            self.assertIn("530", logs)
            self.assertIn("Authentication required", logs)
        finally:
            # The fix: export the password and deploy again
            fixed = operator_deploys_staging(credentials.sender_password())
        self.assertEqual(fixed.returncode, 0)
        self.assertNotIn("WARNING: EMAIL_PASSWORD is not set", fixed.stdout)

        passing = run_login_ft()
        self.assertEqual(passing.returncode, 0, passing.stderr)

    def container_logs(self) -> str:
        logs = ssh(config.STAGING_HOST, "docker logs superlists")
        return logs.stdout + logs.stderr
