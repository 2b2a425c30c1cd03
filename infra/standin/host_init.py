"""PID 1 of an isolated stand-in host (see isolated_host): it makes the host's private
filesystem view, starts the host's daemons, reaps every orphan, and ends the host.

Run by `unshare --mount --pid --uts --fork --mount-proc` inside the host's network namespace,
with the path of its plan (isolated_host.init_plan, as JSON). Standard library only: it runs
with whatever Python started the stand-in, before anything is mounted.

The kernel kills every process of a PID namespace when its PID 1 exits, so this process is the
host's power switch: SIGKILL to it is a host dying at once; SIGTERM is a clean shutdown (each
daemon gets TERM, the host ends when they are gone or after a grace period).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

GRACE_SECONDS = 10.0


def _say(message: str) -> None:
    print(f"[host-init] {message}", flush=True)


def make_filesystem(plan: dict[str, Any]) -> None:
    """The host's own view of the filesystem: its plan's mount and mkdir commands, in order.
    Its mounts are private: nothing mounted here propagates back out."""
    for command in plan["filesystem"]:
        subprocess.run(command, check=True)


def start_daemons(plan: dict[str, Any]) -> list[subprocess.Popen[bytes]]:
    started = []
    for daemon in plan["daemons"]:
        environment = {**os.environ, **daemon["environment"]}
        started.append(subprocess.Popen(daemon["command"], env=environment))
        _say(f"started {daemon['command'][0]} (pid {started[-1].pid})")
    return started


def reap_until_stopped(daemons: list[subprocess.Popen[bytes]]) -> None:
    stopping: list[float] = []

    def stop(signal_number: int, _frame: object) -> None:
        if not stopping:
            _say(f"signal {signal_number}: stopping the host's daemons")
            stopping.append(time.monotonic() + GRACE_SECONDS)
            for daemon in daemons:
                daemon.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        try:
            # Every orphan of the host is this process's child: reap each, or it stays a zombie.
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            pid = 0
            if stopping:
                return
        if pid:
            continue
        if stopping and (
            all(daemon.poll() is not None for daemon in daemons) or time.monotonic() > stopping[0]
        ):
            return  # the kernel kills whatever is left of the host as this process exits
        time.sleep(0.1)


def main() -> None:
    with open(sys.argv[1]) as plan_file:
        plan = json.load(plan_file)
    socket.sethostname(plan["hostname"])
    make_filesystem(plan)
    reap_until_stopped(start_daemons(plan))
    _say("stopped")


if __name__ == "__main__":
    main()
