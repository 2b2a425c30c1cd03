"""`python -m bench.book_side_by_side BOOK_SRC`: our app against the book's, side by side.

The book's Superlists (hjwp/book-example, its ``src/``; a checkout named on the command line)
and ours, each a throwaway production-mode site on SQLite with a 20-item list, served at the
same time by the same gunicorn with production's gunicorn.conf.py. wrk loads each page of each
app in turn, for several rounds, alternating which app goes first (the machine's load drifts:
interleaving spreads it over both); the report gives each app's median requests per second and
ours as a multiple of the book's, with the layer on or off as the environment says
(``SUPERLISTS_SPEEDUPS``). Both apps answer a new visitor (wrk sends no cookies).
``--instructions`` counts each page's instructions per request instead (bench.instructions:
one worker under callgrind), which the machine's load does not move.
"""

import argparse
import contextlib
import importlib.util
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import config
from bench.instructions import CallgrindServer, Request
from bench.load_spec import LoadSpec
from bench.tables import format_table
from bench.throwaway_site import throwaway_site
from bench.wrk import ensure_wrk, run_wrk
from sitekit.child_process import run_python
from sitekit.gunicorn_server import APP, RunningServer, gunicorn_serving
from sitekit.production_env import production_env

PAGES = ("home", f"list, {config.SMALL_LIST_ITEMS} items")
SEED_BOOK_LIST = f"""
from lists.models import Item, List
new_list = List.objects.create()
for number in range({config.SMALL_LIST_ITEMS}):
    Item.objects.create(list=new_list, text=f"item {{number}}")
print(new_list.get_absolute_url())
"""


def copy_gunicorn_hooks(into: Path) -> None:
    """gunicorn.conf.py imports its server hooks from our app's package (the metrics' directory
    across workers); the book's package of the same name has none, so ours go beside its code,
    at the same place, and the book's app runs under exactly the same gunicorn settings."""
    for module in re.findall(r"^from (\S+) import", config.GUNICORN_CONF.read_text(), re.M):
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            raise RuntimeError(f"gunicorn.conf.py imports {module}, which is not importable")
        target = into / Path(*module.split(".")).with_suffix(".py")
        if not target.exists():
            shutil.copy(spec.origin, target)


@dataclass(frozen=True)
class App:
    name: str
    env: dict[str, str]
    src: Path  # where gunicorn runs it from
    directory: Path  # for its logs
    paths: dict[str, str]  # each page's


@contextlib.contextmanager
def book_app(book_src: Path) -> Iterator[App]:
    """The book's app, copied into a temporary directory (its database and static files go
    beside its code, as its settings say), migrated and seeded."""
    if not (book_src / "manage.py").is_file():
        raise SystemExit(f"{book_src} has no manage.py: name the book's src/ directory")
    with tempfile.TemporaryDirectory(prefix="superlists-book-") as name:
        src = Path(name) / "src"
        shutil.copytree(book_src, src, ignore=shutil.ignore_patterns("db.sqlite3", "static"))
        copy_gunicorn_hooks(src)
        env = production_env({}, DJANGO_SETTINGS_MODULE="superlists.settings")
        for drop in ("DATABASE_URL", "DJANGO_DB_PATH", "REDIS_URL"):
            env.pop(drop, None)
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            run_python(env, "manage.py", *command, "-v0", cwd=src)
        seeded = run_python(env, "manage.py", "shell", "-v0", "-c", SEED_BOOK_LIST, cwd=src)
        list_path = seeded.strip().splitlines()[-1]
        yield App("the book's", env, src, Path(name), {PAGES[0]: "/", PAGES[1]: list_path})


@contextlib.contextmanager
def both_apps(book_src: Path) -> Iterator[list[App]]:
    with throwaway_site() as site, book_app(book_src) as book:
        paths = {PAGES[0]: "/", PAGES[1]: site.seeded["list_small"]}
        yield [App("ours", site.env, config.SRC_DIR, site.directory, paths), book]


def requests_per_second(server: RunningServer, path: str, seconds: float) -> float:
    spec = LoadSpec(
        url=server.base_url + path,
        duration_s=seconds,
        connections=config.DEFAULT_CONNECTIONS,
        max_requests=config.MAX_REQUESTS_PER_RUN,
        headers=config.BROWSER_HEADERS,
    )
    result = run_wrk(spec)
    if result.unexpected(200):
        raise RuntimeError(f"{spec.url}: {result.statuses}, {result.socket_errors} socket errors")
    return result.requests_per_second


def rates(apps: list[App], rounds: int, seconds: float) -> dict[tuple[str, str], float]:
    """Each app's and page's median requests per second, both apps served at once, in rounds
    that alternate which goes first."""
    measured: dict[tuple[str, str], list[float]] = {}
    with contextlib.ExitStack() as servers:
        served = [
            (app, servers.enter_context(gunicorn_serving(app.env, cwd=app.src))) for app in apps
        ]
        for app, server in served:  # warm-up: imports, connections, templates
            for path in app.paths.values():
                requests_per_second(server, path, 1.0)
        for number in range(rounds):
            for app, server in served if number % 2 == 0 else served[::-1]:
                for page, path in app.paths.items():
                    rate = requests_per_second(server, path, seconds)
                    measured.setdefault((app.name, page), []).append(rate)
                    line = f"round {number + 1}, {app.name} {page}: {rate:,.0f} req/s"
                    print(f"[side by side] {line}", file=sys.stderr, flush=True)
    return {key: statistics.median(values) for key, values in measured.items()}


def instructions(apps: list[App], warm_up: int, requests: int) -> dict[tuple[str, str], float]:
    """Each app's and page's instructions per request (bench.instructions' count), as a rate:
    fewer instructions is more requests a second, so the same "ours / the book's" reads both."""
    counted: dict[tuple[str, str], float] = {}
    for app in apps:
        server = CallgrindServer(app.env, APP, app.directory, cwd=app.src)
        try:
            server.wait_until_answering()
            for page, path in app.paths.items():
                count = server.count(Request(page, path), warm_up, requests)
                counted[app.name, page] = 1e9 / count.instructions_per_request
                print(f"[side by side] {app.name} {page}: {count.instructions_per_request:,.0f}"
                      " instructions", file=sys.stderr, flush=True)  # fmt: skip
        finally:
            server.stop()
    return counted


def report(title: str, unit: str, measured: dict[tuple[str, str], float]) -> str:
    rows = []
    for page in PAGES:
        ours, book = measured["ours", page], measured["the book's", page]
        rows.append((page, f"{ours:,.0f}", f"{book:,.0f}", f"{ours / book:.2f}x"))
    return format_table(
        title, ["page", f"ours ({unit})", f"the book's ({unit})", "ours / book"], rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.book_side_by_side", description=__doc__)
    parser.add_argument("book_src", type=Path, help="the book's src/ (hjwp/book-example)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0, help="of load, per page and round")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions (callgrind), not req/s"
    )
    arguments = parser.parse_args(argv)
    with both_apps(arguments.book_src.resolve()) as apps:
        if arguments.instructions:
            counted = instructions(apps, warm_up=20, requests=50)
            print(report("Side by side with the book's app: 10^9 / instructions per request",
                         "per G instr.", counted))  # fmt: skip
        else:
            ensure_wrk()
            print(report("Side by side with the book's app: median req/s, same gunicorn",
                         "req/s", rates(apps, arguments.rounds, arguments.seconds)))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
