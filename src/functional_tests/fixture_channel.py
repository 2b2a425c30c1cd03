"""The FTs' end of `manage.py serve_fixture_commands`: one JSON line per request and per answer.

The command greets with what the server is ({"ok": true, "server_info": {...}}), then answers
each request, a JSON list such as ["create_session", "edith@example.com"], with
{"ok": true, "output": "..."} or {"ok": false, "error": "..."}.
"""

import json
import queue
import shlex
import subprocess
import tempfile
import threading
from typing import Any

from functional_tests.ssh import RemoteCommandFailed


class FixtureChannel:
    """A running `serve_fixture_commands`, started by ``command`` (which reaches it however it
    must): its greeting is read at once, then each request gets one answer, in turn."""

    def __init__(self, command: list[str], where: str, timeout: float) -> None:
        self.where = where
        self.timeout = timeout
        # Its stderr goes to a file: a pipe nobody reads could fill up and stall it.
        self._errors = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by close())
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
        )
        self._responses: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read_responses, daemon=True)
        self._reader.start()
        try:
            self.server_info: dict[str, Any] = self._next_response("its greeting")["server_info"]
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
        output: str = response["output"]
        return output

    def _next_response(self, awaited: str) -> dict[str, Any]:
        try:
            response_line = self._responses.get(timeout=self.timeout)
        except queue.Empty:
            raise RemoteCommandFailed(
                f"{awaited} from {self.where} took over {self.timeout} s"
            ) from None
        if response_line is None:
            raise RemoteCommandFailed(
                f"`manage.py serve_fixture_commands` in {self.where} ended "
                f"(exit {self._process.wait()}) before {awaited}:\n{self._error_output()}".rstrip()
            )
        try:
            response: dict[str, Any] = json.loads(response_line)
        except ValueError:
            raise RemoteCommandFailed(
                f"{self.where} answered {awaited} with {response_line!r}, not JSON"
            ) from None
        return response

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()  # the remote command ends at the end of its input
        try:
            self._process.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._reader.join(timeout=self.timeout)  # it has read to the end of the output
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
