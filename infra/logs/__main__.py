"""`python -m infra.logs TARGET --since 10m [--request ID] [--level ERROR] [-i INVENTORY]`: what
every host of an inventory logged, merged by time, for an operator chasing a failure.

TARGET is an inventory file (all its hosts) or a group or host of the inventory that ``-i``
names (read, groups within groups too, by `ansible-inventory --list`: the deploy's own view of
the hosts, so a multi-host inventory works as it is). On each host, over SSH as the deploy
connects, it reads `docker logs --timestamps --since` of the app's containers and the proxy's
(the host's ``container_name``, its ``-next`` and ``-proxy``; a host variable
``log_containers`` lists others, for a load balancer of another name), skipping those the
host does not run, then merges every entry by Docker's time stamps (``infra.logs.entries``).
``--request`` keeps one request's entries (a page's reference is enough: its ID's start).
"""

import argparse
import json
import re
import shlex
import subprocess
import sys
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from functional_tests.ssh import ssh_command
from infra.logs.entries import LEVELS, Entry, merged, read, selected, shown

ANSIBLE_INVENTORY = Path(sys.executable).parent / "ansible-inventory"
DEFAULT_CONTAINER = "superlists"  # the role's default container_name
SINCE = re.compile(r"^\d+[smh]$|^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d)?)?$")
REQUEST = re.compile(r"^[A-Za-z0-9._-]{4,64}$")
SSH_TIMEOUT_S = 120
# Between one container's log and the next in a host's output; no log line looks like it.
MARKER = "=== infra.logs container "


class InventoryError(Exception):
    pass


def inventory_hosts(target: str, inventory: str | None) -> dict[str, dict[str, Any]]:
    """The hosts ``target`` names (an inventory file: all of them), with their variables."""
    if Path(target).is_file():
        inventory, target = target, "all"
    command = [str(ANSIBLE_INVENTORY), "--list", *(["-i", inventory] if inventory else [])]
    listed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if listed.returncode != 0:
        raise InventoryError(f"ansible-inventory could not read the inventory: {listed.stderr}")
    return hosts_of(json.loads(listed.stdout), target)


def hosts_of(listing: Mapping[str, Any], target: str) -> dict[str, dict[str, Any]]:
    """The hosts of ``target`` (a group, with its groups' hosts, or one host) in an
    `ansible-inventory --list` listing, each with its variables."""
    host_variables: dict[str, dict[str, Any]] = listing.get("_meta", {}).get("hostvars", {})
    if target not in listing:
        if target in host_variables:
            return {target: host_variables[target]}
        groups = sorted(name for name in listing if name != "_meta")
        raise InventoryError(
            f"{target!r} is neither an inventory file nor a group or host of the inventory "
            f"(its groups: {', '.join(groups)}); name the inventory with -i INVENTORY."
        )
    found: dict[str, dict[str, Any]] = {}
    pending, seen = [target], set()
    while pending:
        group = pending.pop()
        if group in seen:
            continue
        seen.add(group)
        for host in listing.get(group, {}).get("hosts", []):
            found[host] = host_variables.get(host, {})
        pending += listing.get(group, {}).get("children", [])
    return found


def ssh_destination(host: str, variables: Mapping[str, Any]) -> list[str]:
    """The ssh arguments that reach ``host`` as the deploy does (ansible_host, _user, _port)."""
    address = str(variables.get("ansible_host", host))
    user = variables.get("ansible_user")
    port = variables.get("ansible_port")
    return [*(["-p", str(port)] if port else []), f"{user}@{address}" if user else address]


def containers_of(variables: Mapping[str, Any]) -> list[str]:
    listed = variables.get("log_containers")
    if listed:
        return [str(name) for name in listed]
    name = str(variables.get("container_name", DEFAULT_CONTAINER))
    return [name, f"{name}-next", f"{name}-proxy"]


def read_host_script(containers: list[str], since: str) -> str:
    """The shell command that prints each running container's stamped log after a marker."""
    parts = []
    for name in containers:
        quoted = shlex.quote(name)
        parts.append(
            f"if docker container inspect {quoted} >/dev/null 2>&1; then "
            f"echo {shlex.quote(MARKER + name)}; "
            f"docker logs --timestamps --since {shlex.quote(since)} {quoted} 2>&1; fi"
        )
    return "; ".join(parts)


def split_by_container(output: str) -> dict[str, str]:
    logs: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        if line.startswith(MARKER):
            current = logs.setdefault(line.removeprefix(MARKER), [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in logs.items()}


def read_host(host: str, variables: Mapping[str, Any], since: str) -> list[Entry]:
    *options, destination = ssh_destination(host, variables)
    command = ssh_command(destination, read_host_script(containers_of(variables), since))
    command[1:1] = options
    result = subprocess.run(command, capture_output=True, text=True, timeout=SSH_TIMEOUT_S)
    if result.returncode != 0:
        raise RuntimeError(f"could not read the logs of {host}: {result.stderr.strip()}")
    return [
        entry
        for name, log in split_by_container(result.stdout).items()
        for entry in read(f"{host} {name}", log)
    ]


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m infra.logs", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("target", help="an inventory file, or a group or host of -i's")
    parser.add_argument("-i", "--inventory", help="the inventory that names TARGET")
    parser.add_argument("--since", default="10m", help="10m, 2h, or 2026-12-07T03:50:00Z")
    parser.add_argument("--request", default="", help="a request's ID, or its start")
    parser.add_argument("--level", choices=LEVELS, help="this level and above only")
    given = parser.parse_args(argv)
    if not SINCE.match(given.since):
        parser.error(f"--since {given.since!r}: give a duration (10m, 2h) or a UTC time")
    if given.request and not REQUEST.match(given.request):
        parser.error(f"--request {given.request!r}: a request ID is letters, digits and -._")
    return given


def main(argv: list[str] | None = None) -> int:
    given = arguments(argv)
    try:
        hosts = inventory_hosts(given.target, given.inventory)
    except InventoryError as error:
        print(f"infra.logs: {error}", file=sys.stderr)
        return 2
    failed = False
    logs: list[list[Entry]] = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        reading = {host: pool.submit(read_host, host, hostvars, given.since)
                   for host, hostvars in hosts.items()}  # fmt: skip
        for future in reading.values():
            try:
                logs.append(future.result())
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                print(f"infra.logs: {error}", file=sys.stderr)
                failed = True
    found = selected(merged(*logs), request=given.request, level=given.level or "")
    if found:
        print(shown(found))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
