"""Run the app's management commands inside its container on a server, over SSH (OpenSSH).

The fixture commands (reset, create a session, expire login links) go to one long-running
`manage.py serve_fixture_commands` per server and test run; `server_info` runs on its own.

Before anything that changes the server's data, the target must pass two checks here: its host
must not match FT_PRODUCTION_HOSTS, and the server itself must say it allows test fixtures and
serves that host. The server's own commands refuse too (see functional_tests.fixtures).
"""

import atexit
import json
import shlex
import subprocess

from functional_tests.fixture_channel import FixtureChannel, RemoteCommandFailed
from functional_tests.target import TestServer

SSH_TIMEOUT = 60


class ProductionTargetRefused(Exception):
    pass


def reset_database(server: TestServer) -> None:
    ensure_not_production(server)
    _run_fixture_command(server, "reset_database")


def create_session_on_server(server: TestServer, email: str) -> str:
    ensure_not_production(server)
    return _run_fixture_command(server, "create_session", email)


def expire_login_links_on_server(server: TestServer, email: str) -> None:
    ensure_not_production(server)
    _run_fixture_command(server, "expire_login_links", email)


def server_info(server: TestServer) -> dict:
    """What the server says it is: in the greeting of its fixture channel, or, where that cannot
    start (production has no fixture commands), from `manage.py server_info`."""
    try:
        return _channel_for(server).server_info
    except RemoteCommandFailed:
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


_channels: dict[tuple[str, str], FixtureChannel] = {}


def _run_fixture_command(server: TestServer, *arguments: str) -> str:
    return _channel_for(server).run(*arguments)


def _channel_for(server: TestServer) -> FixtureChannel:
    """The server's fixture channel: `manage.py serve_fixture_commands` in its container, reached
    over SSH once for the whole test run, so that Django starts there once rather than for every
    test (0.6 s each time). It is asked nothing before its greeting has been checked."""
    key = (server.ssh_destination, server.container)
    if key in _channels and _channels[key].is_running():
        return _channels[key]
    if key in _channels:
        _channels.pop(key).close()  # ended (a redeploy replaced the container): start anew
    remote_command = _docker_exec(server, "serve_fixture_commands", interactive=True)
    where = f"the container {server.container!r} on {server.ssh_destination}"
    _channels[key] = FixtureChannel(_ssh(server, remote_command), where, timeout=SSH_TIMEOUT)
    return _channels[key]


@atexit.register
def _close_channels() -> None:
    for channel in _channels.values():
        channel.close()


def _docker_exec(server: TestServer, *arguments: str, interactive: bool = False) -> list[str]:
    docker_exec = ["docker", "exec", "--interactive"] if interactive else ["docker", "exec"]
    return [*docker_exec, server.container, "python", "manage.py", *arguments]


def _ssh(server: TestServer, remote_command: list[str]) -> list[str]:
    return ["ssh", "-o", "BatchMode=yes", server.ssh_destination, shlex.join(remote_command)]


def _manage(server: TestServer, *arguments: str) -> str:
    remote_command = _docker_exec(server, *arguments)
    try:
        completed = subprocess.run(
            _ssh(server, remote_command),
            capture_output=True,
            text=True,
            timeout=SSH_TIMEOUT,
            check=False,
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
