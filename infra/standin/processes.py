"""The machine's process table, read from /proc: who is alive, who descends from whom, and
stopping a set of processes (TERM, then KILL) without ever signalling any other one."""

import contextlib
import os
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Process:
    pid: int
    parent: int
    command_line: str  # its argv joined with spaces ("" for kernel threads)
    executable: str  # the name of the file it runs ("" if unreadable)


def _stat_fields(pid: int) -> list[str] | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The fields after the parenthesised command name: state, parent pid, ...
    return stat.rpartition(")")[2].split()


def is_alive(pid: int) -> bool:
    """True if `pid` exists and is not a zombie (a zombie has exited, only its entry is left)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != "Z"


def read(pid: int) -> Process | None:
    """The live process `pid`, or None if there is none (or only its zombie)."""
    fields = _stat_fields(pid)
    if fields is None or fields[0] == "Z":
        return None
    try:
        argv = (PROC / str(pid) / "cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return None
    try:
        executable = os.path.basename(os.readlink(PROC / str(pid) / "exe"))
    except OSError:
        executable = ""
    return Process(
        pid=pid,
        parent=int(fields[1]),
        command_line=argv.replace(b"\0", b" ").decode(errors="replace").strip(),
        executable=executable.removesuffix(" (deleted)"),
    )


def all_processes() -> list[Process]:
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            process = read(int(entry.name))
            if process is not None:
                found.append(process)
    return found


def descendants(roots: Iterable[int], table: Iterable[Process]) -> set[int]:
    """The pids of every process below `roots` in `table` (children, their children, ...)."""
    children: dict[int, list[int]] = {}
    for process in table:
        children.setdefault(process.parent, []).append(process.pid)
    found: set[int] = set()
    to_visit = list(roots)
    while to_visit:
        for child in children.get(to_visit.pop(), []):
            if child not in found:
                found.add(child)
                to_visit.append(child)
    return found


def ancestors(pid: int) -> set[int]:
    """`pid` and every process above it, up to init: processes `down` must never stop."""
    found = set()
    while pid > 0 and pid not in found:
        found.add(pid)
        fields = _stat_fields(pid)
        if fields is None:
            break
        pid = int(fields[1])
    return found


def environment(pid: int) -> dict[str, str]:
    """The environment `pid` was started with ({} if unreadable)."""
    try:
        raw = (PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return {}
    variables = {}
    for entry in raw.split(b"\0"):
        name, equals, value = entry.decode(errors="replace").partition("=")
        if equals:
            variables[name] = value
    return variables


def root_directory(pid: int) -> str | None:
    """Where `pid` sees `/` (a container's processes see their image's root), if readable."""
    try:
        return os.readlink(PROC / str(pid) / "root")
    except OSError:
        return None


def _reap(pid: int) -> None:
    """Collect the exit status of `pid` if it is our own child, so it leaves no zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _wait_until_gone(pids: set[int], timeout: float) -> set[int]:
    deadline = time.monotonic() + timeout
    while True:
        for pid in pids:
            _reap(pid)
        alive = {pid for pid in pids if is_alive(pid)}
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.05)


def _signal(pids: Iterable[int], signal_number: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal_number)


def terminate(pids: Iterable[int], timeout: float = 10.0) -> set[int]:
    """SIGTERM `pids`, SIGKILL those still alive after `timeout`; the pids that were alive."""
    targets = {pid for pid in pids if is_alive(pid)}
    _signal(targets, signal.SIGTERM)
    stubborn = _wait_until_gone(targets, timeout)
    if stubborn:
        _signal(stubborn, signal.SIGKILL)
        _wait_until_gone(stubborn, 5.0)
    return targets
