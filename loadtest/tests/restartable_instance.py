"""An app instance the load tests can kill and start again on the same port, as a crash and a
redeploy do; over HTTP, or over HTTPS with a certificate of their own.

It is production's gunicorn (sitekit.gunicorn_server's command: gunicorn.conf.py, only the bind
moved), started in its own session so that killing it kills its workers too, by that session's
id: every process of it, and nothing else.
"""

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from sitekit import config
from sitekit.gunicorn_server import APP, ServerDidNotStart, gunicorn_command, stop
from sitekit.loopback import free_port

POLL_S = 0.05


@dataclass(frozen=True)
class Tls:
    """What gunicorn serves HTTPS with, and the CA certificate that checks it."""

    certificate: Path
    key: Path
    ca_certificate: Path


class RestartableInstance:
    """One instance on one loopback port. ``start()`` serves (again) and returns once it answers;
    ``kill()`` ends it at once, as a crash or a replaced container does. Each start's output
    (gunicorn's log and the app's) is a file of its own in ``directory``."""

    def __init__(self, env: dict[str, str], directory: Path, tls: Tls | None = None) -> None:
        # The workers' metrics in ``directory`` too: a killed gunicorn cannot remove the
        # directory it made for them (gunicorn.conf.py), and a restart starts it empty anyway.
        self.env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(directory / "metrics")}
        self.directory = directory
        self.tls = tls
        self.bind = f"{config.BIND_HOST}:{free_port()}"
        self.base_url = f"{'https' if tls else 'http'}://{self.bind}"
        self.starts = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = directory / "gunicorn-0.log"

    def start(self) -> None:
        self.starts += 1
        self.log_path = self.directory / f"gunicorn-{self.starts}.log"
        command = gunicorn_command(self.bind, APP)
        if self.tls:
            tls_options = ["--certfile", str(self.tls.certificate), "--keyfile", str(self.tls.key)]
            command[-1:-1] = tls_options  # before the application
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=config.SRC_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_answering()

    def kill(self) -> None:
        """SIGKILL to the master and its workers: requests in flight are cut off, and the port
        refuses connections until the next start."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only its processes
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def requests_served(self) -> int:
        """Requests the app logged (observability.request_logging) since the last start."""
        return self.log_path.read_text(errors="replace").count(" superlists.requests ")

    def wait_until_served(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.requests_served() < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.base_url} served {self.requests_served()} requests in {timeout} s, "
                    f"not {count}"
                )
            time.sleep(POLL_S)

    def _wait_until_answering(self) -> None:
        assert self.process is not None
        verify: str | bool = str(self.tls.ca_certificate) if self.tls else True
        deadline = time.monotonic() + config.SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerDidNotStart(
                    f"gunicorn exited with {self.process.returncode}; its log:\n"
                    + self.log_path.read_text(errors="replace")[-3000:]
                )
            try:
                requests.get(self.base_url + "/", timeout=2, verify=verify)
                return  # it answers, whatever with: that is the page's business
            except requests.exceptions.SSLError:
                raise  # it answers, with a certificate we do not trust: waiting will not help
            except (requests.ConnectionError, requests.Timeout):
                # Not listening yet, or listening with its workers still loading the app (on a
                # busy machine that takes longer than a request's timeout): ask again.
                time.sleep(POLL_S)
        raise ServerDidNotStart(f"gunicorn did not answer at {self.base_url} within the timeout")


@contextmanager
def restartable_instance(
    env: dict[str, str], directory: Path, tls: Tls | None = None
) -> Iterator[RestartableInstance]:
    """A started instance, stopped when the block ends."""
    instance = RestartableInstance(env, directory, tls)
    try:
        instance.start()
        yield instance
    finally:
        instance.stop()
