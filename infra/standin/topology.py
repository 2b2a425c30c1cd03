"""The multi-host stand-in (`python -m infra.standin up --topology multi`): a load balancer, two
app hosts and two database hosts, each an isolated host (its own network, mounts, processes,
hostname, sshd and Podman engine), grouped as infra/inventory.standin-multi.yaml groups them.

The hosts reach each other through the operator's side, which forwards between their links
(as a switch would); nothing else routes to them, and each reaches nothing outside
config.ISOLATED_HOSTS_SUBNET. Which host may talk to which port is the deploy's business
(a real network's firewall), not the stand-in's.
"""

import os
import time
from pathlib import Path

from . import config, footprint, host_changes, images, processes
from .commands import run
from .isolated_host import IsolatedHost
from .steps import StepFailed

GROUPS: dict[str, tuple[IsolatedHost, ...]] = {
    group: tuple(
        IsolatedHost(name, index, routes=(config.ISOLATED_HOSTS_SUBNET,)) for name, index in members
    )
    for group, members in config.MULTI_HOST_GROUPS.items()
}
HOSTS = tuple(host for members in GROUPS.values() for host in members)
# What each group's engine needs beside the image the deploy ships: Caddy's, for the lb and for
# each app host's own proxy.
GROUP_IMAGES = {"lb": (images.CADDY,), "app": (images.CADDY,), "db": ()}


def by_name(name: str) -> IsolatedHost:
    for host in HOSTS:
        if host.name == name:
            return host
    raise KeyError(f"no host {name!r} in the multi-host stand-in ({', '.join(hosts_named())})")


def hosts_named() -> list[str]:
    return [host.name for host in HOSTS]


# --- Steps of `up --topology multi` -----------------------------------------------------------
def let_hosts_reach_each_other() -> str:
    """The operator's side forwards between the hosts' links (net.ipv4.ip_forward, undone by
    `down` if it was off)."""
    if host_changes.IP_FORWARD.read_text().strip() == "0":
        footprint.record("sysctl", "net.ipv4.ip_forward=0")
        host_changes.IP_FORWARD.write_text("1\n")
        return "net.ipv4.ip_forward switched on (down switches it off)"
    return "net.ipv4.ip_forward already on"


def start_hosts() -> str:
    """Boot every host; how long each took and what they all use."""
    timings = []
    for host in HOSTS:
        started = time.monotonic()
        host.start()
        timings.append(f"{host.name} {time.monotonic() - started:.1f} s")
    return f"{', '.join(timings)}; {memory_mib(HOSTS):.0f} MiB in all (PSS)"


def import_images() -> str:
    tarball = images.rootfs_tarball()
    done = []
    for group, needed in GROUP_IMAGES.items():
        for host in GROUPS[group]:
            for image in needed:
                done.append(
                    f"{host.name}: {image.stands_in_for} "
                    f"({images.ensure_image_on_host(host, image, tarball)})"
                )
    return "; ".join(done) or "none needed"


def check_hosts() -> str:
    """Each host answers over SSH as itself, with a docker client on its own engine and the
    Python Ansible needs; and reaches every other host (ssh's port). One SSH session a host."""
    for host in HOSTS:
        others = [other.address for other in HOSTS if other != host]
        answer = run(
            host.ssh(
                "hostname && docker version --format '{{.Server.Version}}' >/dev/null"
                f" && {config.REMOTE_PYTHON} -c 'import docker, requests'"
                f" && python3 - {' '.join(others)}"
            ),
            input=UNREACHABLE.encode(),
            fix=f"see {config.log_file(host.daemon().name)}",
        ).split()
        if answer[:1] != [host.name]:
            raise StepFailed(f"the host at {host.address} says it is {answer[:1]}, not {host.name}")
        if answer[1:]:
            raise StepFailed(
                f"{host.name} cannot reach {', '.join(answer[1:])}: check net.ipv4.ip_forward "
                f"and the host's routes (`ip -n {host.netns} route`)"
            )
    return f"{len(HOSTS)} hosts answer as themselves and reach each other"


# Prints each address (of argv) whose ssh port it cannot connect to.
UNREACHABLE = f"""\
import socket, sys
for address in sys.argv[1:]:
    try:
        socket.create_connection((address, {config.SSH_PORT}), timeout=2).close()
    except OSError:
        print(address)
"""


# --- What the hosts use -------------------------------------------------------------------------
def memory_mib(hosts: tuple[IsolatedHost, ...]) -> float:
    """The proportional set size (shared pages split between their users) of every process in
    the hosts' PID namespaces, in MiB."""
    namespaces = {
        os.readlink(f"/proc/{pid}/ns/pid")
        for pid in (host.init_pid() for host in hosts)
        if pid is not None
    }
    total_kib = 0
    for process in processes.all_processes():
        try:
            if os.readlink(f"/proc/{process.pid}/ns/pid") not in namespaces:
                continue
            rollup = Path(f"/proc/{process.pid}/smaps_rollup").read_text()
        except OSError:
            continue  # gone meanwhile
        total_kib += sum(
            int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")
        )
    return total_kib / 1024
