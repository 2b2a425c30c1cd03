"""The servers of `python -m infra.standin up` (config.SERVERS: staging and a fake production),
each an isolated host (isolated_host): its own network, mounts, processes, hostname, sshd, cron
and Podman engine.

Unlike the multi-host topology's hosts, a server keeps its disk (host key, /srv with the app's
env file and backups, /etc/cron.d, the engine's images) across `down` and `up`, as a real server
keeps its disk across a reboot; `down` removes its containers and volumes first, as it did when
the servers were engines on this machine, so each `up` deploys onto an engine with images only.
`down --purge` deletes the disks with the rest of the state.
"""

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import config, host_changes, images, topology
from .config import Server
from .isolated_host import IsolatedHost
from .steps import StepFailed


def host_of(server: Server) -> IsolatedHost:
    # No routes: a server reaches the operator's end of its own link and nothing else (not the
    # other server), which is where the mail server and the error receiver listen for it.
    return IsolatedHost(server.machine, server.link, hostname=server.name)


HOSTS = tuple(host_of(server) for server in config.SERVERS)
# What `down` keeps (their disks), by isolated host name.
KEPT_DISKS = tuple(host.name for host in HOSTS)


def start() -> str:
    """Boot each server; how long each took and what they use."""
    timings = []
    for host in HOSTS:
        started = time.monotonic()
        host.start()
        timings.append(f"{host.hostname} at {host.address} {time.monotonic() - started:.1f} s")
    return f"{', '.join(timings)}; {topology.memory_mib(HOSTS):.0f} MiB in all (PSS)"


def import_images() -> str:
    """The official images the deploy and `check` need, stood in for, in each server's engine:
    both servers at once (an import is mostly waiting on SSH and the disk), each image in turn."""
    tarball = images.rootfs_tarball()

    def import_into(host: IsolatedHost) -> str:
        return ", ".join(
            f"{image.stands_in_for} ({images.ensure_image_on_host(host, image, tarball)})"
            for image in images.IMAGES
        )

    with ThreadPoolExecutor(max_workers=len(HOSTS)) as pool:
        done = list(pool.map(import_into, HOSTS))
    return "; ".join(f"{host.hostname}: {each}" for host, each in zip(HOSTS, done, strict=True))


REMOVE_CONTAINERS = (
    "podman rm --all --force --volumes --time 5 >/dev/null"
    # An interrupted `docker build` leaves a build container only the storage knows about.
    " && leftovers=$(podman ps --all --external --quiet)"
    ' && { [ -z "$leftovers" ] || podman rm --force $leftovers >/dev/null; }'
    " && podman volume prune --force >/dev/null"
)


def remove_containers() -> list[str]:
    """Remove every container and volume of each running server's engine; those done."""
    done = []
    for host in HOSTS:
        if host.init_pid() is None:
            continue
        removed = subprocess.run(host.ssh(REMOVE_CONTAINERS), capture_output=True, text=True)
        if removed.returncode != 0:
            raise StepFailed(
                f"could not remove {host.hostname}'s containers: {removed.stderr[-500:]}"
            )
        done.append(host.hostname)
    return done


def old_layout() -> list[Path]:
    """What the stand-in kept on this machine itself before its servers were isolated hosts:
    each server's app directory (its env file holds the app's secrets) and cron file, their
    engines' storage, their SSH keys and known_hosts file. Nothing reads them now; `down`
    removes them rather than leave secrets nobody names."""
    paths = [
        *(server.app_dir for server in config.SERVERS),
        *(server.cron_file for server in config.SERVERS),
        *(config.STATE_DIR / "engines" / name for name in ("staging", "production")),
        config.STATE_DIR / "known_hosts",
        *(
            config.SECRETS_DIR / file
            for name in ("staging", "production")
            for file in (
                f"ssh_host_ed25519_key.{name}",
                f"ssh_host_ed25519_key.{name}.pub",
                f"authorized_keys.{name}",
            )
        ),
    ]
    return [path for path in paths if path.exists() or path.is_symlink()]


def remove_old_layout() -> list[str]:
    """Remove what old_layout finds; what was removed. Never through a mount (an old engine's
    container still mounted there): `down`'s final check names such a mount instead."""
    removed = []
    mount_points = [mount_point for mount_point, _ in host_changes.mounts()]
    for path in old_layout():
        if any(host_changes.is_within(mount_point, path) for mount_point in mount_points):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        removed.append(str(path))
    return removed
