"""gunicorn with production's settings, on a free loopback port, for the length of a block.

Every server the benchmark and the load test measure is started here, with the file the image
runs with (gunicorn.conf.py: worker class and count, no access log, ...), so that they measure what
production serves and follow it when it changes. Only the bind address differs (``--bind`` on
the command line overrides the file's), and, for the ceiling, the WSGI application.
"""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sitekit import config
from sitekit.loopback import free_port

APP = "superlists.wsgi:application"


class ServerDidNotStart(RuntimeError):
    pass


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    pid: int  # gunicorn's master, whose workers are its children


def gunicorn_command(bind: str, application: str) -> list[str]:
    """Production's gunicorn (its configuration file), serving ``application`` at ``bind``."""
    return [
        sys.executable, "-m", "gunicorn",
        "--config", str(config.GUNICORN_CONF),
        "--bind", bind,
        application,
    ]  # fmt: skip


@contextlib.contextmanager
def gunicorn_serving(
    env: Mapping[str, str],
    application: str = APP,
    log_path: Path | None = None,
    cwd: Path = config.SRC_DIR,
) -> Iterator[RunningServer]:
    """Serve ``application`` in the environment ``env``, from src/ as the image does (or from
    ``cwd``: another app's source); stop it when the block ends. Its output (gunicorn's log
    and the app's) goes to ``log_path``, or to a temporary file that is deleted afterwards."""
    bind = f"{config.BIND_HOST}:{free_port()}"
    with contextlib.ExitStack() as stack:
        log: IO[bytes]
        if log_path is None:
            log = stack.enter_context(tempfile.TemporaryFile())
        else:
            log = stack.enter_context(log_path.open("w+b"))
        process = subprocess.Popen(
            gunicorn_command(bind, application),
            cwd=cwd,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        stack.callback(stop, process)
        server = RunningServer(base_url=f"http://{bind}", pid=process.pid)
        wait_until_answering(server, process, log)
        yield server


def wait_until_answering(
    server: RunningServer, process: subprocess.Popen[bytes], log: IO[bytes]
) -> None:
    deadline = time.monotonic() + config.SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise ServerDidNotStart(
                f"gunicorn exited with {process.returncode}; its log:\n"
                + log.read().decode(errors="replace")[-3000:]
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
