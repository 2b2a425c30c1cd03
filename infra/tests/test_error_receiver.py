"""The stand-in's error receiver (infra/standin/mail/error_receiver.py), run for real on two
loopback addresses of a free port: a report sent to one is read back from the other, as the
containers send to their gateway and the staging tests read on the mail host."""

import json
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request
from typing import Any

from observability.tests.fake_services import free_port

SENDER_SIDE, READER_SIDE = "127.0.0.2", "127.0.0.1"


class ErrorReceiverTest(unittest.TestCase):
    def setUp(self) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "infra.standin.mail.error_receiver", "--port",
                   str(self.port), "--listen", SENDER_SIDE, "--listen", READER_SIDE]  # fmt: skip
        receiver = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(receiver.wait, 10)
        self.addCleanup(receiver.terminate)
        deadline = time.monotonic() + 20
        while True:
            try:
                self.get("/api/eventlist/")
                break
            except (urllib.error.URLError, ConnectionError):
                if receiver.poll() is not None or time.monotonic() > deadline:
                    self.fail("the error receiver did not start")
                time.sleep(0.1)

    def get(self, path: str) -> Any:
        url = f"http://{READER_SIDE}:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=5) as answer:
            return json.load(answer)

    def test_a_report_sent_to_one_address_is_read_on_the_other(self) -> None:
        event = {"event_id": "0" * 32, "level": "error", "message": "boom"}
        envelope = "\n".join(
            json.dumps(part) for part in ({"event_id": "0" * 32}, {"type": "event"}, event)
        ).encode()
        request = urllib.request.Request(
            f"http://{SENDER_SIDE}:{self.port}/api/1/envelope/",
            data=envelope,
            headers={"Content-Type": "application/x-sentry-envelope"},  # as sentry-sdk sends it
        )
        with urllib.request.urlopen(request, timeout=5):
            pass
        [listed] = self.get("/api/eventlist/")["events"]
        body = self.get(f"/api/event/{listed['event_id']}")["payload"]["body"]
        self.assertEqual(body["message"], "boom")
