"""The load test through an outage, against a real instance: production's gunicorn, killed in
the middle of the run (SIGKILL to all its processes: requests in flight are cut off, then
connections refused) and started again on the same port, as a crash or a careless redeploy does.

The load test must count every failed request, time the one outage, not crash, and lose nothing
the server acknowledged; and if the server never comes back, its read-back must give up after
the time it was given, say so, and fail the run, still without a crash.
"""

import tempfile
import threading
import time
import unittest
from collections.abc import Callable
from pathlib import Path

from loadtest.read_back import PATIENCE_S
from loadtest.report import Report
from loadtest.run import run_load
from loadtest.tests.restartable_instance import restartable_instance
from sitekit.instances import instances_env
from sitekit.mail_sink import KeepMessages

# The test stops the load itself once it has seen what it needs; this only bounds a run gone
# wrong.
SECONDS_AT_MOST = 60
# Requests the instance serves before it is killed, and again after its restart: the load is
# under way, and under way again.
SERVED = 150
CLIENTS = 6
# How a request fails when its server is killed or not there: nothing else may show (a 5xx, a
# 403 for a CSRF token, an unexpected page would be a fault of the app or the load test).
NETWORK_FAILURES = {
    "connection refused",
    "connection reset",
    "closed without an answer",
    "answer cut short",
    "connection aborted",
    "connection broken",
}


class LoadThroughAnOutageTest(unittest.TestCase):
    env: dict[str, str]
    mailbox: KeepMessages

    @classmethod
    def setUpClass(cls) -> None:
        directory = cls.enterClassContext(tempfile.TemporaryDirectory())
        database = {"DJANGO_DB_PATH": str(Path(directory) / "db.sqlite3")}
        cls.env, cls.mailbox = cls.enterClassContext(instances_env(database))

    def setUp(self) -> None:
        directory = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.instance = self.enterContext(restartable_instance(self.env, directory))

    def load_while(
        self,
        action: Callable[[], None],
        mailbox: KeepMessages | None,
        read_back_patience: float = PATIENCE_S,
    ) -> Report:
        """Run the load test while ``action`` runs beside it; the load stops when it is done."""
        stop = threading.Event()
        errors: list[BaseException] = []

        def act() -> None:
            try:
                action()
            except BaseException as error:
                errors.append(error)
            finally:
                stop.set()

        thread = threading.Thread(target=act)
        thread.start()
        try:
            report = run_load(
                [self.instance.base_url],
                mailbox,
                clients=CLIENTS,
                seconds=SECONDS_AT_MOST,
                stop=stop,
                read_back_patience=read_back_patience,
            )
        finally:
            stop.set()
            thread.join()
        if errors:
            raise errors[0]
        return report

    def test_counts_every_failure_times_the_outage_and_loses_nothing_acknowledged(self):
        moments: dict[str, float] = {}

        def kill_and_restart() -> None:
            self.instance.wait_until_served(SERVED)
            moments["killed"] = time.monotonic()
            self.instance.kill()
            moments["restarting"] = time.monotonic()
            self.instance.start()  # on the same port; back once it answers
            moments["answering"] = time.monotonic()
            self.instance.wait_until_served(SERVED)

        report = self.load_while(kill_and_restart, self.mailbox)
        summary = report.summary()
        print(f"\nSQLite, gunicorn killed and started again mid-run:\n{summary}")

        # Nobody crashed or stopped: the load went on after the outage (the restarted instance
        # served SERVED requests), and every failure was counted, by its kind: many more than
        # one per visitor (the anonymous ones, the owner and the sharee).
        self.assertEqual((report.set_up_failure, report.crashes), ("", []))
        self.assertGreater(report.tally.failed, CLIENTS + 2)
        self.assertLessEqual(set(report.tally.failures), NETWORK_FAILURES)

        # One outage, from the kill to the restart.
        [outage] = report.tally.outages()
        assert outage.ended_at is not None, summary
        self.assertLessEqual(moments["killed"], outage.started_at)
        self.assertLessEqual(outage.started_at, moments["answering"])
        self.assertLessEqual(moments["restarting"], outage.ended_at)
        self.assertLess(outage.ended_at, moments["answering"] + 5)
        self.assertRegex(
            summary,
            r"outages       1, longest \d+\.\d\d s \(\d\d:\d\d:\d\d\.\d–\d\d:\d\d:\d\d\.\d\)",
        )

        # The audit holds: nothing acknowledged lost, duplicated or wrong; every add that got
        # no acknowledgement found there once or not at all.
        self.assertFalse(report.read_back_failed, summary)
        self.assertEqual(
            (report.audit.lost, report.audit.duplicated, report.audit.wrong), ([], [], [])
        )
        accounted_for = (
            report.audit.unacknowledged_kept
            + report.audit.unacknowledged_absent
            + report.unacknowledged_new_lists
        )
        self.assertEqual(accounted_for, report.unacknowledged_adds)

        # The verdict: a failure, for the failed requests and nothing else.
        self.assertEqual(report.problems(), [f"{report.tally.failed} requests failed"])
        self.assertFalse(report.ok)
        self.assertIn(
            f"{report.tally.requests} requests, {report.tally.failed} failed, 0 lost items, "
            "0 duplicated\nverdict       FAIL: ",
            summary,
        )

    def test_a_server_that_never_comes_back_fails_the_run_in_time_without_a_crash(self):
        def kill_then_stop_the_load() -> None:
            self.instance.wait_until_served(SERVED)
            self.instance.kill()

        started = time.monotonic()
        report = self.load_while(kill_then_stop_the_load, None, read_back_patience=1)
        summary = report.summary()
        print(f"\nAnonymous visitors only, gunicorn killed for good mid-run:\n{summary}")

        self.assertLess(time.monotonic() - started, 30)
        self.assertEqual((report.set_up_failure, report.crashes), ("", []))
        assert report.read_back is not None
        self.assertIn("the server did not answer within 1 s (connection refused x", summary)
        self.assertRegex(summary, r"read-back     FAILED after 0 pages: .*; not checked: /lists/")
        self.assertIn("the read-back did not finish: what was kept is unknown", report.problems())
        self.assertFalse(report.ok)
        self.assertIn("private list  not run (--anonymous-only)", summary)
