"""The site through the load balancer: HTTPS, HTTP sent to HTTPS, both app hosts serving, the
app hosts reachable from the load balancer only, and a login recognised on every app host."""

import shlex
import ssl
import subprocess
import unittest
import urllib.error
import urllib.request

from infra.standin import config, topology
from infra.standin.isolated_host import IsolatedHost

from .hosts import on

LB = topology.GROUPS["lb"][0]
APP_HOSTS = topology.GROUPS["app"]
DB_HOST = topology.GROUPS["db"][0]
APP_PORTS = (8001, 8002)  # the role's app_ports
SITE = f"https://{LB.address}"
TEST_EMAIL = "edith@example.com"


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    """Status, body and headers of a GET from this (the operator's) machine, trusting the
    stand-in's CAs, following no redirect."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(
        NoRedirect,
        urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=config.CA_BUNDLE)),
    )
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def connects(source: IsolatedHost | None, address: str, port: int) -> bool:
    """Whether a TCP connection to address:port succeeds from inside `source` (None: from the
    operator's side)."""
    script = (
        "import socket, sys\n"
        "try:\n"
        f"    socket.create_connection(({address!r}, {port}), timeout=2).close()\n"
        "except OSError:\n"
        "    sys.exit(1)\n"
    )
    argv = ["python3", "-"] if source is None else source.ssh("python3 -")
    return subprocess.run(argv, input=script.encode(), capture_output=True).returncode == 0


def live_port(host: IsolatedHost) -> int:
    """The port of the release slot that serves on `host` (asked from the load balancer)."""
    for port in APP_PORTS:
        status = on(
            LB,
            f"curl -s -o /dev/null -w '%{{http_code}}' -H 'Host: {LB.address}' "
            f"http://{host.address}:{port}/healthz || true",
        )
        if status == "200":
            return port
    raise AssertionError(f"no healthy release slot on {host.name}")


class LoadBalancerTest(unittest.TestCase):
    def test_the_site_answers_over_https_through_the_load_balancer(self) -> None:
        status, body, _ = get(f"{SITE}/")
        self.assertEqual(status, 200)
        self.assertIn("To-Do", body)

    def test_http_is_sent_to_https(self) -> None:
        status, _, headers = get(f"http://{LB.address}/")
        self.assertIn(status, (301, 308))
        self.assertEqual(headers["Location"], f"{SITE}/")

    def test_the_app_hosts_answer_the_load_balancer_and_nobody_else(self) -> None:
        for host in APP_HOSTS:
            port = live_port(host)
            with self.subTest(host=host.name):
                self.assertTrue(connects(LB, host.address, port))
                self.assertFalse(connects(DB_HOST, host.address, port))
                self.assertFalse(connects(None, host.address, port))
                self.assertFalse(connects(DB_HOST, host.address, 443))
                self.assertTrue(connects(None, host.address, config.SSH_PORT))  # the operator

    def test_logged_in_on_one_host_recognised_on_every_host(self) -> None:
        first = APP_HOSTS[0]
        session = on(
            first,
            "docker exec superlists python manage.py create_session " + shlex.quote(TEST_EMAIL),
        ).strip()
        for host in APP_HOSTS:
            with self.subTest(host=host.name):
                page = on(
                    LB,
                    f"curl -s -H 'Host: {LB.address}' -H 'X-Forwarded-Proto: https' "
                    f"-H 'Cookie: sessionid={session}' http://{host.address}:{live_port(host)}/",
                )
                self.assertIn("Log out", page)
                self.assertIn(TEST_EMAIL, page)


if __name__ == "__main__":
    unittest.main()
