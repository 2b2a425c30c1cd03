"""Changes Podman and netavark make to the host outside our directories, and undoing them.

Starting containers makes netavark add iptables chains (NETAVARK_*), switch on
net.ipv4.ip_forward, and create /run/netns, /run/containers and /var/lib/containers/cache.
None of that is configurable away, so `up` records which of these did not exist before
(footprint), and `down` removes exactly those once no container is left.
"""

import shlex
import shutil
import subprocess
from pathlib import Path

from . import footprint

ENGINE_PATHS = (Path("/run/netns"), Path("/run/containers"), Path("/var/lib/containers"))
IP_FORWARD = Path("/proc/sys/net/ipv4/ip_forward")
NETAVARK_CHAIN_PREFIX = "NETAVARK"
IPTABLES_TABLES = ("filter", "nat")


def _iptables(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["iptables", *args], capture_output=True, text=True)


def _netavark_chains_exist() -> bool:
    return any(
        f"-N {NETAVARK_CHAIN_PREFIX}" in _iptables("-t", table, "-S").stdout
        for table in IPTABLES_TABLES
    )


def _is_mount_point(path: Path) -> bool:
    # Not os.path.ismount: it misses a bind mount of a directory onto itself.
    mount_points = (
        line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()
    )
    return str(path) in mount_points


def remember_state_before_engine_starts() -> None:
    """Record which of the engine's host changes are not there yet (call before any podman)."""
    for path in ENGINE_PATHS:
        if not path.exists():
            footprint.record("engine-path", str(path))
    if shutil.which("iptables") and not _netavark_chains_exist():
        footprint.record("iptables", NETAVARK_CHAIN_PREFIX)
    if IP_FORWARD.read_text().strip() == "0":
        footprint.record("sysctl", "net.ipv4.ip_forward=0")


def remove_netavark_iptables_rules() -> None:
    """Delete every rule jumping to a NETAVARK chain, then the chains themselves."""
    for table in IPTABLES_TABLES:
        lines = _iptables("-t", table, "-S").stdout.splitlines()
        for line in lines:
            words = shlex.split(line)
            if (
                words[:1] == ["-A"]
                and not words[1].startswith(NETAVARK_CHAIN_PREFIX)
                and f"-j {NETAVARK_CHAIN_PREFIX}" in line
            ):
                _iptables("-t", table, "-D", *words[1:])
        new_chain = f"-N {NETAVARK_CHAIN_PREFIX}"
        chains = [line.split()[1] for line in lines if line.startswith(new_chain)]
        for chain in chains:
            _iptables("-t", table, "-F", chain)
        for chain in chains:
            _iptables("-t", table, "-X", chain)


def undo() -> list[str]:
    """Undo what the engine changed on the host since `up` (call with no container left)."""
    undone = []
    for path in ENGINE_PATHS:
        if footprint.was_created("engine-path", str(path)):
            # Podman bind-mounts /run/netns onto itself, sometimes more than once.
            for _ in range(10):
                if not _is_mount_point(path):
                    break
                subprocess.run(["umount", str(path)], check=False)
            shutil.rmtree(path, ignore_errors=True)
            footprint.forget("engine-path", str(path))
            undone.append(str(path))
    if footprint.was_created("iptables", NETAVARK_CHAIN_PREFIX):
        remove_netavark_iptables_rules()
        footprint.forget("iptables", NETAVARK_CHAIN_PREFIX)
        undone.append("netavark iptables chains")
    if footprint.was_created("sysctl", "net.ipv4.ip_forward=0"):
        IP_FORWARD.write_text("0\n")
        footprint.forget("sysctl", "net.ipv4.ip_forward=0")
        undone.append("net.ipv4.ip_forward=0")
    return undone
