"""gunicorn with the Dockerfile's own settings, on a free loopback port, for the length of a block.

The command line is read from the Dockerfile's CMD, so the benchmark serves with exactly the
settings production uses (worker class and count, access log, ...) and follows them when they
change. Only the bind address and, for the ceiling, the WSGI application are replaced.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bench import config
from loadtest.servers import free_port


class ServerDidNotStart(RuntimeError):
    pass


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    pid: int
    log_path: Path


def dockerfile_cmd(dockerfile_text: str) -> list[str]:
    """The exec-form CMD of a Dockerfile (the last one, as Docker uses), as a list."""
    logical_lines = dockerfile_text.replace("\\\n", " ").splitlines()
    commands = [line.strip() for line in logical_lines if line.strip().upper().startswith("CMD ")]
    if not commands:
        raise ValueError("the Dockerfile has no CMD")
    command = json.loads(commands[-1][len("CMD ") :])
    if not isinstance(command, list) or command[:1] != ["gunicorn"]:
        raise ValueError(f"expected an exec-form CMD running gunicorn, found {commands[-1]!r}")
    return command


def gunicorn_arguments(cmd: list[str], bind: str, application: str) -> list[str]:
    """The CMD's gunicorn options, with our bind address and WSGI application."""
    options = cmd[1:-1]  # without "gunicorn" and the application, which comes last
    kept: list[str] = []
    skip_next = False
    for option in options:
        if skip_next:
            skip_next = False
        elif option in {"--bind", "-b"}:
            skip_next = True
        elif not option.startswith("--bind="):
            kept.append(option)
    return ["--bind", bind, *kept, application]


def production_gunicorn_options() -> list[str]:
    return dockerfile_cmd(config.DOCKERFILE.read_text())


@contextlib.contextmanager
def gunicorn_serving(
    application: str, env: Mapping[str, str], cwd: Path, log_path: Path
) -> Iterator[RunningServer]:
    port = free_port()
    bind = f"{config.BIND_HOST}:{port}"
    arguments = gunicorn_arguments(production_gunicorn_options(), bind, application)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *arguments],
            cwd=cwd,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = RunningServer(base_url=f"http://{bind}", pid=process.pid, log_path=log_path)
    try:
        wait_until_answering(server, process)
        yield server
    finally:
        stop(process)


def wait_until_answering(server: RunningServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + config.SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerDidNotStart(
                f"gunicorn exited with {process.returncode}; its log:\n"
                + server.log_path.read_text(errors="replace")[-3000:]
            )
        try:
            with urllib.request.urlopen(server.base_url + "/", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if not with 200: that is the page's business
        except OSError:
            time.sleep(0.1)
    raise ServerDidNotStart(f"gunicorn did not answer at {server.base_url} within the timeout")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the gunicorn master we started (it stops its own workers), by its pid only."""
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
