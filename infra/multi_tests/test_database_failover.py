"""The PostgreSQL primary killed while the app writes: the operator's one command promotes the
standby, the app's connections follow by themselves, and every acknowledged write is there.
Then the old primary's host comes back: a deploy refuses to start it as a second primary, and
the operator's rejoin command makes it the new primary's synchronous standby while the app
writes on.

It swaps the roles of the two db hosts for good: run it last, then `down`."""

import subprocess
import tempfile
import threading
import time
import unittest
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from infra.standin import deploy as deploy_module
from infra.standin.isolated_host import IsolatedHost

from .database import APP_HOSTS, PRIMARY, STANDBY, app_psql_script, writer_script
from .hosts import POSTGRESQL_BIN, as_postgres, deploy, on, promote, rejoin

TABLE = "acknowledged"
TABLE_DURING_REJOIN = "acknowledged_during_rejoin"
PG_CTL = f"{POSTGRESQL_BIN}/pg_ctl"
DATA_DIR = "/srv/postgresql/15/main"  # the role's postgresql_data_dir
RECOVERY_TARGET_SECONDS = 30


class Writer:
    """The writer script running on an app host; its `ok`/`failed` lines as they come."""

    def __init__(self, seconds: int, table: str = TABLE) -> None:
        host = APP_HOSTS[0]
        self.process = subprocess.Popen(
            host.ssh("sh -s"), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(writer_script(table, seconds))
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


@contextmanager
def inventory_with_primary_first(primary: str) -> Iterator[Path]:
    """A copy of the multi-host inventory whose db group names `primary` first, as the operator
    edits it after a failover (deleted after the block)."""
    inventory = yaml.safe_load(deploy_module.MULTI_INVENTORY.read_text())
    db = inventory["all"]["children"]["standin_multi"]["children"]["db"]
    db["hosts"] = {primary: db["hosts"][primary]} | db["hosts"]
    with tempfile.TemporaryDirectory(prefix="inventory-") as directory:
        path = Path(directory) / "inventory.yaml"
        path.write_text(yaml.safe_dump(inventory, sort_keys=False))
        yield path


def postgresql_runs(host: IsolatedHost) -> bool:
    status = on(host, f"runuser -u postgres -- {PG_CTL} status -D {DATA_DIR} >/dev/null; echo $?")
    return status.strip() == "0"


def wait_until_replayed(host: IsolatedHost, table: str, numbers: set[int]) -> set[int]:
    """The numbers of `numbers` not in `table` on `host` (a standby) once it has them all, or
    after 30 s of replaying."""
    deadline = time.monotonic() + 30
    while True:
        present = {
            int(n) for n in as_postgres(host, f"SELECT n FROM {table}", "superlists").split()
        }
        if numbers <= present or time.monotonic() > deadline:
            return numbers - present
        time.sleep(0.2)


class PrimaryKilledTest(unittest.TestCase):
    def test_the_standby_promoted_has_every_acknowledged_write_and_the_old_primary_rejoins(
        self,
    ) -> None:
        self.kill_the_primary_and_promote_the_standby()
        self.bring_the_old_primary_back_as_a_standby()

    def kill_the_primary_and_promote_the_standby(self) -> None:
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

    def bring_the_old_primary_back_as_a_standby(self) -> None:
        PRIMARY.start()  # its disk as the kill left it; nothing starts PostgreSQL at boot

        refused = deploy()  # the inventory still names the old primary first
        self.assertNotEqual(refused.returncode, 0, "a deploy started a second primary")
        self.assertIn(f"{STANDBY.name} holds a primary's cluster", refused.stdout)
        self.assertFalse(postgresql_runs(PRIMARY), "the old primary was started")

        on(
            APP_HOSTS[0],
            "sh -s",
            input=app_psql_script(f"CREATE TABLE {TABLE_DURING_REJOIN} (n integer);"),
        )
        writer = Writer(seconds=180, table=TABLE_DURING_REJOIN)
        self.addCleanup(writer.stop)
        writer.wait_for_acknowledged(20)
        rejoined_from = time.time()
        with inventory_with_primary_first(STANDBY.name) as swapped:
            rejoined = rejoin(PRIMARY, swapped)
        self.assertEqual(rejoined.returncode, 0, rejoined.stdout[-3000:])
        writer.wait_for_acknowledged(20, after=time.time())
        writer.stop()

        failed = [n for outcome, n, when in writer.lines if outcome == "failed"]
        print(
            f"\n  old primary rejoined as a standby in {time.time() - rejoined_from:.1f} s; "
            f"{len(writer.acknowledged(after=rejoined_from))} writes acknowledged meanwhile, "
            f"{len(failed)} failed",
            end="",
        )
        self.assertEqual(failed, [], "writes failed while the old primary rejoined")
        self.assertEqual(as_postgres(PRIMARY, "SELECT pg_is_in_recovery()"), "t")
        self.assertEqual(
            as_postgres(STANDBY, "SELECT application_name, sync_state FROM pg_stat_replication"),
            f"{PRIMARY.name}|quorum",  # synchronous_standby_names = 'ANY 1 (...)'
        )
        missing = wait_until_replayed(PRIMARY, TABLE_DURING_REJOIN, set(writer.acknowledged()))
        self.assertEqual(sorted(missing), [], "acknowledged writes not on the new standby")
        self.assertIn(
            "main.before-rejoin-", on(PRIMARY, "ls /srv/postgresql/15"), "old cluster not kept"
        )


if __name__ == "__main__":
    unittest.main()
