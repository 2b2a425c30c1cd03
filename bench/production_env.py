"""Real app instances for the load tests: gunicorn in production mode, on loopback ports."""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SRC = REPO_ROOT / "src"
GUNICORN = Path(sys.executable).parent / "gunicorn"


def production_env(database: dict[str, str], **extra: str) -> dict[str, str]:
    """Production settings for instances that share ``database`` (DATABASE_URL or a DB path)."""
    return {
        **os.environ,
        "DJANGO_DEBUG_FALSE": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOST": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",  # where login links point; tests swap in an instance
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "1",  # nothing listens there unless a test says otherwise
        "EMAIL_HOST_USER": "noreply@superlists.test",
        "EMAIL_USE_TLS": "0",
        **database,
        **extra,
    }


def postgres_url_for_tests() -> str:
    """The PostgreSQL database the tests may fill, from DATABASE_URL; an error naming the fix."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise AssertionError(
            "These tests need DATABASE_URL=postgres://… naming a database they may fill: "
            "run scripts/test-postgres."
        )
    return database_url


def prepare(env: dict[str, str]) -> None:
    """Migrate the database and collect the static files, as the image and the deploy do."""
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"],
            cwd=SRC,
            env=env,
            check=True,
            timeout=300,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 4) -> Iterator[str]:
    """Serve the app with ``workers`` sync workers; yield its base URL; stop it afterwards."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                GUNICORN,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--no-control-socket",
                "superlists.wsgi:application",
            ],
            cwd=SRC,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(base_url, process, log)
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_serving(base_url: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base_url + "/", timeout=2)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(
                    f"gunicorn did not serve {base_url}:\n{log.read().decode(errors='replace')}"
                ) from None
            time.sleep(0.1)
