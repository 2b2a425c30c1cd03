"""Send a test mail as the app would, and read it back as the functional tests will (POP3)."""

import email
import email.message
import email.policy
import poplib
import secrets
import smtplib
import time

from . import config, credentials


def unique_test_address(purpose: str) -> str:
    """A plus-address of the test mailbox that no other mail uses: match on it, not on subjects."""
    return f"{config.TEST_MAILBOX}+{purpose}-{secrets.token_hex(4)}@{config.MAIL_DOMAIN}"


def send_test_mail(recipient: str, subject: str, host: str = config.MAIL_HOST) -> None:
    message = email.message.EmailMessage()
    message["From"] = config.SENDER_ACCOUNT
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content("Sent by the superlists stand-in's self-test.\n")
    with smtplib.SMTP(host, config.SMTP_PORT, timeout=10) as smtp:
        smtp.login(config.SENDER_ACCOUNT, credentials.sender_password())
        smtp.send_message(message)


def take_mail_for(recipient: str, timeout: float = 15.0) -> email.message.EmailMessage:
    """Wait for a mail delivered to exactly `recipient`, delete it from the mailbox, return it.

    Raises TimeoutError if none arrives within `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        pop3 = poplib.POP3(config.MAIL_HOST, config.POP3_PORT, timeout=10)
        try:
            pop3.user(config.TEST_MAILBOX)
            pop3.pass_(credentials.mailbox_password(config.TEST_MAILBOX))
            count, _ = pop3.stat()
            for number in range(1, count + 1):
                _, lines, _ = pop3.retr(number)
                message = email.message_from_bytes(b"\r\n".join(lines), policy=email.policy.default)
                if message["Delivered-To"] == recipient:
                    pop3.dele(number)
                    return message  # type: ignore[return-value]
        finally:
            pop3.quit()
        if time.monotonic() > deadline:
            raise TimeoutError(f"no mail for {recipient} within {timeout} s")
        time.sleep(0.2)
