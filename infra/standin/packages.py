"""What this machine must be and have before anything else: preflight and apt packages."""

import os
import platform
import shutil
import subprocess

from . import config
from .commands import run
from .steps import StepFailed, say

DOCKER_CLIENT_PACKAGE = "docker.io"


def preflight() -> str:
    """Refuse at once, saying what is needed, on a machine the stand-in cannot work on."""
    problems = []
    if platform.system() != "Linux":
        problems.append(f"Linux (this is {platform.system()})")
    if os.geteuid() != 0:
        problems.append("root (rootful Podman, sshd on port 22, a system user for the Maildirs)")
    if shutil.which("apt-get") is None:
        problems.append("apt-get (a Debian/Ubuntu machine: the packages come from apt)")
    if problems:
        raise StepFailed("the stand-in host needs: " + "; ".join(problems))
    return f"Linux, root, apt-get ({platform.freedesktop_os_release().get('PRETTY_NAME', '?')})"


def require_root() -> None:
    if os.geteuid() != 0:
        raise StepFailed("run it as root: it stops root's daemons and undoes root's changes")


def missing_packages(wanted: tuple[str, ...] = config.APT_PACKAGES) -> list[str]:
    missing = []
    for package in wanted:
        status = subprocess.run(
            ["dpkg-query", "--show", "--showformat=${Status}", package],
            capture_output=True,
            text=True,
        )
        if status.stdout.strip() != "install ok installed":
            missing.append(package)
    if shutil.which("docker") is None:
        # The hosts need a `docker` client (the FTs run `docker exec` over SSH, as on a real
        # server). Debian ships one only inside docker.io; its daemon is never started here.
        missing.append(DOCKER_CLIENT_PACKAGE)
    return missing


def ensure_packages(wanted: tuple[str, ...] = config.APT_PACKAGES) -> str:
    missing = missing_packages(wanted)
    if not missing:
        return f"all {len(wanted)} apt packages installed"
    say(f"apt-get install {' '.join(missing)}")
    fix = "apt-get needs the Debian mirror; see the output above"
    environment = {"DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update"], env=environment, fix=fix)
    run(["apt-get", "install", "-y", *missing], env=environment, timeout=1800, fix=fix)
    return f"installed {', '.join(missing)}"
