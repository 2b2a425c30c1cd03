"""Faults in front of the database, under load through the load balancer: the load balancer
restarted (requests during it counted, the site back by itself); an app host killed (the load
balancer stops sending to it within ~2 s; only requests in flight on it may fail; nothing
acknowledged is lost). The killed host stays down: run before the database failover, then
`down`."""

import time
import unittest

from infra.staging_tests.test_operator_deploy import under_load
from infra.standin import topology

from .hosts import ServerSide, on

LB = topology.GROUPS["lb"][0]
DOOMED = topology.GROUPS["app"][-1]
SITE = f"https://{LB.address}"
LOAD_AFTER_FAULT_SECONDS = 10
# The lb's active health checks (every second) take a dead host out within this; a request
# whose dial to it fails meanwhile is sent to another host.
DROPPED_WITHIN_SECONDS = 3


class LoadBalancerRestartTest(unittest.TestCase):
    def test_requests_during_a_restart_are_counted_and_the_site_comes_back(self) -> None:
        with under_load(SITE) as reports:
            time.sleep(3)  # load before the fault, so the report shows the site was up
            on(LB, "docker restart --time 5 superlists-proxy")
            time.sleep(LOAD_AFTER_FAULT_SECONDS)
        [report] = reports
        print(f"\n  load balancer restarted: {report.tally.failed} requests failed\n"
              + report.summary())  # fmt: skip
        explained = ServerSide(report, LB)
        self.assertEqual(report.audit.lost, [], explained)
        # Every outage ended: the site came back by itself (restart_policy, and Caddy's state
        # on its volume), before the load stopped.
        self.assertTrue(
            all(outage.ended_at is not None for outage in report.tally.outages()),
            explained,
        )


class AppHostKilledTest(unittest.TestCase):
    def test_the_load_balancer_drops_a_dead_host_and_nothing_acknowledged_is_lost(self) -> None:
        with under_load(SITE) as reports:
            time.sleep(3)
            killed_at = time.monotonic()  # the load test's clock
            DOOMED.kill()
            time.sleep(LOAD_AFTER_FAULT_SECONDS)
        [report] = reports
        print(f"\n  {DOOMED.name} killed: {report.tally.failed} requests failed\n"
              + report.summary())  # fmt: skip
        explained = ServerSide(report, LB)
        self.assertEqual(report.audit.lost, [], explained)
        # Only requests the lb had already sent to the host as it died (502: their connection
        # went with it): none after the lb stopped sending there.
        failed_after = [
            attempt.done_at - killed_at for attempt in report.tally.attempts if attempt.failed
        ]
        self.assertTrue(
            all(0 <= seconds < DROPPED_WITHIN_SECONDS for seconds in failed_after),
            explained.after(f"failures {failed_after} s after the kill"),
        )
        self.assertEqual(set(report.tally.failures), {"HTTP 502"}, explained)
