"""The benchmark's load generator: wrk (Debian's package), with bench/lua/measure.lua, which
prints one JSON line. Installed with apt-get when missing, as the project's scripts install
their tools (scripts/setup.sh)."""

import json
import os
import shutil
import subprocess

from bench import config
from bench.load_spec import LoadResult, LoadSpec
from sitekit.loopback import require_loopback

RESULT_MARKER = "BENCH_RESULT "
INSTALL_TIMEOUT_S = 600


class WrkFailed(RuntimeError):
    pass


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def ensure_wrk() -> str:
    """wrk on PATH: installed with apt-get if it is missing and we are root; else an error
    saying how to install it. Returns what was done, for the progress line."""
    if wrk_available():
        return "wrk is installed"
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise WrkFailed("the benchmark needs wrk: run 'sudo apt-get install -y wrk' and try again")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        completed = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S
        )
        if completed.returncode != 0:
            raise WrkFailed(
                f"{' '.join(command)} failed ({completed.returncode}); install wrk "
                f"('apt-get install -y wrk') and try again:\n{completed.stderr.strip()}"
            )
    return "installed wrk with apt-get"


def wrk_version() -> str:
    if not wrk_available():
        return "not installed"
    completed = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10)
    first_line = (completed.stdout or completed.stderr).splitlines()[:1]
    return first_line[0].split(" Copyright")[0] if first_line else "unknown"


def wrk_command(spec: LoadSpec) -> list[str]:
    require_loopback(spec.url)
    header_options = [
        part for name, value in spec.headers.items() for part in ("-H", f"{name}: {value}")
    ]
    return [
        "wrk",
        "--threads", str(config.LOAD_THREADS),
        "--connections", str(spec.connections),
        "--duration", f"{max(spec.duration_s, 1):.0f}s",
        "--timeout", "5s",
        "--script", str(config.LUA_SCRIPT),
        *header_options,
        spec.url,
        "--",
        spec.method,
        str(max(spec.max_requests // config.LOAD_THREADS, 1)),
        spec.body_prefix,
    ]  # fmt: skip


def run_wrk(spec: LoadSpec) -> LoadResult:
    """One bounded load with wrk: ``spec``'s duration, at most its number of requests."""
    # wrk stops by itself after --duration; the timeout is only a backstop if it hangs.
    completed = subprocess.run(
        wrk_command(spec),
        capture_output=True,
        text=True,
        timeout=spec.duration_s + config.LOAD_TIMEOUT_GRACE_S,
    )
    if completed.returncode != 0:
        raise WrkFailed(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    return parse_wrk_output(completed.stdout)


def parse_wrk_output(output: str) -> LoadResult:
    for line in output.splitlines():
        if line.startswith(RESULT_MARKER):
            data = json.loads(line.removeprefix(RESULT_MARKER))
            errors = data["errors"]
            return LoadResult(
                requests=data["requests"],
                duration_s=data["duration_us"] / 1_000_000,
                p50_ms=data["p50_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                statuses={int(status): count for status, count in data["statuses"].items()},
                socket_errors=sum(errors.values()),
                generator="wrk",
            )
    raise WrkFailed(f"wrk printed no {RESULT_MARKER.strip()} line:\n{output}")
