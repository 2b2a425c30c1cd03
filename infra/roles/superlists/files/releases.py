"""The release decisions a server makes for itself: may this image be released here, which
release does a rollback go back to, which images are kept. The role (tasks/image.yaml,
tasks/release.yaml) runs this file on the server, with the server's own files, so no playbook
variable can change the answers: the staging gate, once a deploy turned it on
(require_staging_pass), stays on; an image it has no record of is refused unless the operator
overrides it with a reason, which goes into the releases log for good.

    python3 releases.py APP_DIR check IMAGE [--force-unverified REASON]
    python3 releases.py APP_DIR rollback-target
    python3 releases.py APP_DIR record IMAGE [--rollback | --force-unverified REASON]
    python3 releases.py APP_DIR keep COUNT
    python3 releases.py APP_DIR gate
    python3 releases.py APP_DIR passed IMAGE [NOTE]

Files in APP_DIR, named here only:
- releases.log: one line per release, ``IMAGE DATE [rollback | forced-unverified: REASON]``;
- passed-staging: one line per image that passed the FT suite on staging, ``IMAGE DATE NOTE``
  (scripts/release writes it on staging and on production once the FTs pass);
- staging-gate: present on a server that takes only images recorded in passed-staging.

Standard library only: it runs with the server's own Python.
"""

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

RELEASES_LOG = "releases.log"
PASSED_RECORD = "passed-staging"
STAGING_GATE = "staging-gate"
ROLLBACK = "rollback"
FORCED = "forced-unverified:"


class Refused(Exception):
    pass


@dataclass(frozen=True)
class Release:
    image: str
    kind: str = "release"  # or "rollback", or "forced"
    reason: str = ""


def parse_log(text: str) -> list[Release]:
    releases = []
    for line in text.splitlines():
        fields = line.split(None, 2)
        if len(fields) < 2:
            continue
        image, note = fields[0], (fields[2].strip() if len(fields) > 2 else "")
        if note == ROLLBACK:
            releases.append(Release(image, "rollback"))
        elif note.startswith(FORCED):
            releases.append(Release(image, "forced", note.removeprefix(FORCED).strip()))
        else:
            releases.append(Release(image))
    return releases


def history(releases: list[Release]) -> list[str]:
    """The images the server went through, the live one last, with rollbacks undone: a rollback
    to X drops what came after X. So a second rollback goes further back, never forward."""
    stack: list[str] = []
    for release in releases:
        if release.kind == "rollback":
            if stack:
                stack.pop()  # the release rolled back from
            while stack and stack[-1] != release.image:
                stack.pop()  # releases it skipped (on a gated server: those not passed)
            if not stack:
                stack.append(release.image)
        else:
            stack.append(release.image)
    return stack


def passed_images(record: str) -> set[str]:
    return {line.split()[0] for line in record.splitlines() if line.strip()}


def check_release(image: str, gated: bool, passed: set[str], force_reason: str) -> None:
    """Refuse, on a gated server, an image staging has not passed, unless overridden."""
    if not gated or image in passed or force_reason.strip():
        return
    raise Refused(
        f"Refusing to deploy {image}: it has not passed the FT suite on staging (this server "
        f"takes only images in its {PASSED_RECORD} record; its {STAGING_GATE} file says so, and "
        "no playbook variable changes that). Release with scripts/release, which deploys to "
        "staging, runs the FTs there and only then deploys that same image here; or, "
        'deliberately, scripts/release INVENTORY --force-unverified "why", which the '
        f"{RELEASES_LOG} keeps."
    )


def rollback_target(releases: list[Release], gated: bool, passed: set[str]) -> str:
    """The release before the live one (on a gated server, the last one that passed staging)."""
    images = history(releases)
    live = images[-1] if images else ""
    for image in reversed(images[:-1]):
        if image != live and (not gated or image in passed):
            return image
    raise Refused(
        f"No earlier release to roll back to{' that passed staging' if gated else ''} "
        f"(see {RELEASES_LOG}; the live one is {live or 'not recorded'})."
    )


def images_to_keep(releases: list[Release], count: int) -> list[str]:
    """The last ``count`` releases' images on the way back, so rollbacks have them."""
    kept: list[str] = []
    for image in reversed(history(releases)):
        if image not in kept:
            kept.append(image)
    return kept[:count]


def stamped(image: str, note: str, now: datetime) -> str:
    """A line of the releases log or of the passed-staging record."""
    return f"{image} {now.strftime('%Y-%m-%dT%H:%M:%SZ')} {' '.join(note.split())}".rstrip() + "\n"


def release_note(rollback: bool, force_reason: str) -> str:
    if rollback:
        return ROLLBACK
    return f"{FORCED} {force_reason}" if force_reason.strip() else ""


def read(path: Path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""


def append(path: Path, line: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with path.open("a") as file:
        file.write(line)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app_dir", type=Path)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check")
    check.add_argument("image")
    check.add_argument("--force-unverified", default="", metavar="REASON")
    commands.add_parser("rollback-target")
    record = commands.add_parser("record")
    record.add_argument("image")
    record.add_argument("--rollback", action="store_true")
    record.add_argument("--force-unverified", default="", metavar="REASON")
    keep = commands.add_parser("keep")
    keep.add_argument("count", type=int)
    commands.add_parser("gate")
    passed = commands.add_parser("passed")
    passed.add_argument("image")
    passed.add_argument("note", nargs="?", default="")
    arguments = parser.parse_args(argv)

    app_dir: Path = arguments.app_dir
    releases = parse_log(read(app_dir / RELEASES_LOG))
    gated = (app_dir / STAGING_GATE).is_file()
    passed_here = passed_images(read(app_dir / PASSED_RECORD))
    now = datetime.now(UTC)
    try:
        if arguments.command == "check":
            check_release(arguments.image, gated, passed_here, arguments.force_unverified)
            if gated and arguments.image not in passed_here:
                print(
                    f"OVERRIDE: {arguments.image} has not passed staging; released because: "
                    f"{arguments.force_unverified}"
                )
        elif arguments.command == "rollback-target":
            print(rollback_target(releases, gated, passed_here))
        elif arguments.command == "record":
            note = release_note(arguments.rollback, arguments.force_unverified)
            append(app_dir / RELEASES_LOG, stamped(arguments.image, note, now))
        elif arguments.command == "keep":
            print("\n".join(images_to_keep(releases, arguments.count)))
        elif arguments.command == "gate" and not gated:
            append(app_dir / STAGING_GATE, "This server takes only images that passed staging.\n")
            print("changed")
        elif arguments.command == "passed" and arguments.image not in passed_here:
            append(app_dir / PASSED_RECORD, stamped(arguments.image, arguments.note, now))
            print("changed")
    except Refused as refusal:
        print(refusal, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
