"""Wait for one email in a real mailbox, over POP3, without ever taking a stale or foreign one.

A message matches only if it is addressed to exactly the recipient asked for, has exactly the
subject asked for, and is dated no earlier than the request (allowing for clock skew). Only the
matching message is deleted; everything else is left alone.
"""

import email
import email.policy
import email.utils
import poplib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

POLL_INTERVAL = 0.2
CLOCK_SKEW = timedelta(seconds=5)


class NoSuchEmail(AssertionError):
    pass


@dataclass(frozen=True)
class Pop3Account:
    host: str
    port: int
    use_ssl: bool
    user: str
    password: str


def wait_for_email(
    account: Pop3Account, recipient: str, subject: str, sent_after: datetime, timeout: float = 30
) -> EmailMessage:
    deadline = time.monotonic() + timeout
    while True:
        message, seen = _take_matching_message(account, recipient, subject, sent_after)
        if message is not None:
            return message
        if time.monotonic() > deadline:
            raise NoSuchEmail(
                f"No email to {recipient} with subject {subject!r} sent after "
                f"{sent_after:%H:%M:%S} arrived in {account.user}@{account.host} within "
                f"{timeout} s. The mailbox holds {len(seen)} other message(s):\n" + "\n".join(seen)
            )
        time.sleep(POLL_INTERVAL)


def matches(headers: EmailMessage, recipient: str, subject: str, sent_after: datetime) -> bool:
    addressed_to = {
        address.lower()
        for _, address in email.utils.getaddresses(
            headers.get_all("To", []) + headers.get_all("Delivered-To", [])
        )
    }
    return (
        recipient.lower() in addressed_to
        and headers["Subject"] == subject
        and (sent_at := date_of(headers)) is not None
        and sent_at >= sent_after - CLOCK_SKEW
    )


def date_of(headers: EmailMessage) -> datetime | None:
    if headers["Date"] is None:
        return None
    sent_at: datetime = headers["Date"].datetime
    # "-0000" (Django's default) means UTC with the sender's zone unknown (RFC 5322, 3.3).
    return sent_at if sent_at.tzinfo else sent_at.replace(tzinfo=UTC)


def _connect(account: Pop3Account) -> poplib.POP3:
    connection_class = poplib.POP3_SSL if account.use_ssl else poplib.POP3
    connection = connection_class(account.host, account.port, timeout=10)
    connection.user(account.user)
    connection.pass_(account.password)
    return connection


def _parse(lines: list[bytes]) -> EmailMessage:
    return email.message_from_bytes(b"\r\n".join(lines), policy=email.policy.default)


def _take_matching_message(
    account: Pop3Account, recipient: str, subject: str, sent_after: datetime
) -> tuple[EmailMessage | None, list[str]]:
    seen: list[str] = []
    connection = _connect(account)
    try:
        count, _size = connection.stat()
        for number in range(1, count + 1):
            headers = _parse(connection.top(number, 0)[1])
            if matches(headers, recipient, subject, sent_after):
                message = _parse(connection.retr(number)[1])
                connection.dele(number)
                return message, seen
            seen.append(f"  to {headers['To']}, {headers['Subject']!r}, {headers['Date']}")
        return None, seen
    finally:
        connection.quit()  # commits the deletion, if any
