"""`python -m bench.instructions`: CPU instructions per request, counted by callgrind.

Requests per second swing ±25 % on a shared 2-core machine; the instructions a gunicorn worker
executes per request do not (runs agree within ~2 %), whatever else the machine is doing. So
each page is counted here, as a share of the ceiling's count, beside the req/s shares of
``python -m bench``. The same throwaway site, settings, gunicorn file and requests as the
benchmark (a new visitor with no cookies; My Lists with the owner's session; the POST with a
visitor's CSRF cookie and token, a new item each time), but one worker, run under valgrind:

1. valgrind starts gunicorn with callgrind's instrumentation off (start-up takes seconds, not
   minutes);
2. each page is asked for ``--warm-up`` times (imports, connections, compiled templates);
3. callgrind_control turns instrumentation on and zeroes the worker's counters, the page is
   asked for ``--requests`` times, one request after another, each checked for the page's
   normal status; the counters are dumped, and their total divided by the requests.

What it counts is everything the worker's process executes for those requests (gunicorn's
parsing and access log, Django, the app, SQLite, the C library), not the kernel's work nor the
client's; so a page's share here is lower than its req/s share, where both the ceiling and the
page also pay the kernel's and wrk's cost of each request. Needs valgrind
(``apt-get install -y valgrind``).
"""

import argparse
import contextlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bench import config
from bench.floor_app import MIDDLEWARE_ONLY_PATH, WITH_CSRF_TOKEN_PATH
from bench.http_benchmark import CEILING_APP, FLOOR_SETTINGS
from bench.tables import format_table
from bench.throwaway_site import Site, throwaway_site
from sitekit.gunicorn_server import APP, gunicorn_command
from sitekit.loopback import free_port, require_loopback
from sitekit.web_client import WebClient

START_TIMEOUT_S = 300.0
REQUEST_TIMEOUT_S = 120.0
CEILING = "ceiling"


@dataclass(frozen=True)
class Request:
    name: str
    path: str
    method: str = "GET"
    cookie: str = ""
    body_prefix: str = ""  # a POST's form: this, then something new each time
    expected_status: int = 200


@dataclass(frozen=True)
class Count:
    name: str
    instructions_per_request: float


class UnexpectedAnswer(RuntimeError):
    pass


class CallgrindServer:
    """gunicorn with production's settings but one worker, under callgrind, instrumentation off
    until a count; on a free loopback port. Its log and callgrind's dumps go to ``directory``."""

    def __init__(
        self, env: Mapping[str, str], application: str, directory: Path, cwd: Path = config.SRC_DIR
    ) -> None:
        self.port = free_port()
        self.base_url = f"http://{config.BIND_HOST}:{self.port}"
        require_loopback(self.base_url)
        self.directory = directory
        self.log = (directory / f"callgrind-{self.port}.log").open("wb")
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", "--trace-children=yes",
            f"--callgrind-out-file={directory}/callgrind.out.%p",
            *gunicorn_command(f"{config.BIND_HOST}:{self.port}", application),
            # After the file's settings, so these win: one worker, never timed out (valgrind
            # makes it many times slower).
            "--workers", "1", "--timeout", "0",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=cwd, env=dict(env), stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn under valgrind exited: see {self.log.name}")
            with contextlib.suppress(OSError):
                self.send(Request("probe", "/"), 0)
                return
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn under valgrind did not answer: see {self.log.name}")

    def worker_pid(self) -> int:
        pid = self.process.pid
        workers = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if len(workers) != 1:
            raise RuntimeError(f"expected one gunicorn worker, found {workers}")
        return int(workers[0])

    def send(self, request: Request, number: int) -> int:
        """Send ``request`` (the ``number``th of its kind); its answer's status."""
        connection = http.client.HTTPConnection(
            config.BIND_HOST, self.port, timeout=REQUEST_TIMEOUT_S
        )
        try:
            headers = dict(config.BROWSER_HEADERS)
            if request.cookie:
                headers["Cookie"] = request.cookie
            body = None
            if request.method == "POST":
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                body = f"{request.body_prefix}{os.getpid()}-{time.monotonic_ns()}-{number}"
            connection.request(request.method, request.path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def send_checked(self, request: Request, number: int) -> None:
        status = self.send(request, number)
        if status != request.expected_status:
            raise UnexpectedAnswer(
                f"{request.name}: HTTP {status}, not {request.expected_status} "
                f"({request.method} {request.path}); see {self.log.name}"
            )

    def control(self, *arguments: str) -> None:
        subprocess.run(
            ["callgrind_control", *arguments, str(self.worker_pid())],
            check=True,
            capture_output=True,
            timeout=REQUEST_TIMEOUT_S,
        )

    def count(self, request: Request, warm_up: int, requests: int) -> Count:
        for number in range(warm_up):
            self.send_checked(request, number)
        self.control("--instr=on")
        self.send_checked(request, warm_up)  # what turning it on costs is not counted
        self.control("--zero")
        for number in range(warm_up + 1, warm_up + 1 + requests):
            self.send_checked(request, number)
        worker = self.worker_pid()
        self.control("--dump")
        self.control("--instr=off")
        dumps = self.directory.glob(f"callgrind.out.{worker}.*")
        latest = max(dumps, key=lambda path: int(path.suffix.lstrip(".")))
        return Count(request.name, total_instructions(latest.read_text()) / requests)

    def stop(self) -> None:
        """Stop the gunicorn master we started (it stops its worker), by its pid only."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def total_instructions(dump: str) -> int:
    """The instructions a callgrind dump counted in all (its ``summary:`` or ``totals:``)."""
    match = re.search(r"^(?:summary|totals): (\d+)", dump, re.MULTILINE)
    if match is None:
        raise ValueError("no summary or totals line in the callgrind dump")
    return int(match.group(1))


@contextlib.contextmanager
def callgrind_serving(
    site: Site, application: str, settings_module: str = ""
) -> Iterator[CallgrindServer]:
    env = dict(site.env)
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    server = CallgrindServer(env, application, site.directory)
    try:
        server.wait_until_answering()
        yield server
    finally:
        server.stop()


def app_requests(site: Site, base_url: str) -> list[Request]:
    """The benchmark's pages (bench.http_benchmark.app_pages), but for the static file."""
    seeded = site.seeded
    post_target = seeded["list_for_posts"]
    with WebClient(base_url, timeout=REQUEST_TIMEOUT_S) as visitor:
        form_page = visitor.get(post_target)
        csrf_token, cookie = visitor.csrf_token(form_page), visitor.cookie_header()
    return [
        Request("home", "/"),
        Request(f"list, {config.SMALL_LIST_ITEMS} items", seeded["list_small"]),
        Request(f"list, {config.LARGE_LIST_ITEMS} items", seeded["list_large"]),
        Request(
            f"My Lists, {config.MANY_LISTS} lists",
            seeded["my_lists_many"],
            cookie=seeded["my_lists_many_cookie"],
        ),
        Request(
            "add item (POST)",
            post_target,
            method="POST",
            cookie=cookie,
            body_prefix=f"csrfmiddlewaretoken={csrf_token}&text=bench-item-",
            expected_status=302,
        ),
    ]


def count_all(
    site: Site, warm_up: int, requests: int, only: list[str], progress: bool = True
) -> list[Count]:
    """The ceiling, then the floor's two pages, then the app's pages (those whose name contains
    one of ``only``, if given)."""
    counts: list[Count] = []

    def counted(count: Count) -> None:
        if progress:
            print(f"[instructions] {count.name}: {count.instructions_per_request:,.0f}",
                  file=sys.stderr, flush=True)  # fmt: skip
        counts.append(count)

    def wanted(request: Request) -> bool:
        return not only or any(word in request.name for word in only)

    with callgrind_serving(site, CEILING_APP) as server:
        counted(server.count(Request(CEILING, "/"), warm_up, requests))
    floor = [
        Request("floor: our middleware", MIDDLEWARE_ONLY_PATH),
        Request("floor: + a CSRF token", WITH_CSRF_TOKEN_PATH),
    ]
    if any(map(wanted, floor)):
        with callgrind_serving(site, APP, FLOOR_SETTINGS) as server:
            for request in filter(wanted, floor):
                counted(server.count(request, warm_up, requests))
    with callgrind_serving(site, APP) as server:
        for request in filter(wanted, app_requests(site, server.base_url)):
            counted(server.count(request, warm_up, requests))
    return counts


def report(counts: list[Count]) -> str:
    ceiling = counts[0].instructions_per_request
    rows = [
        (
            count.name,
            f"{count.instructions_per_request / 1e6:.2f} M",
            f"{ceiling / count.instructions_per_request:.3f}",
        )
        for count in counts
    ]
    return format_table(
        "Instructions per request (callgrind, one gunicorn worker)",
        ["request", "instructions", "share of the ceiling"],
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__)
    parser.add_argument("--warm-up", type=int, default=20, help="requests before counting")
    parser.add_argument("--requests", type=int, default=50, help="requests counted per page")
    parser.add_argument(
        "--only", action="append", default=[], help="pages whose name contains this (repeatable)"
    )
    arguments = parser.parse_args(argv)
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("valgrind is missing: apt-get install -y valgrind", file=sys.stderr)
        return 2
    with throwaway_site() as site:
        counts = count_all(site, arguments.warm_up, arguments.requests, arguments.only)
    print(report(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
