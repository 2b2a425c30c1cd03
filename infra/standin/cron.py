"""The stand-in hosts' cron: Debian's own cron daemon, as a real server runs it, so that the
daily backup the deploy writes into /etc/cron.d (each server's cron_file) fires here too.

The stand-in hosts share this machine's /etc, so one cron daemon serves both, as each server's
would; the cron files name each server's engine (DOCKER_HOST). While it runs it also runs this
machine's own /etc/crontab and /etc/cron.d entries, as any Debian server's cron does. A machine
that already runs cron (a server with systemd) keeps its own, which reads the same files.
"""

from pathlib import Path

from . import daemons, processes
from .daemons import Daemon

PROGRAM = "/usr/sbin/cron"
# Where Debian's cron writes its PID, and the lock that keeps a second cron from starting.
CRON_PID_FILE = Path("/run/crond.pid")
DAEMON_NAME = "cron"


def _answers() -> bool:
    """Cron has no socket to probe: it is ready once it holds its lock file with its PID."""
    pid = _locked_by()
    return pid is not None and pid == daemons.running_pid(daemon())


def _locked_by() -> int | None:
    try:
        pid = int(CRON_PID_FILE.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    process = processes.read(pid)
    return pid if process is not None and process.executable == "cron" else None


def daemon() -> Daemon:
    return Daemon(
        name=DAEMON_NAME,
        description="cron (runs the deploy's daily backups)",
        # -f: in the foreground, as daemons.py runs every daemon; -L 15: log each job it runs.
        command=(PROGRAM, "-f", "-L", "15"),
        ready=_answers,
        program=PROGRAM,
        ready_timeout=10,
        hint=f"is another cron running ({CRON_PID_FILE})?",
    )


def start() -> str:
    other = _locked_by()
    if other is not None and other != daemons.running_pid(daemon()):
        return f"this machine's own cron (pid {other}) runs the deploy's cron files"
    return daemons.ensure_running(daemon())


def after_stop() -> None:
    """Cron leaves its PID file behind; remove it once nothing holds it."""
    if _locked_by() is None:
        CRON_PID_FILE.unlink(missing_ok=True)
