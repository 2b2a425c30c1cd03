import sys
import textwrap
from unittest import TestCase

from functional_tests.fixture_channel import FixtureChannel
from functional_tests.ssh import RemoteCommandFailed

# A stand-in for `manage.py serve_fixture_commands`, speaking the same protocol.
FAKE_SERVER = textwrap.dedent(
    """
    import json, sys, time
    if sys.argv[1] == "refuse":
        sys.exit("Unknown command: 'serve_fixture_commands'")
    if sys.argv[1] == "silent":
        time.sleep(30)
    print(json.dumps({"ok": True, "server_info": {"test_fixtures": True}}), flush=True)
    for line in sys.stdin:
        name, *arguments = json.loads(line)
        if name == "echo":
            print(json.dumps({"ok": True, "output": " ".join(arguments)}), flush=True)
        elif name == "fail":
            print(json.dumps({"ok": False, "error": "no such email"}), flush=True)
        elif name == "garble":
            print("Traceback (most recent call last):", flush=True)
        else:
            sys.exit(f"crashed on {name}")
    """
)


class FixtureChannelTest(TestCase):
    def channel(self, behaviour: str = "serve", timeout: float = 10) -> FixtureChannel:
        command = [sys.executable, "-c", FAKE_SERVER, behaviour]
        channel = FixtureChannel(command, "the fake server", timeout=timeout)
        self.addCleanup(channel.close)
        return channel

    def test_reads_the_greeting_then_answers_requests_in_turn(self) -> None:
        channel = self.channel()
        self.assertEqual(channel.server_info, {"test_fixtures": True})
        self.assertEqual(channel.run("echo", "edith@example.com"), "edith@example.com")
        self.assertEqual(channel.run("echo", "a second", "request"), "a second request")

    def test_a_command_error_says_what_failed_where(self) -> None:
        with self.assertRaisesRegex(
            RemoteCommandFailed, "`fail x@y.z` failed in the fake server: no such email"
        ):
            self.channel().run("fail", "x@y.z")

    def test_a_server_that_ends_gives_its_exit_status_and_errors(self) -> None:
        channel = self.channel()
        with self.assertRaisesRegex(RemoteCommandFailed, r"ended \(exit 1\) .*\n.*crashed on boom"):
            channel.run("boom")
        self.assertFalse(channel.is_running())

    def test_a_server_that_will_not_start_says_why(self) -> None:
        with self.assertRaisesRegex(RemoteCommandFailed, "before its greeting:\nUnknown command"):
            self.channel("refuse")

    def test_an_answer_that_is_not_json_is_an_error(self) -> None:
        with self.assertRaisesRegex(RemoteCommandFailed, "'Traceback .*', not JSON"):
            self.channel().run("garble")

    def test_a_silent_server_times_out(self) -> None:
        with self.assertRaisesRegex(RemoteCommandFailed, "its greeting from the fake server took"):
            self.channel("silent", timeout=0.5)

    def test_closing_ends_the_server(self) -> None:
        channel = self.channel()
        channel.close()
        self.assertFalse(channel.is_running())
