"""Where a page's time goes under load: py-spy samples the gunicorn workers while wrk runs.

Optional (--profile): py-spy is not one of the project's dependencies. Each sample's time goes to
the innermost frame that belongs to a known part of the stack (the template engine, the ORM, a
middleware, ...), so that, say, a query run lazily from inside a template counts as database.
"""

import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

# Checked in order, for each frame from the innermost out; the first match names the part.
STACK_PARTS: list[tuple[str, str]] = [
    ("sqlite3", "database (sqlite3)"),
    ("django/db/", "database (ORM)"),
    ("django/template/", "template rendering"),
    ("django/forms/", "form rendering"),
    ("django/middleware/csrf.py", "middleware: CSRF"),
    ("django/contrib/sessions/", "middleware: sessions"),
    ("django/contrib/messages/", "middleware: messages"),
    ("django/contrib/auth/", "middleware: auth"),
    ("whitenoise/", "whitenoise"),
    ("django/middleware/", "middleware: other"),
    ("django/urls/", "URL resolving"),
    ("django/http/", "request/response objects"),
    ("django/core/handlers/", "Django request handling"),
    ("django/", "Django, other"),
    ("/src/", "the app's own code"),
    ("gunicorn/", "gunicorn (accept, parse, write, access log)"),
]


def find_py_spy(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    return shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))


def parse_collapsed(lines: Iterable[str]) -> list[tuple[list[str], int]]:
    """py-spy's raw output: one "outer;...;inner COUNT" line per distinct stack."""
    stacks = []
    for line in lines:
        frames, _, count = line.rstrip().rpartition(" ")
        if frames and count.isdigit():
            stacks.append((frames.split(";"), int(count)))
    return stacks


def part_of(frames: list[str]) -> str:
    for frame in reversed(frames):
        for marker, part in STACK_PARTS:
            if marker in frame:
                return part
    return "other (interpreter, stdlib)"


def shares_by_part(stacks: list[tuple[list[str], int]]) -> list[tuple[str, float]]:
    totals: Counter[str] = Counter()
    for frames, count in stacks:
        totals[part_of(frames)] += count
    all_samples = sum(totals.values()) or 1
    return [(part, count / all_samples) for part, count in totals.most_common()]


def top_inclusive_frames(
    stacks: list[tuple[list[str], int]], marker: str, limit: int = 10
) -> list[tuple[str, float]]:
    """The frames containing ``marker`` with the largest share of samples below them."""
    totals: Counter[str] = Counter()
    for frames, count in stacks:
        for frame in set(frames):
            if marker in frame:
                totals[frame] += count
    all_samples = sum(count for _, count in stacks) or 1
    return [(frame, count / all_samples) for frame, count in totals.most_common(limit)]


def record(py_spy: str, pid: int, duration_s: float, output: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            py_spy, "record", "--pid", str(pid), "--subprocesses", "--format", "raw",
            "--duration", str(int(duration_s)), "--output", str(output), "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1)  # let it attach to the master and its workers before the load starts
    return process


def profile_under_load(
    py_spy: str, pid: int, duration_s: float, output: Path, load: Callable[[], object]
) -> dict[str, object]:
    """Run ``load`` while py-spy samples the server ``pid`` and its workers; summarise."""
    recorder = record(py_spy, pid, duration_s + 1, output)
    try:
        load()
    finally:
        recorder.wait(timeout=duration_s + 30)
    stacks = parse_collapsed(output.read_text().splitlines()) if output.exists() else []
    return {
        "samples": sum(count for _, count in stacks),
        "shares_by_part": [(part, round(share, 3)) for part, share in shares_by_part(stacks)],
        "top_app_frames": [
            (frame, round(share, 3)) for frame, share in top_inclusive_frames(stacks, "/src/")
        ],
        "top_django_frames": [
            (frame, round(share, 3)) for frame, share in top_inclusive_frames(stacks, "django/", 15)
        ],
    }
