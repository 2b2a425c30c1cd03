"""Run the app's management commands inside its container on a server, over SSH (OpenSSH).

Before anything that changes the server's data, the target must pass two checks here: its host
must not match FT_PRODUCTION_HOSTS, and the server itself must say it allows test fixtures and
serves that host. The server's own commands refuse too (see functional_tests.fixtures).
"""

import json
import shlex
import subprocess

from functional_tests.target import TestServer

SSH_TIMEOUT = 60


class RemoteCommandFailed(Exception):
    pass


class ProductionTargetRefused(Exception):
    pass


def reset_database(server: TestServer) -> None:
    ensure_not_production(server)
    _manage(server, "reset_database")


def create_session_on_server(server: TestServer, email: str) -> str:
    ensure_not_production(server)
    return _manage(server, "create_session", email)


def expire_login_links_on_server(server: TestServer, email: str) -> None:
    ensure_not_production(server)
    _manage(server, "expire_login_links", email)


def server_info(server: TestServer) -> dict:
    return json.loads(_manage(server, "server_info"))


# Servers that have already said they are staging, in this test run.
_confirmed_staging: set[tuple[str, str, str]] = set()


def ensure_not_production(server: TestServer) -> None:
    if server.is_production():
        raise ProductionTargetRefused(
            f"Refusing to touch {server.host}: it matches FT_PRODUCTION_HOSTS "
            f"({server.production_hosts.pattern})."
        )
    identity = (server.host, server.ssh_destination, server.container)
    if identity in _confirmed_staging:
        return
    info = server_info(server)
    if info.get("test_fixtures") is not True:
        raise ProductionTargetRefused(
            f"Refusing to touch {server.host}: the container {server.container!r} there says test "
            f"fixtures are disabled, so it is not a staging server ({info})."
        )
    if server.host not in info.get("allowed_hosts", []):
        raise ProductionTargetRefused(
            f"Refusing to touch {server.host}: the container {server.container!r} reached through "
            f"{server.ssh_destination} serves {info.get('allowed_hosts')}, not {server.host}."
        )
    _confirmed_staging.add(identity)


def _manage(server: TestServer, *arguments: str) -> str:
    remote_command = ["docker", "exec", server.container, "python", "manage.py", *arguments]
    ssh_command = ["ssh", "-o", "BatchMode=yes", server.ssh_destination, shlex.join(remote_command)]
    try:
        completed = subprocess.run(
            ssh_command, capture_output=True, text=True, timeout=SSH_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as timeout:
        raise RemoteCommandFailed(
            f"`{shlex.join(remote_command)}` on {server.ssh_destination} took over {SSH_TIMEOUT} s"
        ) from timeout
    if completed.returncode != 0:
        raise RemoteCommandFailed(
            f"`{shlex.join(remote_command)}` failed on {server.ssh_destination} "
            f"(exit {completed.returncode}):\n{completed.stdout}{completed.stderr}".rstrip()
        )
    return completed.stdout.strip()
