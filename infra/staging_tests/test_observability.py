"""What the stand-in staging host tells its operator: metrics the host can scrape and the world
cannot, logs quiet while nothing happens, and `python -m infra.logs` finding one request
across the host's containers."""

import re
import subprocess
import sys
import time
import unittest
from datetime import UTC, datetime

import requests

from functional_tests.base import wait
from infra.staging_tests.remote import STAGING_CONTAINER, STAGING_URL, ssh
from infra.standin import config

HOME_REQUESTS = 'superlists_requests_total{method="GET",status="200",view="home"}'
# The window the quiet-logs test watches: several of the proxy's 1 s health checks of both
# release slots, each of which used to write a line (the idle slot's "connection refused").
IDLE_WINDOW_S = 5


def scrape_on_the_host() -> str:
    """/metrics of the live release, asked on the staging host itself, not through the proxy."""
    port = ssh(config.STAGING_HOST, f"docker port {STAGING_CONTAINER} 8888").stdout.split()[0]
    answer = ssh(config.STAGING_HOST, f"curl --silent --fail http://{port}/metrics")
    if answer.returncode != 0:
        raise AssertionError(f"the host could not scrape {port}/metrics: {answer.stderr}")
    return answer.stdout


def sample(metrics: str, series: str) -> float:
    match = re.search(rf"^{re.escape(series)} (\S+)$", metrics, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


class MetricsTest(unittest.TestCase):
    def test_the_host_scrapes_the_requests_it_served_through_the_proxy(self) -> None:
        before = sample(scrape_on_the_host(), HOME_REQUESTS)
        for _ in range(3):
            self.assertEqual(requests.get(STAGING_URL + "/", timeout=10).status_code, 200)

        @wait  # every gunicorn worker writes its own counts; the scrape adds them up
        def counted() -> str:
            metrics = scrape_on_the_host()
            self.assertGreaterEqual(sample(metrics, HOME_REQUESTS), before + 3)
            return metrics

        metrics = counted()
        self.assertIn("superlists_request_duration_seconds_bucket", metrics)
        self.assertIn("superlists_database_seconds_total", metrics)

    def test_the_proxy_serves_neither_metrics_nor_health_checks_to_the_world(self) -> None:
        for path in ("/metrics", "/metrics/", "/healthz"):
            with self.subTest(path):
                response = requests.get(STAGING_URL + path, timeout=10)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("superlists_", response.text)


class QuietLogsTest(unittest.TestCase):
    def test_nothing_is_logged_while_nobody_asks_anything(self) -> None:
        # The window starts at a whole second (`docker logs --since` counts in seconds); the
        # proxy's health checks of both release slots go on all the while, every second.
        window_start = int(time.time()) + 1
        time.sleep(window_start + IDLE_WINDOW_S - time.time())  # the window itself
        # Then a visitor's request, whose lines must be the only ones since the window began
        # (and show that the logs are read at all)
        request_id = requests.get(STAGING_URL + "/", timeout=10).headers["X-Request-ID"]
        since = datetime.fromtimestamp(window_start, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

        @wait
        def only_the_visitors_lines(container: str) -> None:
            logs = ssh(config.STAGING_HOST, f"docker logs --since {since} {container} 2>&1")
            lines = logs.stdout.splitlines()
            self.assertEqual([line for line in lines if request_id not in line], [])
            self.assertEqual(len(lines), 1)

        for container in (STAGING_CONTAINER, f"{STAGING_CONTAINER}-proxy"):
            with self.subTest(container):
                only_the_visitors_lines(container)


class LogsCommandTest(unittest.TestCase):
    def test_an_operator_finds_a_request_by_the_reference_a_page_showed(self) -> None:
        response = requests.get(STAGING_URL + "/no-such-page", timeout=10)
        self.assertEqual(response.status_code, 404)
        reference = response.headers["X-Request-ID"][:8]
        self.assertIn(reference, response.text)  # as the 404 page shows it

        @wait
        def found() -> str:
            command = [sys.executable, "-m", "infra.logs", "staging",
                       "-i", "infra/inventory.standin.yaml", "--since", "5m",
                       "--request", reference]  # fmt: skip
            result = subprocess.run(
                command, cwd=config.REPO_ROOT, capture_output=True, text=True, timeout=120
            )
            self.assertEqual(result.returncode, 0, result.stderr)
            lines = result.stdout.splitlines()
            self.assertEqual(len(lines), 2, result.stdout)  # the app's line and the proxy's
            return result.stdout

        output = found()
        self.assertRegex(
            output, rf" {re.escape(STAGING_CONTAINER)} \| WARNING .* GET /no-such-page 404 "
        )
        self.assertRegex(output, rf" {re.escape(STAGING_CONTAINER)}-proxy \| \{{.*\"status\":404")
