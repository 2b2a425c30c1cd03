"""Releases across the app hosts, under load through the load balancer: only what passed
staging, host by host, no request failed; a rollback the same; a release that fails on the first
host stops there, every host still on the old release."""

import re
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from infra.staging_tests.remote import release
from infra.staging_tests.test_operator_deploy import a_changed_checkout, under_load
from infra.standin import topology
from infra.standin.deploy import MULTI_INVENTORY

from .hosts import APP_DIR, deploy, live_image, on, record_passed

APP_HOSTS = topology.GROUPS["app"]
SITE = f"https://{topology.GROUPS['lb'][0].address}"


def images() -> list[str]:
    return [live_image(host) for host in APP_HOSTS]


def after_play(name: str, run: subprocess.CompletedProcess[str]) -> str:
    """A playbook run's output from the play `name` on."""
    return run.stdout.split(f"PLAY [{name}]")[-1]


def turn_staging_gates_off() -> None:
    """Only by hand on the server, as an operator would: the later tests release unpassed
    images."""
    for host in APP_HOSTS:
        on(host, f"rm -f {APP_DIR}/staging-gate")


class RollingReleaseTest(unittest.TestCase):
    def test_only_what_passed_staging_is_released_host_by_host_and_rolled_back_under_load(
        self,
    ) -> None:
        """Production's staging gate on every app host, as on one server: an image that did not
        pass staging is refused by the first host, the others untouched; once recorded as passed
        (as scripts/release does after staging's FTs), it is released on every host; a rollback
        (scripts/release, with an inventory per environment) goes back to what passed."""
        [before] = set(images())
        self.assertEqual(record_passed(before).returncode, 0)
        self.addCleanup(turn_staging_gates_off)
        with under_load(SITE) as reports:
            with a_changed_checkout():
                refused = deploy("-e", "require_staging_pass=true")
            self.assertNotEqual(refused.returncode, 0)
            self.assertIn(
                f"{APP_HOSTS[0].name}: Refusing to deploy", refused.stdout, refused.stdout[-3000:]
            )
            self.assertIn("it has not passed the FT suite on staging", refused.stdout)
            self.assertNotIn(f"[{APP_HOSTS[1].name}]", after_play("Deploy Superlists", refused))
            self.assertEqual(set(images()), {before})
            unverified = re.search(r"Refusing to deploy (sha256:[0-9a-f]{64})", refused.stdout)
            assert unverified is not None, refused.stdout[-3000:]
            new = unverified.group(1)
            # Refused before it was shipped.
            with self.assertRaises(AssertionError):
                on(APP_HOSTS[0], f"docker image inspect {new}")

            self.assertEqual(record_passed(new).returncode, 0)
            started = time.monotonic()
            released = deploy("-e", "require_staging_pass=true", "-e", f"release_image_id={new}")
            print(f"\n  rolling release, {len(APP_HOSTS)} app hosts: "
                  f"{time.monotonic() - started:.1f} s", end="")  # fmt: skip
            self.assertEqual(released.returncode, 0, released.stdout[-3000:])
            self.assertEqual(set(images()), {new})
            # Host by host: the second host's release began after the first's ended.
            self.assertLess(
                released.stdout.index(f"[{APP_HOSTS[0].name}]"),
                released.stdout.index(f"[{APP_HOSTS[1].name}]"),
            )
            started = time.monotonic()
            with tempfile.TemporaryDirectory() as directory:
                staging = Path(directory) / "staging.yaml"
                staging.write_text("all: {hosts: {staging.invalid: {}}}\n")  # not reached
                rolled_back = release("--rollback", inventories=(staging, MULTI_INVENTORY))
            print(f"; rollback: {time.monotonic() - started:.1f} s", end="")
            self.assertEqual(rolled_back.returncode, 0, rolled_back.stdout[-3000:])
            self.assertEqual(set(images()), {before})
        [report] = reports
        print("\n" + report.summary())
        self.assertEqual(report.tally.failed, 0, report.summary())
        self.assertEqual(report.audit.lost, [], report.summary())
        self.assertTrue(report.ok, report.summary())
        # Recorded on the app hosts only: the others have no app.
        for host in topology.HOSTS:
            with self.subTest(recorded_on=host.name):
                record = on(host, f"cat {APP_DIR}/passed-staging 2>/dev/null || true").split()
                self.assertEqual({before, new} <= set(record), host in APP_HOSTS, record)

    def test_a_release_failing_on_the_first_host_leaves_every_host_on_the_old_one(self) -> None:
        [before] = set(images())
        try:
            with a_changed_checkout():
                # A setting the new release cannot start with: its migrations fail.
                failed = deploy("-e", "hsts_seconds=soon")
            self.assertNotEqual(failed.returncode, 0)
            self.assertIn(f"still serves {before}", failed.stdout)
            self.assertNotIn(f"[{APP_HOSTS[1].name}]", after_play("Deploy Superlists", failed))
            self.assertEqual(set(images()), {before})
        finally:
            self.assertEqual(deploy().returncode, 0)


if __name__ == "__main__":
    unittest.main()
