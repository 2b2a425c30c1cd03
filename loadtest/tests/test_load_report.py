"""The read-back's patience and the report's verdict, on a fake clock and fake answers; and the
command line, for real, against a port where nothing listens: a clear failure, never a
traceback."""

import math
import subprocess
import sys
import unittest

import requests

from loadtest.item_audit import Audit
from loadtest.read_back import RETRY_EVERY_S, ReadBack
from loadtest.report import Report
from loadtest.tally import Tally
from sitekit import config
from sitekit.loopback import free_port
from sitekit.web_client import Page


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def page(status: int) -> Page:
    return Page("http://127.0.0.1/", status, "", "", 0.01)


class ServerDownUntil:
    """A reader whose server refuses connections until ``up_at`` on the clock, then answers
    ``statuses`` in turn (the last one for good)."""

    def __init__(self, clock: FakeClock, up_at: float, *statuses: int) -> None:
        self.clock = clock
        self.up_at = up_at
        self.statuses = list(statuses) or [200]
        self.requests = 0
        self.dropped = 0

    def request(self, method: str, path: str) -> Page:
        self.requests += 1
        if self.clock.now < self.up_at:
            raise requests.ConnectionError(ConnectionRefusedError(111, "Connection refused"))
        return page(self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0])

    def drop_connections(self) -> None:
        self.dropped += 1


class ReadBackTest(unittest.TestCase):
    def setUp(self) -> None:
        self.clock = FakeClock()
        self.read_back = ReadBack(patience=2, clock=self.clock, pause=self.clock.advance)

    def test_waits_for_a_server_that_is_not_answering_yet(self) -> None:
        server = ServerDownUntil(self.clock, up_at=101)
        self.assertEqual(self.read_back.read(server, "/lists/a/", "a"), page(200))
        tries = math.ceil(1 / RETRY_EVERY_S)
        self.assertEqual((server.requests, server.dropped), (tries + 1, tries))
        self.assertEqual(
            self.read_back.summary(),
            f"1 pages, after waiting 1.00 s for the server (connection refused x{tries})",
        )

    def test_asks_again_after_a_server_error_but_takes_a_404_as_an_answer(self) -> None:
        server = ServerDownUntil(self.clock, 0, 502, 503, 404)
        self.assertEqual(self.read_back.read(server, "/lists/a/", "a"), page(404))
        self.assertEqual(server.requests, 3)
        self.assertEqual(self.read_back.failures, {"HTTP 502": 1, "HTTP 503": 1})

    def test_gives_up_at_its_deadline_and_says_what_went_unchecked(self) -> None:
        server = ServerDownUntil(self.clock, up_at=math.inf)
        self.assertIsNone(self.read_back.read(server, "/lists/a/", "/lists/a/ (3 items)"))
        self.assertLessEqual(self.clock.now, 102 + RETRY_EVERY_S)
        tries = server.requests
        # Past its deadline it asks nothing more, and notes each page it could not read.
        self.assertIsNone(self.read_back.read(server, "/lists/b/", "/lists/b/ (2 items)"))
        self.assertEqual(server.requests, tries)
        self.assertEqual(
            self.read_back.summary(),
            f"FAILED after 0 pages: the server did not answer within 2 s (connection refused "
            f"x{tries}); not checked: /lists/a/ (3 items), /lists/b/ (2 items)",
        )


def finished_read_back() -> ReadBack:
    read_back = ReadBack()
    read_back.pages_read = 3
    return read_back


def anonymous_report(failures: list[str], read_back: ReadBack | None) -> Report:
    clock = FakeClock()
    report = Report(anonymous_only=True, tally=Tally(clock=clock, wall_clock=lambda: 0.0))
    for failure in [None, *failures, None]:
        clock.advance(0.1)
        report.tally.record(clock.now - 0.05, None if failure else page(302), failure, "add")
    report.acknowledged["/lists/a/"] = ["item 1", "item 2"]
    report.read_back = read_back
    report.seconds = 0.4
    report.load_ended_at = clock.now
    return report


class VerdictTest(unittest.TestCase):
    def test_a_clean_run_passes_and_says_the_private_list_part_was_not_run(self) -> None:
        report = anonymous_report([], finished_read_back())
        self.assertTrue(report.ok, report.summary())
        lines = report.summary().splitlines()
        self.assertIn(
            "private list  not run (--anonymous-only): nobody logged in, so no owner, sharee, "
            "private list, ticks, edits or deletes were tried or audited",
            lines,
        )
        self.assertEqual(lines[-2], "2 requests, 0 failed, 0 lost items, 0 duplicated")
        self.assertTrue(lines[-1].startswith("verdict       PASS: every request answered"))

    def test_any_failed_request_fails_the_run_and_every_figure_is_stated(self) -> None:
        report = anonymous_report(["connection refused", "HTTP 502"], finished_read_back())
        report.audit = Audit(lost=["'item 2' in /lists/a/"], duplicated=[])
        lines = report.summary().splitlines()
        self.assertIn("failed        2: connection refused 1, HTTP 502 1", lines)
        self.assertEqual(lines[-2], "4 requests, 2 failed, 1 lost items, 0 duplicated")
        self.assertEqual(lines[-1], "verdict       FAIL: 2 requests failed; 1 items lost")
        self.assertFalse(report.ok)

    def test_a_read_back_that_did_not_finish_fails_the_run(self) -> None:
        read_back = ReadBack()
        read_back.gave_up = "the server did not answer within 30 s (connection refused x150)"
        read_back.unread = ["/lists/a/ (2 items)"]
        report = anonymous_report([], read_back)
        self.assertEqual(
            report.problems(), ["the read-back did not finish: what was kept is unknown"]
        )
        self.assertIn(
            "read-back     FAILED after 0 pages: the server did not answer", report.summary()
        )

    def test_a_failed_set_up_is_the_one_problem_named(self) -> None:
        report = Report(set_up_failure="could not GET /: connection refused")
        report.tally.record(report.tally.clock(), None, "connection refused", "GET /")
        self.assertEqual(
            report.problems(),
            ["set-up failed: could not GET /: connection refused", "1 requests failed"],
        )


class CommandLineTest(unittest.TestCase):
    def load_test(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "loadtest", *arguments],
            cwd=config.REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def test_a_server_that_is_not_there_fails_the_run_with_a_reason_not_a_traceback(self) -> None:
        url = f"http://127.0.0.1:{free_port()}"
        for options in (["--anonymous-only"], ["--mail-port", str(free_port())]):
            with self.subTest(options=options):
                run = self.load_test(url, "--seconds", "1", *options)
                self.assertEqual(run.returncode, 1, run.stderr)
                self.assertNotIn("Traceback", run.stderr)
                self.assertIn("set-up failed: could not GET /: connection refused", run.stdout)
                self.assertIn("1 requests, 1 failed, 0 lost items, 0 duplicated", run.stdout)

    def test_only_loopback_addresses(self) -> None:
        run = self.load_test("http://10.0.0.1/", "--anonymous-only")
        self.assertEqual(run.returncode, 2)
        self.assertIn("10.0.0.1 is 10.0.0.1, not a loopback address", run.stderr)
        self.assertNotIn("Traceback", run.stderr)
