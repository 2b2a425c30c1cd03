"""The stand-in hosts themselves, used as the deploy and the functional tests will use them.

These fail (never skip) when they are not up: run `.venv/bin/python -m infra.standin up` first
(scripts/test-staging does).
"""

import json
import secrets
import shlex
import smtplib
import socket
import ssl
import subprocess
import time
import unittest
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from infra.staging_tests.remote import ssh
from infra.standin import check, config, credentials, daemons, images, servers
from infra.standin.__main__ import all_daemons
from infra.standin.config import Server
from infra.standin.mail import probe

T = TypeVar("T")
NOT_UP = "the stand-in is not up: run `.venv/bin/python -m infra.standin up` first"


def succeeded(result: subprocess.CompletedProcess[str]) -> str:
    if result.returncode != 0:
        raise AssertionError(f"{shlex.join(result.args)} failed: {result.stderr}")
    return result.stdout


def names_of_containers(server: Server, cli: str) -> set[str]:
    """The containers `docker` or `podman`, run in an SSH session on `server`, can see."""
    return set(succeeded(ssh(server.address, f"{cli} ps --all --format '{{{{.Names}}}}'")).split())


def within_seconds(seconds: float, attempt: Callable[[], T]) -> T:
    """The result of `attempt`, retried until it raises no AssertionError or OSError (the
    last error is raised after `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return attempt()
        except (AssertionError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class StandinIntegrationTest(unittest.TestCase):
    """Uses the running stand-in; fails with NOT_UP if it is not running."""

    @classmethod
    def setUpClass(cls) -> None:
        stopped = [each.description for each in all_daemons() if not daemons.is_running(each)]
        if stopped:
            raise AssertionError(f"{NOT_UP} (not running: {', '.join(stopped)})")


class SeparateServersTest(StandinIntegrationTest):
    def test_a_container_on_one_server_is_invisible_from_the_other(self) -> None:
        for here, there in [
            (config.STAGING, config.PRODUCTION),
            (config.PRODUCTION, config.STAGING),
        ]:
            with self.subTest(container_on=here.name, looking_from=there.name):
                name = f"isolation-probe-{secrets.token_hex(4)}"
                succeeded(
                    ssh(
                        here.address, f"docker run -d --name {name} {config.PYTHON_IMAGE} sleep 600"
                    )
                )
                self.addCleanup(ssh, here.address, f"docker rm -f {name}")
                for cli in ("docker", "podman"):
                    self.assertIn(name, names_of_containers(here, cli))
                    self.assertNotIn(name, names_of_containers(there, cli))
                result = ssh(there.address, f"docker inspect {name}")
                self.assertNotEqual(result.returncode, 0)

    def test_each_server_sees_only_its_own_app_container(self) -> None:
        self.assertIn("superlists", names_of_containers(config.STAGING, "docker"))
        self.assertNotIn("superlists-production", names_of_containers(config.STAGING, "docker"))
        self.assertIn("superlists-production", names_of_containers(config.PRODUCTION, "podman"))
        self.assertNotIn("superlists", names_of_containers(config.PRODUCTION, "podman"))

    def test_the_engines_keep_their_images_and_containers_in_different_places(self) -> None:
        graph_roots = {}
        for server in config.SERVERS:
            graph_root = succeeded(
                ssh(server.address, "podman info --format '{{.Store.GraphRoot}}'")
            ).strip()
            self.assertEqual(graph_root, str(servers.host_of(server).graph_root))
            graph_roots[server.name] = graph_root
        self.assertNotEqual(graph_roots["staging"], graph_roots["production"])

    def test_each_address_answers_with_its_own_sshd_and_host_key(self) -> None:
        for server in config.SERVERS:
            scanned = succeeded(
                subprocess.run(
                    ["ssh-keyscan", "-t", "ed25519", server.address],
                    capture_output=True,
                    text=True,
                    timeout=30,
                )
            ).split()
            own_key = Path(f"{servers.host_of(server).host_key}.pub").read_text().split()[1]
            self.assertEqual(scanned[1:3], ["ssh-ed25519", own_key])

    def test_containers_on_either_server_reach_the_mail_server(self) -> None:
        for server in config.SERVERS:
            with self.subTest(server=server.name):
                check.check_smtp_from_container(server)  # raises StepFailed if not


# Run on a host with `python3 - URL`: what GETting URL answers, or "unreachable: why".
FETCH = """\
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as answer:
        print(answer.read().decode())
except OSError as error:
    print(f"unreachable: {error}")
"""
# Run on a host with `python3 - ADDRESS PORT...`: each port it can open a TCP connection to.
CONNECTS = """\
import socket, sys
for port in sys.argv[2:]:
    try:
        socket.create_connection((sys.argv[1], int(port)), timeout=2).close()
        print(port)
    except OSError:
        pass
"""

# Every process's command line, one a line, as the host's /proc has them (no procps needed).
COMMAND_LINES = "for f in /proc/[0-9]*/cmdline; do tr \\\\0 ' ' < $f; echo; done 2>/dev/null"


def python_on(server: Server, script: str, *arguments: str) -> str:
    """What `script` prints, run by the Python on `server` (as the deploy's Ansible runs it)."""
    command = shlex.join([config.REMOTE_PYTHON, "-", *arguments])
    return succeeded(ssh(server.address, command, input=script))


class ProductionUnseenFromStagingTest(StandinIntegrationTest):
    """From inside staging (its SSH session, as an operator or an intruder there has it),
    production is another machine: none of its files, processes, hostname, engine or Caddy
    admin API, and not even its address. Each test first finds the thing on production itself,
    so that "not seen from staging" is never "not there at all"."""

    def on(self, server: Server, command: str) -> str:
        return succeeded(ssh(server.address, command))

    def test_each_server_has_its_own_hostname(self) -> None:
        for server in config.SERVERS:
            self.assertEqual(self.on(server, "hostname").strip(), server.name)

    def test_productions_srv_and_cron_file_are_not_on_staging(self) -> None:
        production, staging = config.PRODUCTION, config.STAGING
        self.on(production, f"test -f {production.app_dir}/superlists.env")
        self.on(production, f"test -f {production.cron_file}")
        self.on(staging, f"test -f {staging.app_dir}/superlists.env")
        listed = self.on(staging, "ls -A /srv /etc/cron.d")
        self.assertIn(staging.app_dir.name, listed)
        self.assertNotIn(production.app_dir.name, listed)
        self.assertNotIn(production.cron_file.name, listed)
        # Nor production's disk on this machine, where its /srv comes from.
        disk = servers.host_of(production).directory
        self.assertNotEqual(ssh(staging.address, f"test -e {disk}").returncode, 0)

    def test_productions_processes_are_not_in_stagings_process_table(self) -> None:
        # A process of our own on production, unmistakable by its command line.
        seconds = f"3600.{secrets.randbelow(10**9)}"
        pid = self.on(
            config.PRODUCTION, f"nohup sleep {seconds} >/dev/null 2>&1 </dev/null & echo $!"
        ).strip()
        self.addCleanup(ssh, config.PRODUCTION_HOST, f"kill {pid}")
        self.assertIn(f"sleep {seconds}", self.on(config.PRODUCTION, COMMAND_LINES))
        self.assertNotIn(f"sleep {seconds}", self.on(config.STAGING, COMMAND_LINES))
        namespaces = {
            server.name: self.on(server, "readlink /proc/self/ns/pid").strip()
            for server in config.SERVERS
        }
        self.assertNotEqual(namespaces["staging"], namespaces["production"])

    def test_productions_engine_does_not_answer_on_staging(self) -> None:
        # Where production's own sessions find its engine, tried from staging.
        engine = self.on(config.PRODUCTION, "echo $DOCKER_HOST").strip()
        self.assertIn(
            config.PRODUCTION.container_name,
            self.on(config.PRODUCTION, "docker ps --format '{{.Names}}'").split(),
        )
        seen = ssh(
            config.STAGING_HOST,
            f"DOCKER_HOST={shlex.quote(engine)} docker ps --format '{{{{.Names}}}}'",
        )
        self.assertNotIn(config.PRODUCTION.container_name, seen.stdout.split())

    def test_productions_caddy_admin_api_does_not_answer_on_staging(self) -> None:
        caddyfile = self.on(
            config.PRODUCTION, f"cat {config.PRODUCTION.app_dir}/proxy/Caddyfile"
        ).splitlines()
        [admin] = [line.split()[1] for line in caddyfile if line.strip().startswith("admin ")]
        url = f"http://{admin}/config/"
        # Production's proxy, as production's own sessions reach its admin API: it binds there.
        self.assertIn(config.PRODUCTION_HOST, python_on(config.PRODUCTION, FETCH, url))
        # The same address from staging is staging's own proxy, if anything.
        self.assertNotIn(config.PRODUCTION_HOST, python_on(config.STAGING, FETCH, url))

    def test_production_is_unreachable_from_staging_but_from_this_machine(self) -> None:
        ports = ("22", "443", "2019")
        for port in ("22", "443"):
            with socket.create_connection((config.PRODUCTION_HOST, int(port)), timeout=5):
                pass
        self.assertEqual(python_on(config.STAGING, CONNECTS, config.PRODUCTION_HOST, *ports), "")


class StandinImagesTest(StandinIntegrationTest):
    def test_images_are_labelled_as_stand_ins_on_every_server(self) -> None:
        for server in config.SERVERS:
            for image in images.IMAGES:
                inspected = succeeded(
                    ssh(
                        server.address,
                        f"docker image inspect --format '{{{{json .Config}}}}' {image.name}",
                    )
                )
                self.assertEqual(json.loads(inspected)["Labels"][config.STANDIN_LABEL], image.label)

    def test_caddy_image_is_set_up_like_the_official_one(self) -> None:
        inspected = json.loads(
            succeeded(
                ssh(
                    config.STAGING_HOST,
                    f"docker image inspect --format '{{{{json .Config}}}}' {config.CADDY_IMAGE}",
                )
            )
        )
        self.assertIn("XDG_CONFIG_HOME=/config", inspected["Env"])
        self.assertIn("XDG_DATA_HOME=/data", inspected["Env"])
        self.assertEqual(
            inspected["Cmd"],
            ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"],
        )
        version = succeeded(
            ssh(config.STAGING_HOST, f"docker run --rm {config.CADDY_IMAGE} caddy version")
        )
        self.assertRegex(version, r"^v?2\.6\.")  # Debian's says 2.6.2, the official v2.6.x

    def test_caddy_serves_tls_internal_on_a_servers_address_with_host_networking(self) -> None:
        # As the deploy will run it: host networking, a site bound to the server's address, a
        # certificate from Caddy's own CA. It takes no port beyond the site's: no admin API, and
        # no HTTP-to-HTTPS redirect (port 80 may be the app's).
        port, name = 8443, "staging.superlists.test"
        caddyfile = (
            "{\n\tadmin off\n\tauto_https disable_redirects\n"
            "\tlocal_certs\n\tskip_install_trust\n}\n"
            f"{name}:{port} {{\n\tbind {config.STAGING_HOST}\n\ttls internal\n"
            '\trespond "stand-in caddy"\n}\n'
        )
        container = f"caddy-probe-{secrets.token_hex(4)}"
        # On the server, as the deploy puts its Caddyfile there: this machine's files are not.
        directory = f"/srv/{container}"
        succeeded(
            ssh(
                config.STAGING_HOST,
                f"mkdir {directory} && cat > {directory}/Caddyfile",
                input=caddyfile,
            )
        )
        self.addCleanup(ssh, config.STAGING_HOST, f"rm -r {directory}")
        succeeded(
            ssh(
                config.STAGING_HOST,
                f"docker run -d --name {container} --network host "
                f"-v {directory}/Caddyfile:/etc/caddy/Caddyfile:ro {config.CADDY_IMAGE}",
            )
        )
        self.addCleanup(ssh, config.STAGING_HOST, f"docker rm -f {container}")

        def get_home_page() -> bytes:
            root = ssh(
                config.STAGING_HOST,
                f"docker exec {container} cat /data/caddy/pki/authorities/local/root.crt",
            )
            context = ssl.create_default_context(cadata=succeeded(root))
            with (
                socket.create_connection((config.STAGING_HOST, port), timeout=10) as connection,
                context.wrap_socket(connection, server_hostname=name) as tls,
            ):
                request = f"GET / HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n"
                tls.sendall(request.encode())
                return b"".join(iter(lambda: tls.recv(4096), b""))

        answer = within_seconds(10, get_home_page)
        self.assertTrue(answer.startswith(b"HTTP/1.1 200"), answer[:100])
        self.assertIn(b"stand-in caddy", answer)


class MailServerTest(StandinIntegrationTest):
    def test_smtp_refuses_unauthenticated_senders_like_a_real_provider(self) -> None:
        with (
            smtplib.SMTP(config.MAIL_HOST, config.SMTP_PORT, timeout=10) as smtp,
            self.assertRaises(smtplib.SMTPSenderRefused) as refused,
        ):
            smtp.sendmail(config.SENDER_ACCOUNT, [config.TEST_EMAIL_ADDRESS], b"Hi")
        self.assertEqual(refused.exception.smtp_code, 530)
        self.assertEqual(refused.exception.smtp_error, b"5.7.0 Authentication required")

    def test_smtp_refuses_a_wrong_password(self) -> None:
        with (
            smtplib.SMTP(config.MAIL_HOST, config.SMTP_PORT, timeout=10) as smtp,
            self.assertRaises(smtplib.SMTPAuthenticationError) as refused,
        ):
            smtp.login(config.SENDER_ACCOUNT, "not-the-password")
        self.assertEqual(refused.exception.smtp_code, 535)

    def test_authenticated_mail_to_a_plus_address_arrives_over_pop3(self) -> None:
        recipient = probe.unique_test_address("test")
        sent_after = datetime.now(UTC)
        probe.send_test_mail(recipient, "Your login link for Superlists")
        message = probe.take_mail_for(
            recipient, "Your login link for Superlists", sent_after, timeout=15
        )
        self.assertEqual(message["Delivered-To"], recipient)
        self.assertEqual(message["To"], recipient)
        self.assertEqual(message["Subject"], "Your login link for Superlists")
        self.assertEqual(message["From"], config.SENDER_ACCOUNT)

    def test_unknown_recipient_is_refused(self) -> None:
        with smtplib.SMTP(config.MAIL_HOST, config.SMTP_PORT, timeout=10) as smtp:
            smtp.login(config.SENDER_ACCOUNT, credentials.sender_password())
            with self.assertRaises(smtplib.SMTPRecipientsRefused) as refused:
                smtp.sendmail(config.SENDER_ACCOUNT, [f"nobody@{config.MAIL_DOMAIN}"], b"Hi")
        recipient_errors = refused.exception.recipients
        self.assertEqual(recipient_errors[f"nobody@{config.MAIL_DOMAIN}"][0], 550)
