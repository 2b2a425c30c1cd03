"""The stand-in for `python:3.11-slim`, built offline from Debian packages.

No image registry is reachable here, so the app's unchanged `FROM python:3.11-slim` is satisfied
by a debootstrap'd Debian with Python, imported into the stand-in engine under the official name
and labelled as a stand-in so nobody mistakes it for the real thing. Differences a Dockerfile
may notice: Python is Debian's /usr/bin/python3 (3.11), and there is no system-wide `pip`
(Debian marks its Python externally managed): create a venv, as our Dockerfile does.
"""

import json
import shutil
import tempfile
from pathlib import Path

from . import apt_sources, config
from .commands import run
from .engine import podman
from .steps import StepFailed, say

# What the official image sets, so that `docker run python:3.11-slim` behaves the same.
IMAGE_CHANGES = (
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV LANG=C.UTF-8",
    'CMD ["python3"]',
    f"LABEL {config.STANDIN_LABEL}={json.dumps(config.STANDIN_LABEL_VALUE)}",
)

# Only the CA bundle setting: the host's pip also points at local wheel directories that do
# not exist inside containers.
PIP_CONF = f"[global]\ncert = {config.HOST_CA_BUNDLE}\n"

VERIFY_SCRIPT = """\
set -e
python --version
python -m venv /tmp/venv
/tmp/venv/bin/pip download --quiet --no-deps --dest /tmp/downloads six
ls /tmp/downloads
"""


def image_label() -> str | None:
    """The stand-in label of the image in the engine, or None if there is no such image."""
    try:
        labels = podman("image", "inspect", "--format", "{{json .Labels}}", config.BASE_IMAGE)
    except StepFailed:
        return None
    return (json.loads(labels) or {}).get(config.STANDIN_LABEL)


def _debootstrap_rootfs(rootfs: Path) -> None:
    mirror = apt_sources.debian_mirror(config.DEBIAN_SUITE)
    if mirror is None:
        raise StepFailed(
            f"No Debian mirror for {config.DEBIAN_SUITE} in this machine's apt sources "
            "(/etc/apt/sources.list[.d]): add one, then run `apt-get update`."
        )
    say(f"debootstrap {config.DEBIAN_SUITE} (minbase + {', '.join(config.BASE_IMAGE_PACKAGES)})")
    run(
        [
            "debootstrap",
            "--variant=minbase",
            f"--include={','.join(config.BASE_IMAGE_PACKAGES)}",
            config.DEBIAN_SUITE,
            str(rootfs),
            mirror,
        ],
        timeout=1200,
        fix=f"debootstrap needs this machine's Debian mirror {mirror} (try `apt-get update`)",
    )
    shutil.copyfile(config.HOST_CA_BUNDLE, rootfs / str(config.HOST_CA_BUNDLE).lstrip("/"))
    (rootfs / "etc/pip.conf").write_text(PIP_CONF)
    # Like the official slim image: no package lists or downloaded .debs, and no host files
    # (the engine provides resolv.conf and hostname at run time).
    for leftovers in ("var/lib/apt/lists", "var/cache/apt/archives"):
        for path in (rootfs / leftovers).glob("*"):
            if path.is_file():
                path.unlink()
    (rootfs / "etc/hostname").write_text("localhost\n")


def _build_rootfs_tarball() -> None:
    config.BASE_IMAGE_CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=config.BASE_IMAGE_CACHE_DIR) as scratch:
        rootfs = Path(scratch) / "rootfs"
        _debootstrap_rootfs(rootfs)
        partial = Path(scratch) / "rootfs.tar"
        run(["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(partial), "."])
        partial.rename(config.BASE_ROOTFS_TARBALL)  # only a complete tarball ever has the name


def _verify_image() -> str:
    say("verifying: python --version, python -m venv, pip download from PyPI in a container")
    output = podman(
        "run",
        "--rm",
        config.BASE_IMAGE,
        "sh",
        "-c",
        VERIFY_SCRIPT,
        fix="pip inside the container must reach PyPI through the host's CA bundle",
    )
    return output.splitlines()[0]


def build() -> str:
    """Make sure the stand-in base image is in the engine, building what is not cached."""
    if image_label() == config.STANDIN_LABEL_VALUE:
        return f"{config.BASE_IMAGE} already in the engine (labelled as a stand-in)"
    if image_label() is not None:
        raise StepFailed(
            f"{config.BASE_IMAGE} in the stand-in engine is not our stand-in: remove it "
            "(`python -m infra.standin down --purge`) and run `up` again"
        )
    if config.BASE_ROOTFS_TARBALL.exists():
        say(f"using the cached rootfs {config.BASE_ROOTFS_TARBALL}")
    else:
        _build_rootfs_tarball()
    say(f"importing it as {config.BASE_IMAGE}")
    changes = [argument for change in IMAGE_CHANGES for argument in ("--change", change)]
    podman("import", *changes, str(config.BASE_ROOTFS_TARBALL), config.BASE_IMAGE)
    try:
        python_version = _verify_image()
    except StepFailed:
        podman("rmi", "--force", config.BASE_IMAGE)  # so that the next `up` tries again
        raise
    return f"{config.BASE_IMAGE} imported and verified ({python_version})"
