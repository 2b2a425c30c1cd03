"""What the playbook made on the stand-in hosts, which are this machine: each server's app
directory (its env file with DJANGO_SECRET_KEY and EMAIL_PASSWORD, the backups of its users'
data, the releases log) and its cron file. `down` removes the cron files (their engines are
gone, and cron would run them daily against nothing); `down --purge` the app directories too.
What is still there is named by `down`'s final check."""

import shutil
from collections.abc import Iterable

from .config import Server


def remove(servers: Iterable[Server], purge: bool) -> list[str]:
    """Remove what the deploys made; what was removed."""
    removed = []
    for server in servers:
        if server.cron_file.exists():
            server.cron_file.unlink()
            removed.append(str(server.cron_file))
        if purge and server.app_dir.exists():
            shutil.rmtree(server.app_dir)
            removed.append(f"{server.app_dir} (env file, backups, releases log)")
    return removed


def left(servers: Iterable[Server], purged: bool) -> list[str]:
    """What the deploys made that is still here: after `down`, the cron files; after
    `down --purge`, the app directories too."""
    found = []
    for server in servers:
        if server.cron_file.exists():
            found.append(f"cron file {server.cron_file} (deployed to {server.name})")
        if purged and server.app_dir.exists():
            found.append(f"directory {server.app_dir} (deployed to {server.name})")
    return found


def kept(servers: Iterable[Server]) -> list[str]:
    """The app directories a plain `down` keeps, for `up` to find again."""
    return [str(server.app_dir) for server in servers if server.app_dir.exists()]
