"""A stand-in host that is a separate machine: its own network, mount, PID and UTS namespaces.

Each host has

- its own network stack (`ip netns`), joined to the operator's side by one veth pair with a /30
  of config.ISOLATED_HOSTS_SUBNET: the host's address is reachable from here only through that
  link, and the host reaches nothing but the operator's end of it (it has no other route);
- its own hostname, process table and mounts (`unshare --mount --pid --uts --mount-proc`, with
  private propagation, so nothing it mounts is seen outside): an empty /run as after a boot, and
  its own directories bound over /srv and /etc/cron.d;
- a PID 1 (host_init) that starts its sshd (at the host's address only), its cron (reading the
  host's own /etc/cron.d) and its rootful Podman engine (its own storage, its Docker API at
  /run/docker.sock inside the host), and reaps orphans. The kernel ends every process of the
  host when that PID 1 ends: `kill` is a machine losing power, `stop` a clean shutdown.

`unshare --net=FILE` would *create* a new network namespace (and bind it over FILE), so the
host's namespace is entered with `nsenter --net` first and unshare makes the others.

What a host leaves on the machine when it is gone: its directory (state, like a disk) and, until
`stop`/`kill` remove them, its named network namespace and the cgroups Podman made for its
containers (cgroupfs puts them in the machine's shared `libpod_parent`, named by container id,
which only the host's storage knows). `leftovers_of` names anything else still there.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from . import config, daemons, engine, host_changes, host_init, processes, sshd
from .commands import run
from .daemons import Daemon

HOST_INIT = Path(__file__).with_name("host_init.py")
NETNS_DIR = host_changes.NETNS_DIR
SYS_CLASS_NET = Path("/sys/class/net")
# Inside the host: its engine's API where a real server's Docker socket would be.
ENGINE_SOCKET = "/run/docker.sock"
MAX_NAME_LENGTH = 8  # "slh-" + name + "-o" must fit Linux's 15-character interface names


@dataclass(frozen=True)
class IsolatedHost:
    name: str  # its namespace, interfaces, directory and daemon are named for it
    index: int  # which /30 of config.ISOLATED_HOSTS_SUBNET is its link
    # Networks it reaches through the operator's end of its link (which forwards), beyond the
    # link itself: none by default, a host that reaches nothing else.
    routes: tuple[str, ...] = ()
    # What `hostname` says there, if not its name (which interface names keep short).
    hostname: str = ""

    def __post_init__(self) -> None:
        if not (self.name.isalnum() and len(self.name) <= MAX_NAME_LENGTH):
            raise ValueError(f"host name {self.name!r}: letters and digits, at most 8")

    # --- Network ---------------------------------------------------------------------------
    @property
    def netns(self) -> str:
        return f"{config.ISOLATED_HOST_PREFIX}{self.name}"

    @property
    def outside_interface(self) -> str:
        return f"{self.netns}-o"

    @property
    def inside_interface(self) -> str:
        return f"{self.netns}-i"

    @property
    def operator_address(self) -> str:
        return config.isolated_host_link(self.index)[0]

    @property
    def address(self) -> str:
        return config.isolated_host_link(self.index)[1]

    # --- Files (outside the host; bound into it or named by its daemons) --------------------
    @property
    def directory(self) -> Path:
        return config.ISOLATED_HOSTS_DIR / self.name

    @property
    def srv_dir(self) -> Path:
        return self.directory / "srv"

    @property
    def cron_dir(self) -> Path:
        return self.directory / "cron.d"

    @property
    def etc_dir(self) -> Path:
        return self.directory / "etc"

    @property
    def graph_root(self) -> Path:
        return self.directory / "storage"

    @property
    def host_key(self) -> Path:
        return self.etc_dir / "ssh_host_ed25519_key"

    @property
    def known_hosts(self) -> Path:
        return self.etc_dir / "known_hosts"

    @property
    def init_plan_file(self) -> Path:
        return self.etc_dir / "init.json"

    def engine_environment(self) -> dict[str, str]:
        return {
            "CONTAINERS_CONF": str(self.etc_dir / "containers.conf"),
            "CONTAINERS_STORAGE_CONF": str(self.etc_dir / "storage.conf"),
        }

    # --- Processes --------------------------------------------------------------------------
    def daemon(self) -> Daemon:
        return Daemon(
            name=f"host-{self.name}",
            description=f"the isolated host {self.name} at {self.address}",
            command=(
                "nsenter",
                f"--net={NETNS_DIR / self.netns}",
                "unshare",
                "--mount",
                "--pid",
                "--uts",
                "--fork",
                "--mount-proc",
                "--propagation=private",
                # If unshare dies, its child (the host's PID 1) is told to shut down.
                "--kill-child=SIGTERM",
                sys.executable,
                str(HOST_INIT),
                str(self.init_plan_file),
            ),
            ready=self.answers,
            program=str(HOST_INIT),
            config_files=(self.init_plan_file,),
            ready_timeout=30,
        )

    def init_plan(self) -> dict[str, object]:
        """What host_init makes of the host: its hostname, mounts and daemons."""
        return {
            "hostname": self.hostname or self.name,
            "filesystem": self._filesystem_commands(),
            "daemons": [
                {
                    "command": [sshd.PROGRAM, "-D", "-e", "-f", str(self.etc_dir / "sshd_config")],
                    "environment": {},
                },
                # -f: in the foreground, as host_init's child; -L 15: log each job it runs.
                {"command": ["/usr/sbin/cron", "-f", "-L", "15"], "environment": {}},
                {
                    "command": [
                        "podman",
                        "system",
                        "service",
                        "--time=0",
                        f"unix://{ENGINE_SOCKET}",
                    ],
                    "environment": self.engine_environment(),
                },
            ],
        }

    def _filesystem_commands(self) -> list[list[str]]:
        """An empty /run, as after a boot; the host's own /srv and /etc/cron.d; and nothing of
        the stand-in's state but its own directory (no other host's keys or storage, no operator
        key): the rest of the machine's filesystem is still shared, read-write."""
        own = str(self.directory)
        kept = "/run/host-directory"  # where its directory waits while the state is hidden
        return [
            ["mount", "-t", "tmpfs", "-o", "mode=755", "tmpfs", "/run"],
            ["mkdir", "-p", kept, str(sshd.PRIVILEGE_SEPARATION_DIR)],
            ["mount", "--bind", own, kept],
            ["mount", "--bind", str(self.srv_dir), "/srv"],
            ["mount", "--bind", str(self.cron_dir), "/etc/cron.d"],
            ["mount", "-t", "tmpfs", "-o", "mode=700", "tmpfs", str(config.STATE_DIR)],
            ["mkdir", "-p", own],
            ["mount", "--move", kept, own],
        ]

    def init_pid(self) -> int | None:
        """The host's PID 1, as this machine numbers it (unshare's child)."""
        unshare = daemons.running_pid(self.daemon())
        if unshare is None:
            return None
        children = [p.pid for p in processes.all_processes() if p.parent == unshare]
        return children[0] if children else None

    def engine_socket_from_outside(self) -> Path | None:
        pid = self.init_pid()
        return None if pid is None else Path(f"/proc/{pid}/root{ENGINE_SOCKET}")

    def answers(self) -> bool:
        """Its sshd answers at its address, and its engine's API inside it."""
        socket = self.engine_socket_from_outside()
        return sshd.answers(self.address) and socket is not None and engine.socket_answers(socket)

    def ssh(self, command: str) -> list[str]:
        """The argv that runs `command` on the host as root, its host key strictly checked."""
        return [
            "ssh",
            "-i", str(config.OPERATOR_KEY),
            "-o", f"UserKnownHostsFile={self.known_hosts}",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes",
            "-o", "LogLevel=ERROR",
            f"{config.SSH_USER}@{self.address}",
            command,
        ]  # fmt: skip

    # --- Life -------------------------------------------------------------------------------
    def start(self) -> str:
        """Make the host's files and network, and boot it (see daemons.ensure_running)."""
        self._write_files()
        if not (NETNS_DIR / self.netns).exists():
            self._make_network()
        return daemons.ensure_running(self.daemon())

    def stop(self) -> bool:
        """Shut the host down cleanly (TERM to its daemons), then remove its network and its
        containers' cgroups. True if it was running."""
        pid = self.init_pid()
        if pid is not None:
            # To PID 1, not to unshare: unshare --fork ignores TERM while its child runs.
            processes.terminate([pid], timeout=host_init.GRACE_SECONDS + 5)
        was_running = daemons.stop(self.daemon()) or pid is not None
        remove_leftovers_of(self.name)
        return was_running

    def remove(self) -> None:
        """Stop the host and delete its directory: its disk (storage, /srv, keys) is gone."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def kill(self) -> None:
        """The host loses power: SIGKILL to its PID 1 ends every process in it at once."""
        pid = self.init_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        daemons.stop(self.daemon())  # unshare, which exits as its child does
        remove_leftovers_of(self.name)

    def _write_files(self) -> None:
        for directory in (self.srv_dir, self.cron_dir, self.etc_dir, self.graph_root):
            directory.mkdir(parents=True, exist_ok=True)
        self.directory.parent.chmod(0o700)  # sshd refuses keys below a directory others can write
        sshd.ensure_key(config.OPERATOR_KEY, "superlists stand-in operator")
        sshd.ensure_key(self.host_key, f"superlists stand-in {self.name} host key")
        authorized_keys = self.etc_dir / "authorized_keys"
        authorized_keys.write_text(Path(f"{config.OPERATOR_KEY}.pub").read_text())
        authorized_keys.chmod(0o600)
        key_type, key = Path(f"{self.host_key}.pub").read_text().split()[:2]
        self.known_hosts.write_text(f"{self.address} {key_type} {key}\n")
        self.init_plan_file.write_text(json.dumps(self.init_plan(), indent=2) + "\n")
        (self.etc_dir / "sshd_config").write_text(self._sshd_config())
        (self.etc_dir / "containers.conf").write_text(self._containers_conf())
        (self.etc_dir / "storage.conf").write_text(
            f'[storage]\ndriver = "overlay"\ngraphroot = "{self.graph_root}"\n'
            'runroot = "/run/containers/storage"\n'
        )

    def _sshd_config(self) -> str:
        return sshd.sshd_config_text(
            f"infra.standin.isolated_host: the sshd of the isolated host {self.name}",
            address=self.address,
            host_key=self.host_key,
            authorized_keys=self.etc_dir / "authorized_keys",
            session_environment={
                "DOCKER_HOST": f"unix://{ENGINE_SOCKET}",
                **self.engine_environment(),
            },
        )

    def _containers_conf(self) -> str:
        ulimits = ", ".join(json.dumps(limit) for limit in config.CONTAINER_ULIMITS)
        return f"""\
# Generated by infra.standin.isolated_host: the engine of the isolated host {self.name}.
[containers]
default_ulimits = [{ulimits}]
# The operator's end of the host's link, the host's only way out: the stand-in's mail server and
# error receiver listen there, so the containers reach them by the name a real server's
# containers would use for a relay on their host.
host_containers_internal_ip = "{self.operator_address}"

[network]
# Without it Podman 4.3 may pick CNI, whose plugins are not installed.
network_backend = "netavark"
network_config_dir = "{self.etc_dir / "networks"}"
default_subnet = "{config.ISOLATED_HOST_CONTAINER_SUBNET}"

[engine]
runtime = "{config.CONTAINER_RUNTIME}"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "/run/podman-events.log"
# The host's own /run: no lock table or temporary state shared with another engine.
tmp_dir = "/run/libpod"
lock_type = "file"
"""

    def _make_network(self) -> None:
        fix = f"the isolated host {self.name} needs root and iproute2"
        commands = [
            ["ip", "netns", "add", self.netns],
            ["ip", "link", "add", self.outside_interface, "type", "veth",
             "peer", "name", self.inside_interface],
            ["ip", "link", "set", self.inside_interface, "netns", self.netns],
            ["ip", "addr", "add", f"{self.operator_address}/30", "dev", self.outside_interface],
            ["ip", "link", "set", self.outside_interface, "up"],
            ["ip", "-n", self.netns, "addr", "add", f"{self.address}/30",
             "dev", self.inside_interface],
            ["ip", "-n", self.netns, "link", "set", self.inside_interface, "up"],
            ["ip", "-n", self.netns, "link", "set", "lo", "up"],
            *(["ip", "-n", self.netns, "route", "add", network, "via", self.operator_address]
              for network in self.routes),
            # Netavark 1.4 (Debian 12) leaves the containers' bridge to take the lowest MAC of
            # its ports, so it changes when a container goes (a release stopping the old one),
            # and the containers left send their answers to the old MAC until their ARP entry
            # expires: 15-50 s in which the live release is unreachable. With arp_notify the
            # bridge (made later, inheriting `default`) announces a new MAC at once. (Netavark
            # 1.9 pins the bridge's MAC instead; Docker's bridge has a fixed one.)
            ["ip", "netns", "exec", self.netns,
             "sh", "-c", "echo 1 > /proc/sys/net/ipv4/conf/default/arp_notify"],
        ]  # fmt: skip
        for command in commands:
            run(command, fix=fix)


def container_ids(graph_root: Path) -> list[str]:
    """The containers a host's engine has made, from its storage (none if it has none)."""
    try:
        recorded = json.loads((graph_root / "overlay-containers" / "containers.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return []
    return [container["id"] for container in recorded]


def container_cgroups(name: str) -> list[Path]:
    graph_root = config.ISOLATED_HOSTS_DIR / name / "storage"
    return [
        hierarchy / host_changes.CGROUP_PARENT / f"libpod-{container_id}"
        for container_id in container_ids(graph_root)
        for hierarchy in host_changes.cgroup_hierarchies()
        if (hierarchy / host_changes.CGROUP_PARENT / f"libpod-{container_id}").exists()
    ]


def remove_leftovers_of(name: str) -> None:
    """Remove what a host that is no longer running leaves: its network namespace (its veth
    pair goes with it) and its containers' cgroups."""
    netns = f"{config.ISOLATED_HOST_PREFIX}{name}"
    if (NETNS_DIR / netns).exists():
        subprocess.run(["ip", "netns", "delete", netns], capture_output=True)
    outside = SYS_CLASS_NET / f"{netns}-o"
    deadline = time.monotonic() + 5
    # The kernel frees a namespace (and destroys its veths) shortly after its last user goes.
    while outside.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if outside.exists():
        subprocess.run(["ip", "link", "delete", outside.name], capture_output=True)
    for cgroup in container_cgroups(name):
        with contextlib.suppress(OSError):
            cgroup.rmdir()


def leftovers_of(name: str) -> list[str]:
    """What of the host `name` is still on this machine, one line each ([] if nothing)."""
    netns = f"{config.ISOLATED_HOST_PREFIX}{name}"
    directory = config.ISOLATED_HOSTS_DIR / name
    left = [
        f"process {process.pid} ({process.command_line[:100]})"
        for process in processes.all_processes()
        if str(directory) in process.command_line
        or processes.environment(process.pid).get(config.PROCESS_MARKER) == f"host-{name}"
    ]
    left += [
        f"mount {mount_point} ({filesystem})"
        for mount_point, filesystem in host_changes.mounts()
        if host_changes.is_within(mount_point, directory) or mount_point == str(NETNS_DIR / netns)
    ]
    if (NETNS_DIR / netns).exists():
        left.append(f"network namespace {netns}")
    left += [
        f"interface {interface.name}"
        for interface in (SYS_CLASS_NET.iterdir() if SYS_CLASS_NET.exists() else [])
        if interface.name.startswith(f"{netns}-")
    ]
    left += [f"cgroup {cgroup}" for cgroup in container_cgroups(name)]
    return left


def names() -> list[str]:
    """Every isolated host this machine has (or has had): their directories."""
    if not config.ISOLATED_HOSTS_DIR.exists():
        return []
    return sorted(path.name for path in config.ISOLATED_HOSTS_DIR.iterdir() if path.is_dir())


def stop_all() -> list[str]:
    """Shut down every isolated host (stopping one needs only its name); those that ran."""
    return [f"isolated host {name}" for name in names() if IsolatedHost(name, index=0).stop()]


def remove_all(keep: Collection[str] = ()) -> list[str]:
    """Shut down every isolated host and delete its disk, but those named in `keep`: the next
    `up` boots fresh machines (a database host promoted by a failover test must not come back as
    a second primary). What ran."""
    stopped = stop_all()
    for name in names():
        if name not in keep:
            shutil.rmtree(config.ISOLATED_HOSTS_DIR / name, ignore_errors=True)
    return stopped


def leftovers() -> list[str]:
    """What of any isolated host is still on this machine: those with a directory, and any
    namespace or interface named like one (a host whose directory was purged)."""
    known = names()
    left = [thing for name in known for thing in leftovers_of(name)]
    left += [
        f"{kind} {path.name}"
        for kind, directory in (("network namespace", NETNS_DIR), ("interface", SYS_CLASS_NET))
        for path in (directory.iterdir() if directory.exists() else [])
        if _host_named_in(path.name) not in (None, *known)
    ]
    return left


def _host_named_in(name: str) -> str | None:
    """The host a namespace (slh-NAME) or interface (slh-NAME-o) is named for, if any."""
    if not name.startswith(config.ISOLATED_HOST_PREFIX):
        return None
    return name.removeprefix(config.ISOLATED_HOST_PREFIX).split("-")[0]
