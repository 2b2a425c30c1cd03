"""The PostgreSQL primary killed while the app writes: the operator's one command promotes the
standby, the app's connections follow by themselves, and every acknowledged write is there.

It leaves the primary dead (the topology degraded): run it last, then `down`."""

import subprocess
import threading
import time
import unittest

from .database import APP_HOSTS, PRIMARY, STANDBY, app_psql_script, writer_script
from .hosts import as_postgres, on, promote

TABLE = "acknowledged"
RECOVERY_TARGET_SECONDS = 30


class Writer:
    """The writer script running on an app host; its `ok`/`failed` lines as they come."""

    def __init__(self, seconds: int) -> None:
        host = APP_HOSTS[0]
        self.process = subprocess.Popen(
            host.ssh("sh -s"), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(writer_script(TABLE, seconds))
        self.process.stdin.close()
        self.lines: list[tuple[str, int, float]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            outcome, number, when = line.split()
            self.lines.append((outcome, int(number), float(when)))

    def acknowledged(self, after: float = 0.0) -> list[int]:
        return [number for outcome, number, when in self.lines if outcome == "ok" and when > after]

    def wait_for_acknowledged(self, count: int, after: float = 0.0, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acknowledged(after)) < count:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(
                    f"{len(self.acknowledged(after))} writes acknowledged, waiting for {count}; "
                    f"last lines: {self.lines[-5:]}"
                )
            time.sleep(0.1)

    def stop(self) -> None:
        on(APP_HOSTS[0], "touch /srv/stop-writing")
        self.process.wait(timeout=30)
        self._reader.join(timeout=5)


class PrimaryKilledTest(unittest.TestCase):
    def test_the_standby_promoted_has_every_acknowledged_write(self) -> None:
        on(
            APP_HOSTS[0],
            "sh -s",
            input=app_psql_script(
                f"DROP TABLE IF EXISTS {TABLE}; CREATE TABLE {TABLE} (n integer);"
            ),
        )
        writer = Writer(seconds=120)
        self.addCleanup(writer.stop)
        writer.wait_for_acknowledged(50)

        killed_at = time.time()
        PRIMARY.kill()
        promoted = promote(STANDBY)
        promoted_in = time.time() - killed_at
        self.assertEqual(promoted.returncode, 0, promoted.stdout[-2000:])
        writer.wait_for_acknowledged(20, after=killed_at)
        # Down from the first write refused after the kill (one in flight may still have been
        # acknowledged by the dying primary and its standby) to the next acknowledged one.
        first_refused = min(
            when for outcome, _, when in writer.lines if outcome == "failed" and when > killed_at
        )
        recovered_at = min(
            when for outcome, _, when in writer.lines if outcome == "ok" and when > first_refused
        )
        writer.stop()

        acknowledged = writer.acknowledged()
        failed = [number for outcome, number, _ in writer.lines if outcome == "failed"]
        present = {
            int(n) for n in as_postgres(STANDBY, f"SELECT n FROM {TABLE}", "superlists").split()
        }
        recovery = recovered_at - first_refused
        print(
            f"\n  primary killed: writes again {recovery:.1f} s after the first refused one "
            f"(target {RECOVERY_TARGET_SECONDS} s; the promote command done {promoted_in:.1f} s "
            f"after the kill); {len(acknowledged)} acknowledged, {len(failed)} "
            f"failed (unacknowledged) meanwhile, {len(present)} rows on the new primary",
            end="",
        )
        self.assertEqual(sorted(set(acknowledged) - present), [], "acknowledged writes lost")
        self.assertEqual(as_postgres(STANDBY, "SELECT pg_is_in_recovery()"), "f")
        self.assertLess(recovery, RECOVERY_TARGET_SECONDS)


if __name__ == "__main__":
    unittest.main()
