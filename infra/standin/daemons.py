"""The stand-in's daemons: one small record each, started, probed and stopped by one routine.

A daemon runs detached (own session, stdin closed), logs to config.log_file(name), and is
tracked by a PID file. A PID can be reused by an unrelated process after a crash, so a PID file
only counts when that PID is alive (not a zombie) and its command line still names the daemon's
program; nothing else is ever signalled. Each daemon is started with config.PROCESS_MARKER in its
environment, which `down` uses to find any of its processes that outlived it.
"""

import hashlib
import os
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import config, processes
from .steps import StepFailed, say


@dataclass(frozen=True)
class Daemon:
    name: str  # its PID file and log are named for it
    description: str  # what it is, for messages: "the mail server on 127.0.10.3:587"
    command: tuple[str, ...]
    # The readiness probe: true once the daemon serves its clients, and for as long as it does.
    ready: Callable[[], bool]
    # A word of its command line that tells it apart from an unrelated process with a reused PID.
    program: str
    environment: Mapping[str, str] = field(default_factory=dict)
    # Files it reads at start-up: when one of them changes, the daemon is restarted.
    config_files: tuple[Path, ...] = ()
    # Other logs worth quoting when it fails to start (its own is always quoted).
    extra_logs: tuple[Path, ...] = ()
    # What a previous run may have left that would stop it from starting (a socket file).
    remove_before_start: tuple[Path, ...] = ()
    ready_timeout: float = 30.0
    cwd: Path = Path("/")
    hint: str = ""  # the likely cause of a failure to start, added to the message


def _digest_file(daemon: Daemon) -> Path:
    return config.pid_file(daemon.name).with_suffix(".config-digest")


def _config_digest(daemon: Daemon) -> str:
    digest = hashlib.sha256()
    for path in daemon.config_files:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
    return digest.hexdigest()


def _started_with(daemon: Daemon) -> str | None:
    """The digest of its configuration files when it was started (None if unknown)."""
    try:
        return _digest_file(daemon).read_text()
    except FileNotFoundError:
        return None


def running_pid(daemon: Daemon) -> int | None:
    """The PID of `daemon` if its PID file names a live process running its program."""
    try:
        pid = int(config.pid_file(daemon.name).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    process = processes.read(pid)
    if process is None or daemon.program not in process.command_line:
        return None
    return pid


def is_running(daemon: Daemon) -> bool:
    return running_pid(daemon) is not None and daemon.ready()


def log_tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"({path}: no log)"
    return f"{path} ends with:\n" + "\n".join(text.splitlines()[-lines:])


def _start(daemon: Daemon) -> subprocess.Popen[bytes]:
    config.LOG_DIR.mkdir(parents=True, exist_ok=True)
    config.pid_file(daemon.name).parent.mkdir(parents=True, exist_ok=True)
    for path in daemon.remove_before_start:
        path.unlink(missing_ok=True)
    environment = {**os.environ, **daemon.environment, config.PROCESS_MARKER: daemon.name}
    with open(config.log_file(daemon.name), "ab") as log:
        process = subprocess.Popen(
            daemon.command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=daemon.cwd,
            env=environment,
        )
    config.pid_file(daemon.name).write_text(f"{process.pid}\n")
    _digest_file(daemon).write_text(_config_digest(daemon))
    return process


def _wait_until_ready(daemon: Daemon, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + daemon.ready_timeout
    while not daemon.ready():
        exited = process.poll() is not None
        if exited or time.monotonic() > deadline:
            if not exited:
                stop(daemon)
            what = "exited" if exited else f"did not answer within {daemon.ready_timeout:.0f} s"
            logs = [log_tail(config.log_file(daemon.name))]
            logs += [log_tail(path) for path in daemon.extra_logs]
            hint = f"\n  ({daemon.hint})" if daemon.hint else ""
            raise StepFailed(f"{daemon.description} {what}. " + "\n".join(logs) + hint)
        time.sleep(0.1)


def ensure_running(daemon: Daemon) -> str:
    """Start `daemon` unless it is running, answering, with its current configuration.

    One that is alive but does not answer, or whose configuration files changed since it
    started, is restarted. Returns what was found or done, for the step's summary.
    """
    pid = running_pid(daemon)
    configuration_changed = _started_with(daemon) != _config_digest(daemon)
    if pid is not None and not configuration_changed and daemon.ready():
        return f"{daemon.description}: already running (pid {pid})"
    if pid is not None:
        stop(daemon)
        why = "its configuration changed" if configuration_changed else "it did not answer"
        say(f"restarting {daemon.description}: {why}")
    process = _start(daemon)
    _wait_until_ready(daemon, process)
    return f"{daemon.description}: started (pid {process.pid})"


def stop(daemon: Daemon, timeout: float = 10.0) -> bool:
    """Stop `daemon` and every process it started (TERM, then KILL after `timeout`).

    The daemon goes first, so that it can stop its own children in order; whatever of them is
    left (an sshd's sessions outlive it, by design) is stopped after it. True if it was running.
    """
    pid = running_pid(daemon)
    if pid is not None:
        family = processes.descendants([pid], processes.all_processes())
        processes.terminate([pid], timeout)
        processes.terminate(family, timeout)
    config.pid_file(daemon.name).unlink(missing_ok=True)
    _digest_file(daemon).unlink(missing_ok=True)
    return pid is not None


def stop_all(daemons: Iterable[Daemon]) -> list[str]:
    """Stop each of `daemons`, in order; the descriptions of those that were running."""
    return [daemon.description for daemon in daemons if stop(daemon)]
