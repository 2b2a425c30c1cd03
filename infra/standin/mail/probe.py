"""Send a test mail as the app would, and read it back as the functional tests do: with their
own POP3 reader (functional_tests.mailbox)."""

import email.message
import email.utils
import secrets
import smtplib
from datetime import UTC, datetime

from functional_tests.mailbox import Pop3Account, wait_for_email

from .. import config, credentials


def unique_test_address(purpose: str) -> str:
    """A plus-address of the test mailbox that no other mail uses: match on it, not on subjects."""
    return f"{config.TEST_MAILBOX}+{purpose}-{secrets.token_hex(4)}@{config.MAIL_DOMAIN}"


def stand_in_mailbox() -> Pop3Account:
    """The test mailbox on the stand-in's POP3 server, where the FTs read their emails."""
    return Pop3Account(
        host=config.MAIL_HOST,
        port=config.POP3_PORT,
        use_ssl=False,
        user=config.TEST_MAILBOX,
        password=credentials.mailbox_password(config.TEST_MAILBOX),
    )


def send_test_mail(recipient: str, subject: str, host: str = config.MAIL_HOST) -> None:
    message = email.message.EmailMessage()
    message["From"] = config.SENDER_ACCOUNT
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(datetime.now(UTC))
    message.set_content("Sent by the superlists stand-in's self-test.\n")
    with smtplib.SMTP(host, config.SMTP_PORT, timeout=10) as smtp:
        smtp.login(config.SENDER_ACCOUNT, credentials.sender_password())
        smtp.send_message(message)


def take_mail_for(
    recipient: str, subject: str, sent_after: datetime, timeout: float = 15.0
) -> email.message.EmailMessage:
    """Wait for the mail to exactly ``recipient`` with ``subject``, delete it, return it.

    Raises functional_tests.mailbox.NoSuchEmail if none arrives within ``timeout`` seconds.
    """
    return wait_for_email(stand_in_mailbox(), recipient, subject, sent_after, timeout)
