"""This machine's loopback, where every load the performance tools make must go.

The benchmark's wrk runs and the load test's visitors send thousands of requests a second: aimed
at another host by mistake, that is an attack on it. So every URL they load is checked here first,
by what its host name resolves to, not by how it is spelled.
"""

import ipaddress
import shutil
import socket
import subprocess
from urllib.parse import urlsplit

from infra.standin.config import ISOLATED_HOST_PREFIX, ISOLATED_HOSTS_SUBNET
from sitekit.config import BIND_HOST


class NotLoopback(ValueError):
    pass


def require_loopback(url: str) -> None:
    """Refuse ``url`` unless its host is, or resolves only to, loopback addresses (127.0.0.0/8,
    ::1). A name that does not resolve is refused too: there is nothing to prove it safe."""
    host = urlsplit(url).hostname
    if not host:
        raise NotLoopback(f"{url!r} names no host; load may only go to loopback addresses")
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        raise NotLoopback(
            f"{url!r}: {host} does not resolve ({error}); refusing to load it"
        ) from None
    elsewhere = sorted(
        a for a in addresses if not ipaddress.ip_address(a).is_loopback and not is_standin_host(a)
    )
    if elsewhere:
        raise NotLoopback(
            f"{url!r}: {host} is {', '.join(elsewhere)}, not a loopback address; "
            "load may only go to this machine (127.0.0.0/8, ::1, or a stand-in host it runs)"
        )


def is_standin_host(address: str) -> bool:
    """Whether `address` is one of the stand-in's isolated hosts on this machine: in their
    subnet, and routed by the kernel through a veth the stand-in made (an isolated host is a
    network namespace here, not another machine)."""
    if ipaddress.ip_address(address) not in ipaddress.ip_network(ISOLATED_HOSTS_SUBNET):
        return False
    if shutil.which("ip") is None:
        return False  # no iproute2: the stand-in, which needs it, runs no host here
    route = subprocess.run(
        ["ip", "-o", "route", "get", address], capture_output=True, text=True
    ).stdout.split()
    device = route[route.index("dev") + 1] if "dev" in route else ""
    return device.startswith(ISOLATED_HOST_PREFIX) and "via" not in route


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, for a server we are about to start."""
    with socket.socket() as probe:
        probe.bind((BIND_HOST, 0))
        port: int = probe.getsockname()[1]
        return port
