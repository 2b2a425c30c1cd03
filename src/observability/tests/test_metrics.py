from django.test import TestCase, override_settings
from prometheus_client import REGISTRY

from superlists.settings import env_networks

PROXY = {"X-Forwarded-For": "203.0.113.9"}


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@override_settings(ROOT_URLCONF="observability.tests.urls_failing")
class CountingTest(TestCase):
    def test_requests_are_counted_by_view_method_and_status_with_latency_and_database_time(
        self,
    ) -> None:
        home = {"view": "home"}
        before = (
            sample("superlists_requests_total", **home, method="GET", status="200"),
            sample("superlists_request_duration_seconds_count", **home),
        )
        self.client.post("/lists/new", {"text": "a"})  # the home page then has a session
        self.client.get("/")
        self.client.get("/")
        after = (
            sample("superlists_requests_total", **home, method="GET", status="200"),
            sample("superlists_request_duration_seconds_count", **home),
        )
        self.assertEqual([a - b for a, b in zip(after, before, strict=True)], [2, 2])
        self.assertGreater(sample("superlists_database_seconds_total", view="new_list"), 0)

    def test_5xx_are_counted_apart(self) -> None:
        self.client.raise_request_exception = False
        before = sample(
            "superlists_server_errors_total", view="observability.tests.urls_failing.server_error"
        )
        with self.assertLogs("django.request", "ERROR"), self.assertLogs("superlists.requests"):
            self.client.get("/fail/500")
        after = sample(
            "superlists_server_errors_total", view="observability.tests.urls_failing.server_error"
        )
        self.assertEqual(after - before, 1)

    def test_a_made_up_method_is_counted_as_other(self) -> None:
        # (Refused since the hostile-input work: home answers GET and POST only.)
        before = sample("superlists_requests_total", view="home", method="other", status="405")
        with self.assertLogs("superlists.requests", "WARNING"):
            self.client.generic("BREW", "/")
        after = sample("superlists_requests_total", view="home", method="other", status="405")
        self.assertEqual(after - before, 1)

    def test_the_page_shows_them_in_prometheus_text_format(self) -> None:
        self.client.get("/")
        response = self.client.get("/metrics")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain; version="))
        self.assertIn(b'superlists_requests_total{method="GET",status="200",view="home"}',
                      response.content)  # fmt: skip


class WhoMayReadThemTest(TestCase):
    @override_settings(REVERSE_PROXIES=1)
    def test_through_the_proxy_they_are_refused(self) -> None:
        response = self.client.get("/metrics", headers=PROXY)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"superlists_", response.content)

    @override_settings(REVERSE_PROXIES=1)
    def test_straight_to_gunicorn_they_are_served(self) -> None:
        # The host's own scrape, or the load balancer's: no X-Forwarded-For from our proxy.
        self.assertEqual(self.client.get("/metrics").status_code, 200)

    @override_settings(
        REVERSE_PROXIES=1, METRICS_ALLOWED_NETWORKS=env_networks("X", {"X": "203.0.113.0/24"})
    )
    def test_through_the_proxy_from_an_allowed_network_they_are_served(self) -> None:
        self.assertEqual(self.client.get("/metrics", headers=PROXY).status_code, 200)
        other = {"X-Forwarded-For": "198.51.100.1"}
        self.assertEqual(self.client.get("/metrics", headers=other).status_code, 403)

    @override_settings(REVERSE_PROXIES=1)
    def test_a_forged_x_forwarded_for_entry_does_not_help(self) -> None:
        # The client wrote the first entry; our proxy appended the address it really saw.
        forged = {"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}
        self.assertEqual(self.client.get("/metrics", headers=forged).status_code, 403)
