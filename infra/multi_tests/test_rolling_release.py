"""Releases across the app hosts, under load through the load balancer: host by host, no
request failed; a rollback the same; a release that fails on the first host stops there, every
host still on the old release."""

import time
import unittest

from infra.staging_tests.test_operator_deploy import a_changed_checkout, under_load
from infra.standin import topology

from .hosts import deploy, live_image

APP_HOSTS = topology.GROUPS["app"]
SITE = f"https://{topology.GROUPS['lb'][0].address}"


def images() -> list[str]:
    return [live_image(host) for host in APP_HOSTS]


class RollingReleaseTest(unittest.TestCase):
    def test_a_release_and_a_rollback_under_load_fail_no_request(self) -> None:
        [before] = set(images())
        with under_load(SITE) as reports:
            with a_changed_checkout():
                started = time.monotonic()
                released = deploy()
                print(f"\n  rolling release, {len(APP_HOSTS)} app hosts: "
                      f"{time.monotonic() - started:.1f} s", end="")  # fmt: skip
            self.assertEqual(released.returncode, 0, released.stdout[-3000:])
            [after] = set(images())
            self.assertNotEqual(after, before)
            # Host by host: the second host's release began after the first's ended.
            self.assertLess(
                released.stdout.index(f"[{APP_HOSTS[0].name}]"),
                released.stdout.index(f"[{APP_HOSTS[1].name}]"),
            )
            started = time.monotonic()
            rolled_back = deploy("-e", "rollback=true")
            print(f"; rollback: {time.monotonic() - started:.1f} s", end="")
            self.assertEqual(rolled_back.returncode, 0, rolled_back.stdout[-3000:])
            self.assertEqual(set(images()), {before})
        [report] = reports
        print("\n" + report.summary())
        self.assertEqual(report.tally.failed, 0, report.summary())
        self.assertEqual(report.audit.lost, [], report.summary())
        self.assertTrue(report.ok, report.summary())

    def test_a_release_failing_on_the_first_host_leaves_every_host_on_the_old_one(self) -> None:
        [before] = set(images())
        try:
            with a_changed_checkout():
                # A setting the new release cannot start with: its migrations fail.
                failed = deploy("-e", "hsts_seconds=soon")
            self.assertNotEqual(failed.returncode, 0)
            self.assertIn(f"still serves {before}", failed.stdout)
            self.assertNotIn(f"[{APP_HOSTS[1].name}]", failed.stdout.split("Deploy Superlists")[-1])
            self.assertEqual(set(images()), {before})
        finally:
            self.assertEqual(deploy().returncode, 0)


if __name__ == "__main__":
    unittest.main()
