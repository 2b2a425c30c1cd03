"""Run the app's management commands inside its container on a server, over SSH (OpenSSH).

The fixture commands (reset, create a session, expire login links) go to one long-running
`manage.py serve_fixture_commands` per server and test run; `server_info` runs on its own.

Before anything that changes the server's data, the target must pass two checks here: its host
must not match FT_PRODUCTION_HOSTS, and the server itself must say it allows test fixtures and
serves that host. The server's own commands refuse too (see functional_tests.fixtures).
"""

import atexit
import json
import queue
import shlex
import subprocess
import tempfile
import threading

from functional_tests.target import TestServer

SSH_TIMEOUT = 60


class RemoteCommandFailed(Exception):
    pass


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


class _FixtureChannel:
    """`manage.py serve_fixture_commands` in a server's container, reached over SSH once for the
    whole test run: Django starts there once, instead of for every test (0.5 s each time).
    Nothing is asked of it before its greeting, saying what the server is, has been checked."""

    def __init__(self, server: TestServer) -> None:
        self.where = f"the container {server.container!r} on {server.ssh_destination}"
        remote_command = _docker_exec(server, "serve_fixture_commands", interactive=True)
        # Its stderr goes to a file: a pipe nobody reads could fill up and stall it.
        self._errors = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by close())
        self._process = subprocess.Popen(
            _ssh(server, remote_command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
        )
        self._responses: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read_responses, daemon=True)
        self._reader.start()
        try:
            self.server_info: dict = self._next_response("its greeting")["server_info"]
        except RemoteCommandFailed:
            self.close()
            raise

    def is_running(self) -> bool:
        return self._process.poll() is None

    def run(self, *arguments: str) -> str:
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(arguments) + "\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            pass  # it has ended: _next_response says how
        response = self._next_response(f"`{shlex.join(arguments)}`")
        if not response["ok"]:
            raise RemoteCommandFailed(
                f"`{shlex.join(arguments)}` failed in {self.where}: {response['error']}"
            )
        return response["output"]

    def _next_response(self, awaited: str) -> dict:
        try:
            response_line = self._responses.get(timeout=SSH_TIMEOUT)
        except queue.Empty:
            raise RemoteCommandFailed(
                f"{awaited} from {self.where} took over {SSH_TIMEOUT} s"
            ) from None
        if response_line is None:
            raise RemoteCommandFailed(
                f"`manage.py serve_fixture_commands` in {self.where} ended "
                f"(exit {self._process.wait()}) before {awaited}:\n{self._error_output()}".rstrip()
            )
        try:
            return json.loads(response_line)
        except ValueError:
            raise RemoteCommandFailed(
                f"{self.where} answered {awaited} with {response_line!r}, not JSON"
            ) from None

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()  # the remote command ends at the end of its input
        try:
            self._process.wait(timeout=SSH_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._reader.join(timeout=SSH_TIMEOUT)  # it has read to the end of the output
        if self._process.stdout:
            self._process.stdout.close()
        self._errors.close()

    def _read_responses(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._responses.put(line)
        self._responses.put(None)

    def _error_output(self) -> str:
        self._errors.seek(0)
        return self._errors.read()


_channels: dict[tuple[str, str], _FixtureChannel] = {}


def _run_fixture_command(server: TestServer, *arguments: str) -> str:
    return _channel_for(server).run(*arguments)


def _channel_for(server: TestServer) -> _FixtureChannel:
    key = (server.ssh_destination, server.container)
    if key not in _channels or not _channels[key].is_running():
        if not _channels:
            atexit.register(_close_channels)
        _channels[key] = _FixtureChannel(server)
    return _channels[key]


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
