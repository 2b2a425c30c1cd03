"""Background processes tracked by PID file: start, tell whether alive, stop.

A PID alone can be reused by an unrelated process after a reboot or crash, so a PID file only
counts as "running" when that PID is alive, not a zombie, and its command line still contains
the program we started. `stop` never signals anything else.
"""

import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from . import config
from .steps import StepFailed


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _command_line(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The state letter follows the parenthesised command name; "Z" is a zombie.
    if stat.rpartition(")")[2].split()[0] == "Z":
        return None
    return cmdline.replace(b"\0", b" ").decode(errors="replace")


def running_pid(name: str, program: str) -> int | None:
    """The PID of daemon `name` if its PID file names a live process running `program`."""
    pid = read_pid(config.pid_file(name))
    if pid is None:
        return None
    command_line = _command_line(pid)
    if command_line is None or program not in command_line:
        return None
    return pid


def start(
    name: str,
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    cwd: Path = Path("/"),
) -> int:
    """Start `argv` detached (own session, stdin closed), logging to config.log_file(name)."""
    config.LOG_DIR.mkdir(parents=True, exist_ok=True)
    with open(config.log_file(name), "ab") as log:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=cwd,
            env=None if env is None else {**os.environ, **env},
        )
    config.pid_file(name).write_text(f"{process.pid}\n")
    return process.pid


def exited_early(pid: int) -> bool:
    """True if a child we just started has already exited (reaping it if so)."""
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return _command_line(pid) is None
    return finished == pid


def wait_until_ready(
    pid: int, ready: Callable[[], bool], timeout: float, failure: Callable[[], str]
) -> None:
    """Poll `ready` until it holds; raise StepFailed(failure()) if the daemon dies or is late."""
    deadline = time.monotonic() + timeout
    while not ready():
        if exited_early(pid) or time.monotonic() > deadline:
            raise StepFailed(failure())
        time.sleep(0.1)


def stop(name: str, program: str, timeout: float = 10.0) -> bool:
    """Stop daemon `name` (TERM, then KILL after `timeout`); True if it was running."""
    pid = running_pid(name, program)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _command_line(pid) is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        if _command_line(pid) is not None:
            os.kill(pid, signal.SIGKILL)
    config.pid_file(name).unlink(missing_ok=True)
    return pid is not None


def log_tail(name: str, lines: int = 15) -> str:
    try:
        text = config.log_file(name).read_text(errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])
