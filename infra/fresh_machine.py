"""The README's two commands on a fresh Debian 12 machine, from a `git clone` of this commit.

A newcomer has nothing but Debian, git and python3. So a container is made from nothing but
that (`debootstrap --variant=minbase`, as the stand-in's images are), the commit is cloned
inside it, and the README's commands run there as root: `scripts/serve` must answer and
`scripts/test` must pass, installing whatever they need themselves. Before that, the same
`scripts/test` as a user who is not root must stop at once, naming the apt-get command to run.
Any install step a script forgets fails here, not on a newcomer's machine.

Run by `scripts/test-fresh-machine` (which installs podman, runc and debootstrap) with the
system's python3: this module uses the standard library only. Everything it makes (the rootfs,
a bare copy of the commit, the container) is removed afterwards, pass or fail.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

from infra.standin import config
from infra.standin.images import debootstrap
from infra.standin.steps import StepFailed

REPO_ROOT = Path(__file__).resolve().parents[1]
PREFIX = "[fresh-machine]"
# What a fresh machine has: Debian's minbase, plus what a newcomer needs to get the code.
PACKAGES = ("git", "python3")
CONTAINER = f"superlists-fresh-{os.getpid()}"
BRANCH = "under-test"
# Room for the rootfs once the scripts have installed everything (3.2 GB) and the test run's files.
SCRATCH_SIZE = "6g"

# Plumbing for this sandbox only, not something a newcomer needs: the network here re-signs TLS
# with a private CA, so the container gets the host's bundle (at a path of its own, where no
# Debian package rewrites it) and the variables that make pip, uv and npm trust it. apt uses the
# plain-HTTP Debian mirror and needs nothing.
SANDBOX_CA_BUNDLE = "/etc/sandbox-ca-certificates.crt"
SANDBOX_CA_ENVIRONMENT = ("SSL_CERT_FILE", "PIP_CERT", "NODE_EXTRA_CA_CERTS")

# What runs inside: the README's commands, in the README's order, each step named as it starts
# with the seconds since the container started.
README_COMMANDS = f"""\
set -euo pipefail
step() {{ printf '\\n{PREFIX} %s (at %d s)\\n' "$*" "$SECONDS"; }}

step "git clone"
git clone --quiet --branch {BRANCH} /srv/origin.git /srv/superlists
cd /srv/superlists
git log -1 --format='%H %s'

step "scripts/test as a user who is not root: stops at once, naming the command to run"
if output=$(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp/newcomer \\
        scripts/test 2>&1); then
    echo "$output"; echo "scripts/test passed as a user who is not root, without apt-get"; exit 1
fi
echo "$output" | tail -n 1
grep -qF "apt-get install -y python3-venv" <<<"$output"

step "scripts/serve answers on http://127.0.0.1:8000/"
setsid scripts/serve >/tmp/serve.log 2>&1 &
serve=$!
if ! python3 - "$serve" <<'EOF'; then
import os, sys, time, urllib.request
deadline = time.monotonic() + 900  # the first run installs uv and every dependency
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen("http://127.0.0.1:8000/", timeout=5) as response:
            sys.exit(response.status != 200)
    except OSError:
        os.kill(int(sys.argv[1]), 0)  # fails at once if scripts/serve has stopped
        time.sleep(1)
sys.exit(1)
EOF
    cat /tmp/serve.log; echo "scripts/serve did not answer"; exit 1
fi
kill -- -"$serve"
tail -n 3 /tmp/serve.log

step "scripts/test"
scripts/test

step "done"
"""


def say(message: str) -> None:
    print(f"{PREFIX} {message}", flush=True)


def podman(*arguments: str) -> list[str]:
    # The host's own rootful Podman, its default storage; no systemd here, and crun fails on
    # cgroups in this sandbox (see infra/standin/config.py).
    return [
        "podman",
        "--runtime",
        config.CONTAINER_RUNTIME,
        "--cgroup-manager",
        "cgroupfs",
        *arguments,
    ]


def commit_under_test() -> str:
    commit = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    changes = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--untracked-files=no"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if changes:
        say(f"uncommitted changes are not tested, only the commit {commit[:12]}")
    return commit


def copy_commit(commit: str, scratch: Path) -> Path:
    """A bare repository holding `commit` as branch BRANCH, for the container to clone."""
    origin = scratch / "origin.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(origin)], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(REPO_ROOT),
            "push",
            "--quiet",
            str(origin),
            f"{commit}:refs/heads/{BRANCH}",
        ],
        check=True,
    )
    return origin


def run_readme_commands(rootfs: Path, origin: Path) -> int:
    environment = [f"--env={name}={SANDBOX_CA_BUNDLE}" for name in SANDBOX_CA_ENVIRONMENT]
    ulimits = [f"--ulimit={limit}" for limit in config.CONTAINER_ULIMITS]
    argv = podman(
        "run",
        "--rm",
        f"--name={CONTAINER}",
        # The host's network: the only way out to the package registries here (no CNI bridge).
        "--network=host",
        *ulimits,
        f"--volume={origin}:/srv/origin.git:ro",
        f"--volume={config.HOST_CA_BUNDLE}:{SANDBOX_CA_BUNDLE}:ro",
        *environment,
        "--env=HOME=/root",
        "--workdir=/srv",
        # A directory holding a root filesystem, instead of an image: nothing to import or remove.
        "--rootfs",
        str(rootfs),
        "/bin/bash",
        "-c",
        README_COMMANDS,
    )
    return subprocess.run(argv).returncode


def remove_container() -> None:
    subprocess.run(podman("rm", "--force", "--ignore", CONTAINER), capture_output=True)


def stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # so that the clean-up below runs


def main() -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="superlists-fresh-", dir="/var/tmp"))
    # In memory: dpkg syncs every file it writes, which on a busy disk made installing the
    # packages (debootstrap's, then the scripts') take minutes, and removing 3 GB of small files
    # took minutes more; unmounting is instant.
    try:
        mount = ["mount", "-t", "tmpfs", "-o", f"size={SCRATCH_SIZE}", "tmpfs", str(scratch)]
        subprocess.run(mount, check=True)
        commit = commit_under_test()
        say(f"a fresh Debian {config.DEBIAN_SUITE} (minbase + {', '.join(PACKAGES)}) in {scratch}")
        rootfs = scratch / "rootfs"
        debootstrap(rootfs, PACKAGES)
        say(f"made in {time.monotonic() - started:.0f} s; the README's commands on {commit[:12]}")
        status = run_readme_commands(rootfs, copy_commit(commit, scratch))
    except (StepFailed, subprocess.CalledProcessError) as error:
        say(f"FAILED: {error}")
        status = 1
    finally:
        remove_container()
        subprocess.run(["umount", str(scratch)], check=False, capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)
    outcome = "passed" if status == 0 else f"FAILED (status {status})"
    say(f"{outcome} in {time.monotonic() - started:.0f} s; container and rootfs removed")
    return status


if __name__ == "__main__":
    sys.exit(main())
