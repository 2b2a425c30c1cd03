"""Which local mailbox an address belongs to, and delivery into that mailbox's Maildir."""

import mailbox
import time
from email.utils import formatdate
from pathlib import Path

from .. import config


def mailbox_for(address: str) -> str | None:
    """The local mailbox of `address`, or None if it is not one of ours.

    Plus-addressing: `tester+anything@superlists.test` belongs to `tester`, so each test can
    use a unique address and find exactly its own mail.
    """
    local_part, at, domain = address.strip().strip("<>").rpartition("@")
    if not at or domain.lower() != config.MAIL_DOMAIN:
        return None
    name = local_part.partition("+")[0].lower()
    return name if name in config.MAILBOXES else None


def maildir_path(name: str) -> Path:
    return config.MAIL_ROOT / name / "Maildir"


def delivery_headers(recipient: str, peer: str) -> bytes:
    """Headers recording the exact envelope recipient, which the message itself may not name."""
    received = (
        f"Received: from {peer} by {config.MAIL_HOST} (superlists stand-in SMTP)\n"
        f"\tfor <{recipient}>; {formatdate(time.time(), localtime=True)}\n"
    )
    return f"Delivered-To: {recipient}\n{received}".encode()


def deliver(recipient: str, message: bytes, peer: str) -> None:
    name = mailbox_for(recipient)
    if name is None:
        raise ValueError(f"{recipient} is not a local mailbox")
    maildir = mailbox.Maildir(maildir_path(name), create=False)
    # Maildir files use the local line ending; SMTP's CRLF is restored by the POP3 server.
    maildir.add(delivery_headers(recipient, peer) + message.replace(b"\r\n", b"\n"))
