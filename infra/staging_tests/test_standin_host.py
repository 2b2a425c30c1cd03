"""The stand-in staging host itself, used as the deploy and the functional tests will use it.

These fail (never skip) when it is not up: run `.venv/bin/python -m infra.standin up` first
(scripts/test-staging does).
"""

import json
import smtplib
import subprocess
import unittest
from datetime import UTC, datetime

from infra.standin import config, credentials, dovecot, engine, mail, mail_probe, sshd

NOT_UP = "the stand-in is not up: run `.venv/bin/python -m infra.standin up` first"


class StandinIntegrationTest(unittest.TestCase):
    """Uses the running stand-in; fails with NOT_UP if it is not running."""

    @classmethod
    def setUpClass(cls) -> None:
        running = {
            "engine": engine.is_running(),
            "sshd": sshd.is_running(),
            "SMTP": mail.smtp_is_running(),
            "POP3": dovecot.is_running(),
        }
        stopped = [name for name, is_up in running.items() if not is_up]
        if stopped:
            raise AssertionError(f"{NOT_UP} (not running: {', '.join(stopped)})")

    def test_smtp_refuses_unauthenticated_senders_like_a_real_provider(self) -> None:
        with (
            smtplib.SMTP(config.MAIL_HOST, config.SMTP_PORT, timeout=10) as smtp,
            self.assertRaises(smtplib.SMTPSenderRefused) as refused,
        ):
            smtp.sendmail(config.SENDER_ACCOUNT, [config.TEST_EMAIL_ADDRESS], b"Hi")
        self.assertEqual(refused.exception.smtp_code, 530)
        self.assertEqual(refused.exception.smtp_error, b"5.7.0 Authentication required")

    def test_smtp_refuses_a_wrong_password(self) -> None:
        with (
            smtplib.SMTP(config.MAIL_HOST, config.SMTP_PORT, timeout=10) as smtp,
            self.assertRaises(smtplib.SMTPAuthenticationError) as refused,
        ):
            smtp.login(config.SENDER_ACCOUNT, "not-the-password")
        self.assertEqual(refused.exception.smtp_code, 535)

    def test_authenticated_mail_to_a_plus_address_arrives_over_pop3(self) -> None:
        recipient = mail_probe.unique_test_address("test")
        sent_after = datetime.now(UTC)
        mail_probe.send_test_mail(recipient, "Your login link for Superlists")
        message = mail_probe.take_mail_for(
            recipient, "Your login link for Superlists", sent_after, timeout=15
        )
        self.assertEqual(message["Delivered-To"], recipient)
        self.assertEqual(message["To"], recipient)
        self.assertEqual(message["Subject"], "Your login link for Superlists")
        self.assertEqual(message["From"], config.SENDER_ACCOUNT)

    def test_unknown_recipient_is_refused(self) -> None:
        with smtplib.SMTP(config.MAIL_HOST, config.SMTP_PORT, timeout=10) as smtp:
            smtp.login(config.SENDER_ACCOUNT, credentials.sender_password())
            with self.assertRaises(smtplib.SMTPRecipientsRefused) as refused:
                smtp.sendmail(config.SENDER_ACCOUNT, [f"nobody@{config.MAIL_DOMAIN}"], b"Hi")
        recipient_errors = refused.exception.recipients
        self.assertEqual(recipient_errors[f"nobody@{config.MAIL_DOMAIN}"][0], 550)

    def test_docker_answers_over_ssh_on_the_staging_host(self) -> None:
        result = subprocess.run(
            sshd.ssh(config.STAGING_HOST, "docker", "version", "--format", "{{.Server.Version}}"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout.strip(), r"^\d+\.\d+")

    def test_base_image_is_labelled_as_a_stand_in(self) -> None:
        labels = engine.podman(
            "image", "inspect", "--format", "{{json .Labels}}", config.BASE_IMAGE
        )
        self.assertEqual(json.loads(labels)[config.STANDIN_LABEL], config.STANDIN_LABEL_VALUE)
