"""Changes the engines make to the machine outside our directories, and undoing them.

Starting containers makes Podman, runc and netavark create /run/netns (a bind mount, with one
mounted namespace per container), /run/containers, /run/runc and /var/lib/containers/cache;
cgroups under `libpod_parent` in each cgroup hierarchy; iptables chains (NETAVARK_*) and the
nftables tables iptables-nft keeps them in; and switch on net.ipv4.ip_forward. None of that is
configurable away, so `up` records which of these did not exist before (footprint), and `down`
removes exactly those once no container is left. Podman also leaves its storage's overlay
mounts under the engines' graph roots, which `down` unmounts.
"""

import contextlib
import shlex
import shutil
import subprocess
from pathlib import Path

from . import config, footprint

NETNS_DIR = Path("/run/netns")
ENGINE_PATHS = (NETNS_DIR, Path("/run/containers"), Path("/run/runc"), Path("/var/lib/containers"))
IP_FORWARD = Path("/proc/sys/net/ipv4/ip_forward")
NETAVARK_CHAIN_PREFIX = "NETAVARK"
IPTABLES_TABLES = ("filter", "nat")
# Where iptables-nft keeps those tables: (family, table) in nftables.
NFTABLES_TABLES = (("ip", "filter"), ("ip", "nat"))
CGROUP_PARENT = "libpod_parent"  # Podman's with cgroup_manager = "cgroupfs"
MOUNTINFO = Path("/proc/self/mountinfo")


def _iptables(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["iptables", "-w", *args], capture_output=True, text=True)


def iptables_rules() -> list[str]:
    """Every iptables rule and chain of the tables netavark uses, as `iptables -S` prints them."""
    if shutil.which("iptables") is None:
        return []
    return [
        f"-t {table} {line}"
        for table in IPTABLES_TABLES
        for line in _iptables("-t", table, "-S").stdout.splitlines()
    ]


def _netavark_chains_exist() -> bool:
    return any(f"-N {NETAVARK_CHAIN_PREFIX}" in line for line in iptables_rules())


def nftables_tables() -> set[tuple[str, str]]:
    """The (family, name) of every nftables table."""
    if shutil.which("nft") is None:
        return set()
    listed = subprocess.run(["nft", "list", "tables"], capture_output=True, text=True).stdout
    return {
        (words[1], words[2])
        for words in (line.split() for line in listed.splitlines())
        if len(words) == 3 and words[0] == "table"
    }


def nftables_table_has_rules(family: str, name: str) -> bool:
    listed = subprocess.run(
        ["nft", "-j", "list", "table", family, name], capture_output=True, text=True
    ).stdout
    return '"rule"' in listed


def cgroup_hierarchies() -> list[Path]:
    """Where each cgroup hierarchy is mounted (one on cgroup v2; one per controller on v1)."""
    return [
        Path(mount_point)
        for mount_point, filesystem in mounts()
        if filesystem in ("cgroup", "cgroup2")
    ]


def mounts() -> list[tuple[str, str]]:
    """(mount point, filesystem type) of every mount, in mount order."""
    return parse_mountinfo(MOUNTINFO.read_text())


def parse_mountinfo(text: str) -> list[tuple[str, str]]:
    found = []
    for line in text.splitlines():
        fields = line.split()
        # Optional fields end with "-"; the filesystem type follows it.
        separator = fields.index("-")
        mount_point = fields[4].replace("\\040", " ")
        found.append((mount_point, fields[separator + 1]))
    return found


def is_within(path: str, directory: Path) -> bool:
    return path == str(directory) or path.startswith(f"{directory}/")


def remember_state_before_engine_starts() -> None:
    """Record which of the engines' host changes are not there yet (call before any podman)."""
    for path in ENGINE_PATHS:
        if not path.exists():
            footprint.record("engine-path", str(path))
    if shutil.which("iptables") and not _netavark_chains_exist():
        footprint.record("iptables", NETAVARK_CHAIN_PREFIX)
    existing_tables = nftables_tables()
    for family, name in NFTABLES_TABLES:
        if shutil.which("nft") and (family, name) not in existing_tables:
            footprint.record("nftables-table", f"{family} {name}")
    for hierarchy in cgroup_hierarchies():
        if not (hierarchy / CGROUP_PARENT).exists():
            footprint.record("cgroup", str(hierarchy / CGROUP_PARENT))
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


def unmount_within(directories: tuple[Path, ...]) -> list[str]:
    """Unmount everything mounted in `directories`, innermost first; what was unmounted."""
    unmounted = []
    for mount_point, _ in reversed(mounts()):
        if any(is_within(mount_point, directory) for directory in directories):
            subprocess.run(["umount", mount_point], capture_output=True)
            unmounted.append(mount_point)
    return unmounted


def _remove_cgroup(directory: Path) -> None:
    """Remove a cgroup directory and the (empty) cgroups below it, deepest first."""
    below = sorted((path for path in directory.rglob("*") if path.is_dir()), reverse=True)
    for cgroup in [*below, directory]:
        # One that a process is still in stays: `down`'s final check reports it.
        with contextlib.suppress(OSError):
            cgroup.rmdir()


def _undo_engine_paths() -> list[str]:
    undone = []
    for path in ENGINE_PATHS:
        if footprint.was_created("engine-path", str(path)):
            existed = path.exists()
            unmount_within((path,))  # /run/netns and the namespaces mounted in it
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                footprint.forget("engine-path", str(path))
                if existed:
                    undone.append(str(path))
    return undone


def _undo_firewall() -> list[str]:
    undone = []
    if footprint.was_created("iptables", NETAVARK_CHAIN_PREFIX):
        if _netavark_chains_exist():
            remove_netavark_iptables_rules()
            undone.append("the NETAVARK iptables chains")
        if not _netavark_chains_exist():
            footprint.forget("iptables", NETAVARK_CHAIN_PREFIX)
    for family, name in NFTABLES_TABLES:
        if footprint.was_created("nftables-table", f"{family} {name}"):
            if (family, name) in nftables_tables() and not nftables_table_has_rules(family, name):
                subprocess.run(["nft", "delete", "table", family, name], capture_output=True)
                undone.append(f"nftables table {family} {name}")
            # One that holds some other program's rules now stays: `down`'s check says so.
            if (family, name) not in nftables_tables():
                footprint.forget("nftables-table", f"{family} {name}")
    return undone


def _undo_cgroups() -> list[str]:
    removed = []
    for hierarchy in cgroup_hierarchies():
        cgroup = hierarchy / CGROUP_PARENT
        if footprint.was_created("cgroup", str(cgroup)):
            if cgroup.exists():
                _remove_cgroup(cgroup)
                removed.append(hierarchy.name)
            if not cgroup.exists():
                footprint.forget("cgroup", str(cgroup))
    return [f"cgroup {CGROUP_PARENT} ({', '.join(removed)})"] if removed else []


def _undo_ip_forward() -> list[str]:
    if not footprint.was_created("sysctl", "net.ipv4.ip_forward=0"):
        return []
    was_switched_on = IP_FORWARD.read_text().strip() != "0"
    IP_FORWARD.write_text("0\n")
    footprint.forget("sysctl", "net.ipv4.ip_forward=0")
    return ["net.ipv4.ip_forward=0"] if was_switched_on else []


def undo() -> list[str]:
    """Undo what the engines changed on the host since `up` (call with no container left);
    what was undone."""
    unmounted = unmount_within((config.STATE_DIR, config.RUNTIME_DIR))
    undone = [f"{len(unmounted)} mounts in the engines' storage"] if unmounted else []
    return undone + _undo_engine_paths() + _undo_firewall() + _undo_cgroups() + _undo_ip_forward()
