"""The proxy's Caddyfile, rendered from the role's template and read by Caddy itself."""

import json
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path
from typing import Any

import yaml

from infra.tests.role_templates import REPO_ROOT, render_role_template

LB_PLAY = "The load balancer in front of the app hosts"  # deploy-playbook.yaml's
BASE_VARS = {
    "site_host": "staging.example.com",
    "proxy_address": "",
    "proxy_admin_address": "localhost:2019",
    "app_address": "127.0.0.1",
    "app_ports": [8001, 8002],
    "proxy_health_interval": "1s",
    "tls_internal": False,
    "acme_email": "",
}


def caddy_config(**overrides: object) -> dict[str, Any]:
    """Caddy's own JSON for the rendered Caddyfile (`caddy adapt` fails on any mistake)."""
    caddy = shutil.which("caddy")
    if caddy is None:
        raise RuntimeError("These tests need Caddy: apt-get install -y caddy (scripts/test does).")
    caddyfile = render_role_template("Caddyfile.j2", {**BASE_VARS, **overrides})
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "Caddyfile"
        path.write_text(caddyfile)
        result = subprocess.run(
            [caddy, "adapt", "--config", str(path), "--adapter", "caddyfile"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def the_server(config: dict[str, Any]) -> dict[str, Any]:
    [server] = config["apps"]["http"]["servers"].values()
    return server


def the_proxy(config: dict[str, Any]) -> dict[str, Any]:
    [handler] = [h for h in _handlers(the_server(config)) if h.get("handler") == "reverse_proxy"]
    return handler


def _handlers(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if "handler" in node:
            found.append(node)
        for value in node.values():
            found += _handlers(value)
    elif isinstance(node, list):
        for value in node:
            found += _handlers(value)
    return found


class CaddyfileTest(unittest.TestCase):
    def test_proxies_the_site_to_the_healthy_release_slot_checking_health(self) -> None:
        proxy = the_proxy(caddy_config())
        self.assertEqual(
            proxy["upstreams"], [{"dial": "127.0.0.1:8001"}, {"dial": "127.0.0.1:8002"}]
        )
        self.assertEqual(proxy["load_balancing"]["selection_policy"], {"policy": "first"})
        self.assertEqual(proxy["load_balancing"]["try_duration"], 5_000_000_000)
        checks = proxy["health_checks"]["active"]
        self.assertEqual(checks["uri"], "/healthz")
        self.assertEqual(checks["timeout"], 5_000_000_000)
        # Caddy 2.6 hands a retry a pooled buffer another request may be using.
        self.assertNotIn("buffer_requests", proxy)
        self.assertEqual(checks["headers"], {"Host": ["staging.example.com"]})

    def test_serves_https_for_the_site_host(self) -> None:
        server = the_server(caddy_config())
        self.assertEqual(server["listen"], [":443"])
        [route] = server["routes"]
        self.assertEqual(route["match"], [{"host": ["staging.example.com"]}])

    def test_a_standin_host_listens_on_its_own_address_with_the_internal_ca(self) -> None:
        config = caddy_config(proxy_address="127.0.10.1", tls_internal=True)
        self.assertEqual(the_server(config)["listen"], ["127.0.10.1:443"])
        [policy] = config["apps"]["tls"]["automation"]["policies"]
        self.assertEqual(policy["issuers"][0]["module"], "internal")

    def test_no_query_string_referer_or_cookie_reaches_the_access_log(self) -> None:
        config = caddy_config()
        [log] = [log for name, log in config["logging"]["logs"].items() if name != "default"]
        fields = log["encoder"]["fields"]
        self.assertEqual(fields["request>uri"]["filter"], "regexp")
        self.assertEqual(fields["request>uri"]["regexp"], r"\?.*$")
        self.assertEqual(fields["request>headers>Referer"]["filter"], "delete")
        self.assertEqual(fields["request>headers>Cookie"]["filter"], "delete")
        self.assertEqual(fields["resp_headers>Set-Cookie"]["filter"], "delete")

    def test_each_request_gets_an_id_sent_to_the_app_and_back_and_one_server_header(self) -> None:
        config = caddy_config()
        proxy = the_proxy(config)
        request_id = "{http.request.uuid}"
        self.assertEqual(proxy["headers"]["request"]["set"], {"X-Request-Id": [request_id]})
        self.assertEqual(proxy["headers"]["response"]["delete"], ["Server"])
        [site_header] = [
            h for h in _handlers(the_server(config))
            if h.get("handler") == "headers" and "response" in h
        ]  # fmt: skip
        self.assertEqual(site_header["response"]["set"], {"X-Request-Id": [request_id]})
        # Applied as the response is written, replacing the app's copy: not a second header.
        self.assertIs(site_header["response"]["deferred"], True)
        [log] = [log for name, log in config["logging"]["logs"].items() if name != "default"]
        fields = log["encoder"]["fields"]
        self.assertEqual(fields["request>headers>X-Request-Id"]["filter"], "delete")

    def test_metrics_and_health_checks_are_not_served_through_the_proxy(self) -> None:
        [site] = the_server(caddy_config())["routes"]
        routes = site["handle"][0]["routes"]
        handlers = [route["handle"][0]["handler"] for route in routes]
        refusal = routes[handlers.index("static_response")]
        self.assertEqual(refusal["match"], [{"path": ["/metrics*", "/healthz"]}])
        self.assertEqual(refusal["handle"][0]["status_code"], 404)
        # Before the proxy: Caddy answers it itself, the app never sees it.
        self.assertLess(handlers.index("static_response"), handlers.index("reverse_proxy"))

    def test_the_idle_slots_failed_health_checks_are_not_logged(self) -> None:
        logs = caddy_config()["logging"]["logs"]
        self.assertIn(
            "http.handlers.reverse_proxy.health_checker.active", logs["default"]["exclude"]
        )

    def test_a_load_balancer_spreads_over_every_app_hosts_slots_and_drops_a_dead_host_soon(
        self,
    ) -> None:
        upstreams = ["10.88.20.38:8001", "10.88.20.38:8002", "10.88.20.42:8001"]
        proxy = the_proxy(
            caddy_config(
                proxy_upstreams=upstreams, proxy_lb_policy="least_conn", proxy_dial_timeout="1s"
            )
        )
        self.assertEqual(proxy["upstreams"], [{"dial": upstream} for upstream in upstreams])
        self.assertEqual(proxy["load_balancing"]["selection_policy"], {"policy": "least_conn"})
        self.assertEqual(proxy["transport"]["dial_timeout"], 1_000_000_000)
        self.assertNotIn("passive", proxy["health_checks"])

    def test_the_load_balancer_picks_among_the_healthy_slots_it_sees(self) -> None:
        plays = yaml.safe_load((REPO_ROOT / "infra" / "deploy-playbook.yaml").read_text())
        [lb_play] = [play for play in plays if play["name"] == LB_PLAY]
        [task] = lb_play["tasks"]
        self.assertEqual(
            task["vars"]["proxy_lb_policy"],
            "least_conn",
            "Caddy's round_robin can miss every healthy slot when requests come at once (a 503)",
        )

    def test_a_single_host_has_no_dial_timeout_of_its_own(self) -> None:
        proxy = the_proxy(caddy_config())
        self.assertNotIn("dial_timeout", proxy.get("transport", {}))

    def test_the_admin_api_is_where_releases_reload_it(self) -> None:
        config = caddy_config(proxy_admin_address="127.0.10.1:2019")
        self.assertEqual(config["admin"]["listen"], "127.0.10.1:2019")


if __name__ == "__main__":
    unittest.main()
