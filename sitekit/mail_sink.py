"""A real SMTP server on a loopback port that keeps what it receives, for the instance tests."""

import email
import email.policy
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from sitekit.loopback import free_port


class KeepMessages:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)  # as sent: the controller decodes nothing
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def wait_for_message_to(self, address: str, timeout: float = 10) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if address in message["To"]:
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no email to {address} within {timeout} s: {self.messages}")


@contextmanager
def mail_sink(port: int = 0) -> Iterator[tuple[int, KeepMessages]]:
    """Yield (port, handler) of an SMTP server on 127.0.0.1 that accepts everything.

    It listens on ``port``, or on a free one if that is 0.
    """
    handler = KeepMessages()
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield controller.port, handler
    finally:
        controller.stop()
