"""Two isolated hosts are two machines: each its own hostname, /srv, processes, engine and
address; a container runs in each; cron runs; killing one leaves nothing of it behind."""

import os
import subprocess
import tarfile
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

from infra.standin import config, isolated_host
from infra.standin.isolated_host import IsolatedHost

BUSYBOX = Path("/bin/busybox")  # Debian's busybox-static: an image with no registry
IMAGE = "localhost/superlists-standin-busybox"
# Run by the host's cron as it boots: its /run is empty, so cron counts this as a reboot.
CRON_PROOF = "@reboot root hostname > /srv/cron-ran\n"


def busybox_image() -> bytes:
    """A one-file image: static busybox as /bin/busybox and /bin/sh."""
    with tempfile.TemporaryDirectory() as directory:
        archive = Path(directory) / "image.tar"
        with tarfile.open(archive, "w") as tar:
            tar.add(BUSYBOX, "bin/busybox")
            link = tarfile.TarInfo("bin/sh")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(link)
        return archive.read_bytes()


def on(host: IsolatedHost, command: str, input: bytes | None = None) -> str:
    completed = subprocess.run(host.ssh(command), input=input, capture_output=True, timeout=60)
    if completed.returncode != 0:
        raise AssertionError(f"on {host.name}: `{command}`: {completed.stderr.decode()}")
    return completed.stdout.decode()


def can_connect_from(host: IsolatedHost, address: str, port: int) -> bool:
    """Whether a TCP connection from inside `host` to address:port succeeds."""
    script = (
        "import socket, sys\n"
        "try:\n"
        f"    socket.create_connection(({address!r}, {port}), timeout=2)\n"
        "except OSError:\n"
        "    sys.exit(1)\n"
    )
    return subprocess.run(host.ssh("python3 -"), input=script.encode()).returncode == 0


def start_timed(host: IsolatedHost) -> float:
    started = time.monotonic()
    host.start()
    return time.monotonic() - started


def wait_for_file(host: IsolatedHost, path: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return on(host, f"cat {path}")
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class TwoHostsTest(unittest.TestCase):
    """Two hosts up at once, as staging and production will be."""

    a = IsolatedHost("testa", index=0)
    b = IsolatedHost("testb", index=1)

    @classmethod
    def setUpClass(cls) -> None:
        for host in (cls.a, cls.b):
            host.remove()  # what an interrupted run left
            host.cron_dir.mkdir(parents=True, exist_ok=True)
            (host.cron_dir / "cron-proof").write_text(CRON_PROOF)
            print(f"\n  {host.name} started in {start_timed(host):.2f} s", end="")
            cls.addClassCleanup(host.remove)

    def test_each_host_has_its_own_hostname_srv_and_processes(self) -> None:
        self.assertEqual(on(self.a, "hostname").strip(), "testa")
        self.assertEqual(on(self.b, "hostname").strip(), "testb")
        on(self.a, "echo a > /srv/only-on-a")
        self.assertEqual(on(self.a, "cat /srv/only-on-a"), "a\n")
        self.assertNotIn("only-on-a", on(self.b, "ls /srv"))
        processes_on_a = on(self.a, "ps -eo args")
        self.assertIn("host_init.py", processes_on_a.splitlines()[1])  # its PID 1
        self.assertIn(str(self.a.etc_dir / "sshd_config"), processes_on_a)
        self.assertNotIn(str(self.b.directory), processes_on_a)

    def test_cron_runs_the_hosts_own_cron_files(self) -> None:
        self.assertEqual(wait_for_file(self.a, "/srv/cron-ran"), "testa\n")
        self.assertEqual(wait_for_file(self.b, "/srv/cron-ran"), "testb\n")

    def test_each_host_reaches_only_its_own_engine(self) -> None:
        self.assertEqual(
            on(self.a, "podman info --format '{{.Store.GraphRoot}}'").strip(),
            str(self.a.graph_root),
        )
        # b's engine socket, as this machine sees it, is not there from inside a.
        b_socket = self.b.engine_socket_from_outside()
        assert b_socket is not None
        self.assertTrue(b_socket.is_socket())
        self.assertFalse(on(self.a, f"ls {b_socket} 2>/dev/null || true").strip())

    def test_a_host_sees_none_of_the_stand_ins_state_but_its_own(self) -> None:
        self.assertEqual(on(self.a, f"ls {config.ISOLATED_HOSTS_DIR}"), "testa\n")
        self.assertEqual(on(self.a, f"ls {config.STATE_DIR}"), "hosts\n")  # no operator key
        self.assertIn("only-on-b", on(self.b, "echo > /srv/only-on-b; ls /srv"))
        self.assertIn("only-on-b", os.listdir(self.b.srv_dir))  # what the host writes stays

    def test_each_address_is_reachable_only_over_its_own_link(self) -> None:
        route = subprocess.run(
            ["ip", "route", "get", self.b.address], capture_output=True, text=True, check=True
        ).stdout
        self.assertIn(f"dev {self.b.outside_interface}", route)
        self.assertFalse(can_connect_from(self.a, self.b.address, 22))
        self.assertTrue(can_connect_from(self.a, self.a.address, 22))

    def test_a_container_runs_on_each_host_and_publishes_its_port(self) -> None:
        image = busybox_image()
        for host in (self.a, self.b):
            on(host, f"podman import --quiet - {IMAGE}", input=image)
            # The docker CLI over the host's own API socket, as the deploy will use it.
            self.assertEqual(
                on(host, f"docker run --rm {IMAGE} busybox echo hello from a container"),
                "hello from a container\n",
            )
        on(self.a, f"docker run -d --name web -p {self.a.address}:8080:8080 {IMAGE} "
                   "busybox httpd -f -p 8080 -h /bin")  # fmt: skip
        self.assertEqual(self._get(f"http://{self.a.address}:8080/sh"), 200)
        self.assertNotIn("web", on(self.b, "docker ps --format '{{.Names}}'"))

    @staticmethod
    def _get(url: str) -> int:
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    return int(response.status)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)


class KillingAHostTest(unittest.TestCase):
    """A host killed with a container running leaves nothing; the other stops cleanly."""

    def test_killing_one_host_leaves_nothing_and_the_other_stops_cleanly(self) -> None:
        doomed, survivor = IsolatedHost("testc", index=2), IsolatedHost("testd", index=3)
        for host in (doomed, survivor):
            host.remove()
            self.addCleanup(host.remove)
            start_timed(host)
            on(host, f"podman import --quiet - {IMAGE}", input=busybox_image())
            on(host, f"docker run -d {IMAGE} busybox sleep 600")
        # What the host has on this machine while it runs, so the check below is not vacuous.
        running = "\n".join(isolated_host.leftovers_of(doomed.name))
        for thing in ("process", "network namespace slh-testc", "interface slh-testc-o"):
            self.assertIn(thing, running)
        self.assertTrue(isolated_host.container_cgroups(doomed.name))

        doomed.kill()

        self.assertEqual(isolated_host.leftovers_of(doomed.name), [])
        self.assertEqual(on(survivor, "hostname"), "testd\n")  # untouched
        self.assertIn("sleep 600", on(survivor, "docker ps --format '{{.Command}}'"))

        self.assertTrue(survivor.stop())
        self.assertEqual(isolated_host.leftovers_of(survivor.name), [])
