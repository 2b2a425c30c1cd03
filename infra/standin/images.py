"""Stand-ins for the official images the deploy needs, built offline from Debian packages.

No image registry is reachable here, so `python:3.11-slim` (the Dockerfile's `FROM`) and
`caddy:2.6` (the TLS proxy the deploy runs on the servers) are satisfied by one debootstrap'd
Debian rootfs holding both Python and Caddy. It is built once, cached as a tarball, and imported
into every engine under each official name, with the official image's settings (ENV, WORKDIR,
CMD) and a label saying it is a stand-in, so nobody mistakes it for the real thing.

Differences a Dockerfile or a deploy may notice: Python is Debian's /usr/bin/python3 (3.11),
with no system-wide `pip` (Debian marks its Python externally managed: create a venv, as our
Dockerfile does); Caddy is Debian's 2.6.2; and each image also holds the other's files.
"""

import hashlib
import json
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import apt_sources, config
from .commands import run
from .config import Engine
from .engine import podman
from .steps import StepFailed, say

if TYPE_CHECKING:
    from .isolated_host import IsolatedHost

# Only the CA bundle setting: the host's pip also points at local wheel directories that do
# not exist inside containers.
PIP_CONF = f"[global]\ncert = {config.HOST_CA_BUNDLE}\n"
PATH = "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ROOTFS_LABEL = f"{config.STANDIN_LABEL}.rootfs"

# What the Dockerfile's build does with the base image, tried where the builds happen (the
# operator's engine): a venv, and pip reaching PyPI from a container through the host's CA.
BUILD_CHECK = """\
set -e
python -m venv /tmp/venv
/tmp/venv/bin/pip download --quiet --no-deps --dest /tmp/downloads six
ls /tmp/downloads
"""


@dataclass(frozen=True)
class StandinImage:
    name: str  # the official name it is imported under
    stands_in_for: str
    # What the official image sets, so that `docker run` behaves the same (Dockerfile syntax).
    settings: tuple[str, ...]
    # A command run in a new container after each import: it must succeed.
    check: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"debootstrap stand-in for {self.stands_in_for}, not the official image"


PYTHON = StandinImage(
    name=config.PYTHON_IMAGE,
    stands_in_for="python:3.11-slim",
    settings=(PATH, "ENV LANG=C.UTF-8", 'CMD ["python3"]'),
    check=("python", "--version"),
)
# Unlike the official image, no /config and /data in the image: the shared rootfs must not have
# a /data, which our Dockerfile makes. Caddy makes both when it first writes there (a volume
# mounted there makes them too).
CADDY = StandinImage(
    name=config.CADDY_IMAGE,
    stands_in_for="caddy:2.6",
    settings=(
        PATH,
        "ENV XDG_CONFIG_HOME=/config",
        "ENV XDG_DATA_HOME=/data",
        "EXPOSE 80",
        "EXPOSE 443",
        "EXPOSE 443/udp",
        "EXPOSE 2019",
        "WORKDIR /srv",
        'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]',
    ),
    check=("caddy", "version"),
)
IMAGES = (PYTHON, CADDY)


def rootfs_tarball() -> Path:
    """The cached rootfs; its name changes whenever what goes into it does."""
    recipe = json.dumps([config.DEBIAN_SUITE, config.ROOTFS_PACKAGES, PIP_CONF])
    digest = hashlib.sha256(recipe.encode()).hexdigest()[:12]
    return config.ROOTFS_CACHE_DIR / f"standin-rootfs-{config.DEBIAN_SUITE}-{digest}.tar"


def debootstrap(rootfs: Path, packages: Sequence[str]) -> None:
    """A minimal Debian (config.DEBIAN_SUITE) in `rootfs`, with `packages`, from this machine's
    own Debian mirror. Also the fresh machine of `python -m infra.fresh_machine`."""
    mirror = apt_sources.debian_mirror(config.DEBIAN_SUITE)
    if mirror is None:
        raise StepFailed(
            f"No Debian mirror for {config.DEBIAN_SUITE} in this machine's apt sources "
            "(/etc/apt/sources.list[.d]): add one, then run `apt-get update`."
        )
    say(f"debootstrap {config.DEBIAN_SUITE} (minbase + {', '.join(packages)})")
    run(
        [
            "debootstrap",
            "--variant=minbase",
            f"--include={','.join(packages)}",
            config.DEBIAN_SUITE,
            str(rootfs),
            mirror,
        ],
        timeout=1200,
        fix=f"debootstrap needs this machine's Debian mirror {mirror} (try `apt-get update`)",
    )


def _debootstrap(rootfs: Path) -> None:
    debootstrap(rootfs, config.ROOTFS_PACKAGES)
    shutil.copyfile(config.HOST_CA_BUNDLE, rootfs / str(config.HOST_CA_BUNDLE).lstrip("/"))
    (rootfs / "etc/pip.conf").write_text(PIP_CONF)
    # Like the official images: no package lists or downloaded .debs, and no host files
    # (the engine provides resolv.conf and hostname at run time).
    for leftovers in ("var/lib/apt/lists", "var/cache/apt/archives"):
        for path in (rootfs / leftovers).glob("*"):
            if path.is_file():
                path.unlink()
    (rootfs / "etc/hostname").write_text("localhost\n")


def build_rootfs() -> str:
    """Make sure the rootfs tarball is cached, building it if not (once for every engine)."""
    tarball = rootfs_tarball()
    if tarball.exists():
        return f"cached: {tarball}"
    config.ROOTFS_CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for stale in config.ROOTFS_CACHE_DIR.glob("*.tar"):
        stale.unlink()  # from an older recipe
    with tempfile.TemporaryDirectory(dir=config.ROOTFS_CACHE_DIR) as scratch:
        rootfs = Path(scratch) / "rootfs"
        _debootstrap(rootfs)
        partial = Path(scratch) / "rootfs.tar"
        run(["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(partial), "."])
        partial.rename(tarball)  # only a complete tarball ever has the name
    return f"built {tarball}"


def labels(engine: Engine, image: StandinImage) -> dict[str, str] | None:
    """The labels of `image` in `engine`, or None if the engine has no such image."""
    try:
        found = podman(engine, "image", "inspect", "--format", "{{json .Labels}}", image.name)
    except StepFailed:
        return None
    return json.loads(found) or {}


def import_changes(image: StandinImage, tarball: Path) -> list[str]:
    """`podman import`'s arguments that give the rootfs the official image's settings, and the
    labels saying it is a stand-in and which rootfs it came from."""
    settings = (
        *image.settings,
        f"LABEL {config.STANDIN_LABEL}={json.dumps(image.label)}",
        f"LABEL {ROOTFS_LABEL}={tarball.name}",
    )
    return [argument for setting in settings for argument in ("--change", setting)]


def _import(engine: Engine, image: StandinImage, tarball: Path) -> str:
    say(f"importing {tarball.name} into the {engine.name} engine as {image.name}")
    podman(engine, "import", *import_changes(image, tarball), str(tarball), image.name)
    try:
        output = podman(
            engine,
            "run",
            "--rm",
            image.name,
            *image.check,
            fix=f"`{' '.join(image.check)}` must work in a container from {image.name}",
        )
        if image == PYTHON and engine == config.OPERATOR_ENGINE:
            podman(
                engine,
                "run",
                "--rm",
                image.name,
                "sh",
                "-c",
                BUILD_CHECK,
                fix="pip inside the container must reach PyPI through the host's CA bundle",
            )
    except StepFailed:
        podman(engine, "rmi", "--force", image.name)  # so that the next `up` tries again
        raise
    return output.splitlines()[0] if output else ""


def ensure_images(engine: Engine) -> str:
    """Make sure `engine` has every stand-in image, from the current rootfs."""
    tarball = rootfs_tarball()
    found = []
    for image in IMAGES:
        current = labels(engine, image)
        if current is not None and current.get(config.STANDIN_LABEL) != image.label:
            raise StepFailed(
                f"{image.name} in the {engine.name} engine is not our stand-in: remove it "
                "(`python -m infra.standin down --purge`) and run `up` again"
            )
        if current is not None and current.get(ROOTFS_LABEL) == tarball.name:
            found.append(f"{image.stands_in_for} (already there)")
            continue
        if current is not None:
            podman(engine, "rmi", "--force", image.name)  # from an older rootfs
        found.append(f"{image.stands_in_for} ({_import(engine, image, tarball)})")
    return f"{engine.name}: {', '.join(found)}"


def rootfs_label_query(image: StandinImage) -> str:
    """The shell command that prints which rootfs `image` in an engine came from. (The label's
    name, with its dots, must be a quoted string in the template: `index .Labels name` unquoted
    is a template error, and every `up` imported the images again.)"""
    template = f"{{{{index .Labels {json.dumps(ROOTFS_LABEL)}}}}}"
    return shlex.join(["podman", "image", "inspect", "--format", template, image.name])


def ensure_image_on_host(host: "IsolatedHost", image: StandinImage, tarball: Path) -> str:
    """Import `image` into the host's engine over SSH (the host cannot see the stand-in's state
    directory, where the rootfs is cached), unless it has this rootfs's already."""
    inspect = subprocess.run(host.ssh(rootfs_label_query(image)), capture_output=True, text=True)
    if inspect.returncode == 0 and inspect.stdout.strip() == tarball.name:
        return "already there"
    say(f"importing {tarball.name} into {host.name}'s engine as {image.name}")
    command = ["podman", "import", *import_changes(image, tarball), "-", image.name]
    with tarball.open("rb") as archive:
        imported = subprocess.run(
            host.ssh(shlex.join(command)), stdin=archive, capture_output=True, timeout=600
        )
    if imported.returncode != 0:
        raise StepFailed(
            f"importing {image.name} into {host.name} failed: {imported.stderr.decode()[-500:]}"
        )
    return run(host.ssh(shlex.join(["podman", "run", "--rm", image.name, *image.check]))).strip()
