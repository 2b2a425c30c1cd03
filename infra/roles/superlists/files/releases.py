"""The release decisions a server makes for itself, as plain functions over plain data, with a
command line the role runs on the server (tasks/*.yaml: ``python3 - APP_DIR COMMAND …`` with this
file on stdin), with the server's own files. The YAML keeps only the sequence of steps.

- Which image a deploy builds (``build-tag``, run where Ansible runs, on the checkout).
- What the server runs now (``state``): its live release (image, running, slot), its proxy, its
  secret key and the hashes of the files a deploy writes, as one JSON object.
- Which image, and whether the server takes it (``check``): the staging gate, once a deploy turned
  it on (require_staging_pass), stays on; an image it has no record of is refused unless the
  operator overrides it with a reason, which goes into the releases log for good.
- What to release and where (``decide``): a rollback's target (the release before the live one;
  on a gated server the last one that passed staging; again: further back, never forward),
  whether a release is needed, the slot the new release starts in, what happens to the old one.
- When the old slot is drained (``wait-drained``): the proxy's admin API counts its requests.
- Which images are kept for rollbacks (``keep``), and the records (``record``, ``gate``,
  ``passed``).

Every decision is about one host: a release across several app hosts asks each host in turn
(which host goes next is the playbook's ``serial``), and each host has its own slots and log.

    python3 releases.py CHECKOUT build-tag
    python3 releases.py APP_DIR state --container NAME --secret-key-file PATH [FILE …]
    python3 releases.py APP_DIR check IMAGE [--force-unverified REASON]
    python3 releases.py APP_DIR decide IMAGE --live JSON --ports PORT PORT
                        [--rollback] [--configuration-changed] [--force-unverified REASON]
    python3 releases.py APP_DIR wait-drained ADDRESS:PORT --proxy-admin ADDRESS
                        --health-interval DURATION --drain-seconds SECONDS
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
import hashlib
import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RELEASES_LOG = "releases.log"
PASSED_RECORD = "passed-staging"
STAGING_GATE = "staging-gate"
ROLLBACK = "rollback"
FORCED = "forced-unverified:"
# What `docker container inspect --format` prints for the live release (its slot: the host port
# the app's port in the container, the Dockerfile's 8888, is published on) and for the proxy.
INSPECT_LIVE = (
    "{{.Image}} {{.State.Running}} "
    '{{with index .HostConfig.PortBindings "8888/tcp"}}{{(index . 0).HostPort}}{{end}}'
)
INSPECT_PROXY = "{{.State.Running}} {{.Config.Image}}"


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


# --- Which image ---------------------------------------------------------------------------------

# Every file the image's build reads (what git sees; .dockerignore keeps out the rest).
BUILD_FILES = ("Dockerfile", ".dockerignore", "requirements.txt", "gunicorn.conf.py", "src")


def build_tag(files: Iterable[tuple[str, bytes]]) -> str:
    """The image's tag: a hash of its files' names and contents, so an unchanged checkout is never
    built again. The same as `sha256sum FILE… | sha256sum` (earlier deploys' tags)."""
    listing = "".join(f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in files)
    return hashlib.sha256(listing.encode()).hexdigest()[:16]


def checkout_build_files(checkout: Path) -> list[tuple[str, bytes]]:
    """The build's files in a checkout, with their contents, in git's order."""
    names = subprocess.run(
        ["git", "ls-files", "-z", "-co", "--exclude-standard", "--", *BUILD_FILES],
        cwd=checkout,
        check=True,
        capture_output=True,
    ).stdout.decode()
    found = [(name, checkout / name) for name in names.split("\0") if name]
    return [(name, path.read_bytes()) for name, path in found if path.is_file()]


# --- What the server runs now --------------------------------------------------------------------


@dataclass(frozen=True)
class Live:
    """The live release: its image, whether it runs, and its slot (the host port it is on; 0 for
    a release from before the slots)."""

    image: str
    running: bool
    port: int


def live_from_inspect(fields: Sequence[str]) -> Live | None:
    """The live release from INSPECT_LIVE's output; None when there is no live container."""
    if not fields:
        return None
    return Live(fields[0], fields[1] == "true", int(fields[2]) if len(fields) > 2 else 0)


def proxy_from_inspect(fields: Sequence[str]) -> dict[str, Any] | None:
    if not fields:
        return None
    return {"running": fields[0] == "true", "image": fields[1]}


def live_from_json(text: str) -> Live | None:
    """The live release as ``state`` printed it (the play passes it back to ``decide``)."""
    data = json.loads(text)
    return (
        None if data is None else Live(str(data["image"]), bool(data["running"]), int(data["port"]))
    )


def inspect(name: str, template: str) -> list[str]:
    result = subprocess.run(
        ["docker", "container", "inspect", "--format", template, name],
        capture_output=True,
        text=True,
    )
    return result.stdout.split() if result.returncode == 0 else []


def sha256(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def server_state(container: str, secret_key_file: Path, files: Iterable[str]) -> dict[str, Any]:
    """What the server has now, as one JSON-able object, so that a deploy that changes nothing
    can tell so at once (tasks/main.yaml). It holds the secret key: the play never logs it."""
    live = live_from_inspect(inspect(container, INSPECT_LIVE))
    return {
        "live": None if live is None else asdict(live),
        "proxy": proxy_from_inspect(inspect(f"{container}-proxy", INSPECT_PROXY)),
        "secret": read(secret_key_file).strip(),
        "files": {path: sha256(path) for path in files},
    }


# --- What to release, and where -----------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What a release on one host does. The old release is handed over through the proxy (it
    drains) only from a slot the proxy knows; one from before the slots holds the site's port
    and is stopped before the proxy starts."""

    image: str
    release_needed: bool
    next_port: int
    live_exists: bool
    live_running: bool
    live_image: str
    live_port: int
    hand_over: bool
    stop_unproxied: bool
    forced_reason: str  # why an image staging has not passed is released anyway; "" if it passed


def next_slot(live_port: int, ports: Sequence[int]) -> int:
    """The slot the new release starts in: the one of the two the live release is not in."""
    return ports[1] if live_port == ports[0] else ports[0]


def plan_release(
    image: str,
    live: Live | None,
    ports: Sequence[int],
    configuration_changed: bool,
    forced_reason: str = "",
) -> Plan:
    """A release is needed when nothing runs, the image differs, or the configuration changed."""
    live_port = live.port if live else 0
    return Plan(
        image=image,
        release_needed=(
            live is None or not live.running or live.image != image or configuration_changed
        ),
        next_port=next_slot(live_port, ports),
        live_exists=live is not None,
        live_running=bool(live and live.running),
        live_image=live.image if live else "",
        live_port=live_port,
        hand_over=bool(live and live.running and live_port in ports),
        stop_unproxied=live is not None and live_port not in ports,
        forced_reason=forced_reason,
    )


def override_reason(image: str, gated: bool, passed: set[str], force_reason: str) -> str:
    """The reason the releases log keeps: only for an image a gated server would have refused
    (check_release let it through on that reason)."""
    return force_reason if gated and image not in passed else ""


def decide(
    image: str,
    live: Live | None,
    ports: Sequence[int],
    configuration_changed: bool,
    *,
    rollback: bool,
    releases: list[Release],
    gated: bool,
    passed: set[str],
    force_reason: str,
) -> Plan:
    """The plan for this host: for a rollback, of its rollback target (refused if none)."""
    if rollback:
        return plan_release(
            rollback_target(releases, gated, passed), live, ports, configuration_changed
        )
    reason = override_reason(image, gated, passed, force_reason)
    return plan_release(image, live, ports, configuration_changed, reason)


# --- When the old slot is drained ---------------------------------------------------------------


def duration_seconds(duration: str) -> float:
    """A Caddy duration as the role's defaults write them ("1s", "500ms") in seconds."""
    for unit, seconds in (("ms", 0.001), ("s", 1.0), ("m", 60.0)):
        if duration.endswith(unit):
            try:
                return float(duration.removesuffix(unit)) * seconds
            except ValueError:
                break
    raise ValueError(
        f'"{duration}" is not a duration such as "1s" or "500ms" (proxy_health_interval)'
    )


def requests_on(upstreams: Iterable[dict[str, Any]], address: str) -> int:
    """The requests the proxy has in flight to ``address``, from its admin API's
    /reverse_proxy/upstreams (a list of {"address", "num_requests", …})."""
    return sum(int(u.get("num_requests") or 0) for u in upstreams if u.get("address") == address)


def wait_until_drained(
    address: str,
    upstreams: Callable[[], list[dict[str, Any]]],
    handover_seconds: float,
    drain_seconds: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Return once the old release at ``address`` is drained: the proxy has had time to see it
    unhealthy (``handover_seconds``: two health checks) and has no request left on it. Refused
    when it still has requests after ``drain_seconds``."""
    started = clock()
    while True:
        busy = requests_on(upstreams(), address)
        now = clock()
        if not busy and now >= started + handover_seconds:
            return
        if now > started + drain_seconds:
            raise Refused(f"{address} still had requests after {drain_seconds:g} s")
        sleep(0.05)


def proxy_upstreams(admin_address: str) -> Callable[[], list[dict[str, Any]]]:
    def read_upstreams() -> list[dict[str, Any]]:
        url = f"http://{admin_address}/reverse_proxy/upstreams"
        with urllib.request.urlopen(url) as answer:
            upstreams: list[dict[str, Any]] = json.load(answer)
            return upstreams

    return read_upstreams


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
    commands.add_parser("build-tag", help="APP_DIR is the checkout the image is built from")
    state_command = commands.add_parser("state")
    state_command.add_argument("--container", required=True)
    state_command.add_argument("--secret-key-file", type=Path, required=True)
    state_command.add_argument("files", nargs="*")
    decide_command = commands.add_parser("decide")
    decide_command.add_argument("image", help="the image to release (ignored for a rollback)")
    decide_command.add_argument(
        "--live", required=True, help="the live release, as state printed it"
    )
    decide_command.add_argument("--ports", type=int, nargs=2, required=True, metavar="PORT")
    decide_command.add_argument("--rollback", action="store_true")
    decide_command.add_argument("--configuration-changed", action="store_true")
    decide_command.add_argument("--force-unverified", default="", metavar="REASON")
    drained_command = commands.add_parser("wait-drained")
    drained_command.add_argument(
        "address", help="the old release's upstream, as the proxy names it"
    )
    drained_command.add_argument("--proxy-admin", required=True, metavar="ADDRESS")
    drained_command.add_argument("--health-interval", type=duration_seconds, required=True)
    drained_command.add_argument("--drain-seconds", type=float, required=True)
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
        if arguments.command == "build-tag":
            print(build_tag(checkout_build_files(app_dir)))
        elif arguments.command == "state":
            state_now = server_state(
                arguments.container, arguments.secret_key_file, arguments.files
            )
            print(json.dumps(state_now))
        elif arguments.command == "decide":
            plan = decide(
                arguments.image,
                live_from_json(arguments.live),
                arguments.ports,
                arguments.configuration_changed,
                rollback=arguments.rollback,
                releases=releases,
                gated=gated,
                passed=passed_here,
                force_reason=arguments.force_unverified,
            )
            print(json.dumps(asdict(plan)))
        elif arguments.command == "wait-drained":
            wait_until_drained(
                arguments.address,
                proxy_upstreams(arguments.proxy_admin),
                handover_seconds=2 * arguments.health_interval,
                drain_seconds=arguments.drain_seconds,
            )
        elif arguments.command == "check":
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
