"""Real servers on this machine's loopback, for the error-report tests: kent, a fake Sentry
made for integration tests (a dev dependency), and an SMTP server that refuses to send without
logging in, as Gmail did in the book (``530 5.7.0 Authentication required``)."""

import json
import logging
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

START_TIMEOUT_S = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Kent:
    base_url: str

    @property
    def dsn(self) -> str:
        return self.base_url.replace("http://", "http://public@") + "/1"

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.base_url + path, timeout=5) as response:
            return json.load(response)

    def events(self) -> list[dict[str, Any]]:
        """The bodies of the error events received so far, oldest first."""
        bodies = [
            self.get(f"/api/event/{listed['event_id']}")["payload"]["body"]
            for listed in self.get("/api/eventlist/")["events"]
        ]
        return [body for body in bodies if isinstance(body, dict) and "level" in body]

    def wait_for_events(self, count: int, timeout: float = 10) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(events := self.events()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return events


@contextmanager
def kent_server() -> Iterator[Kent]:
    """A kent-server on a free loopback port, stopped when the block ends."""
    port = free_port()
    kent = Kent(f"http://127.0.0.1:{port}")
    command = [str(Path(sys.executable).parent / "kent-server"), "run", "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                kent.get("/api/eventlist/")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"kent-server did not start on port {port}") from None
                time.sleep(0.1)
        yield kent
    finally:
        process.terminate()
        process.wait(timeout=10)


class RefuseEveryLogin:
    """An authenticator that lets nobody in: every mail is refused with 530."""

    def __call__(self, *args: object) -> AuthResult:
        return AuthResult(success=False)


@contextmanager
def smtp_requiring_login() -> Iterator[int]:
    """Yield the port of an SMTP server on 127.0.0.1 that answers every unauthenticated
    sender with ``530 5.7.0 Authentication required``. Its own chatter (a line per SMTP
    command, a warning about AUTH without TLS: loopback only, for a test) is kept quiet."""
    chatter = logging.getLogger("mail.log")
    level = chatter.level
    chatter.setLevel(logging.ERROR)
    controller = Controller(
        object(),
        hostname="127.0.0.1",
        port=free_port(),
        auth_required=True,
        auth_require_tls=False,  # loopback only, for a test: no TLS to set up
        authenticator=RefuseEveryLogin(),
    )
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            controller.start()
        yield controller.port
    finally:
        controller.stop()
        chatter.setLevel(level)
