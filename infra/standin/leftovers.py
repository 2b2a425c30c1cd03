"""What the stand-in may leave on this machine: found, stopped, and reported by `down`.

`down` uses this twice. First to stop the stand-in's processes that outlive their daemons:
conmon, Podman's container monitor, stays for `exit_command_delay` (5 minutes) after each
`docker exec` ends, and an sshd's sessions outlive the sshd. Then, once everything is undone,
to check that nothing is left at all, and say what is if anything:

- processes: any with config.PROCESS_MARKER in its environment (every daemon the stand-in starts,
  and every SSH session on its hosts), any running inside a container of its engines (its root
  directory is in an engine's storage), any engine program (conmon, podman, runc, ...) whose
  command line names the stand-in's directories, and everything these started;
- mounts in the stand-in's directories;
- interfaces: the engines' bridges, and anything attached to them (the containers' veths);
- iptables rules that name an engine's subnet, bridge or network;
- whatever `up` recorded as created (footprint) and `down` did not manage to remove: /run/netns
  and the network namespaces mounted there, /run/containers, /run/runc, /var/lib/containers,
  the NETAVARK chains and the nftables tables holding them, the cgroups, ip_forward, /run/sshd;
- isolated hosts (isolated_host): their network namespaces, veths and containers' cgroups, and
  any namespace or interface named like one.
"""

import ipaddress
import os
import re
from collections.abc import Iterable
from pathlib import Path

from . import config, footprint, host_changes, isolated_host, processes
from .config import Engine
from .processes import Process

ENGINE_PROGRAMS = frozenset(
    {"conmon", "podman", "runc", "netavark", "aardvark-dns", "sshd", "dovecot"}
)
# What `up` records as created and `down` undoes (footprint kinds); the mail user and the
# state directory stay until `down --purge`.
HOST_CHANGE_KINDS = ("engine-path", "iptables", "nftables-table", "cgroup", "sysctl", "directory")
SYS_CLASS_NET = Path("/sys/class/net")
IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?\b")


def is_stand_in_process(
    process: Process, environment: dict[str, str], root_directory: str | None
) -> bool:
    """Whether `process` is one of the stand-in's by itself (not counting its ancestors)."""
    if config.PROCESS_MARKER in environment:
        return True
    if root_directory is not None and host_changes.is_within(root_directory, config.STATE_DIR):
        return True  # inside a container: its root is in an engine's graph root
    names_our_directories = str(config.STATE_DIR) in process.command_line or (
        str(config.RUNTIME_DIR) in process.command_line
    )
    return process.executable in ENGINE_PROGRAMS and names_our_directories


def stand_in_processes() -> list[Process]:
    """The stand-in's live processes, never this one or those that started it."""
    table = processes.all_processes()
    ours = {
        process.pid
        for process in table
        if is_stand_in_process(
            process,
            processes.environment(process.pid),
            processes.root_directory(process.pid),
        )
    }
    ours |= processes.descendants(ours, table)
    spared = processes.ancestors(os.getpid())
    return [process for process in table if process.pid in ours and process.pid not in spared]


def _describe(process: Process) -> str:
    command = process.command_line or process.executable
    return f"process {process.pid} ({command[:100]}{'…' if len(command) > 100 else ''})"


def stop_stray_processes() -> list[str]:
    """Stop every stand-in process still alive (TERM, then KILL); what they were."""
    strays = stand_in_processes()
    processes.terminate([process.pid for process in strays], timeout=5)
    return [_describe(process) for process in strays]


def firewall_rules_of(rules: Iterable[str], engines: Iterable[Engine]) -> list[str]:
    """The rules that name one of `engines`' subnets (or an address in one), bridges or
    networks."""
    engines = list(engines)
    subnets = [ipaddress.ip_network(engine.subnet) for engine in engines]
    names = [name for engine in engines for name in (engine.bridge, engine.network_name)]
    found = []
    for rule in rules:
        addresses = [ipaddress.ip_network(match, strict=False) for match in IPV4.findall(rule)]
        in_subnet = any(address.overlaps(subnet) for address in addresses for subnet in subnets)
        if in_subnet or any(re.search(rf"\b{re.escape(name)}\b", rule) for name in names):
            found.append(rule)
    return found


def interfaces_of(engines: Iterable[Engine]) -> list[str]:
    """The engines' bridges that exist, and the interfaces attached to them."""
    bridges = {engine.bridge for engine in engines}
    found = []
    for interface in sorted(SYS_CLASS_NET.iterdir()) if SYS_CLASS_NET.exists() else []:
        master = interface / "master"
        if interface.name in bridges:
            found.append(f"interface {interface.name}")
        elif master.exists() and master.resolve().name in bridges:
            found.append(f"interface {interface.name} (on {master.resolve().name})")
    return found


def find() -> list[str]:
    """Everything of the stand-in still on this machine, one line each ([] if nothing)."""
    left = [_describe(process) for process in stand_in_processes()]
    left += [
        f"mount {mount_point} ({filesystem})"
        for mount_point, filesystem in host_changes.mounts()
        if host_changes.is_within(mount_point, config.STATE_DIR)
        or host_changes.is_within(mount_point, config.RUNTIME_DIR)
    ]
    if footprint.was_created("engine-path", str(host_changes.NETNS_DIR)):
        namespaces = host_changes.NETNS_DIR.iterdir() if host_changes.NETNS_DIR.exists() else []
        left += [f"network namespace {namespace.name}" for namespace in namespaces]
    left += interfaces_of(config.ENGINES)
    left += [
        f"iptables rule: {rule}"
        for rule in firewall_rules_of(host_changes.iptables_rules(), config.ENGINES)
    ]
    left += [
        f"{kind} {name} (created by `up`, not undone)"
        for kind, name in footprint.records()
        if kind in HOST_CHANGE_KINDS
    ]
    left += isolated_host.leftovers()
    if config.RUNTIME_DIR.exists():
        left.append(f"directory {config.RUNTIME_DIR}")
    return left
