"""`python -m bench`: measure Superlists and print each section as a table; save it all as JSON.

Steps: describe the machine; set up a throwaway production site; measure HTTP (the ceiling,
every page, the ceiling again; optionally under py-spy), then queries per request; time the
test suites; with --staging only, the stand-in staging host; check the targets; save the JSON.
"""

import argparse
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import config
from bench.http_benchmark import LoadOptions, measure_http
from bench.machine import describe_machine, load_average
from bench.profiling import find_py_spy, profile_under_load
from bench.report import full_report
from bench.staging import measure_staging
from bench.suite_timing import time_local_suites
from bench.targets import check_targets
from bench.throwaway_site import Site, throwaway_site
from bench.wrk import ensure_wrk
from sitekit.child_process import run_django_module
from sitekit.gunicorn_server import RunningServer

SECTIONS = ("http", "queries", "tests", "staging")


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--only", action="append", choices=SECTIONS, help="run only this section (repeatable)"
    )
    parser.add_argument(
        "--staging", action="store_true",
        help="also measure the stand-in staging host: purges and brings it up (minutes)",
    )  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 s loads, no test suites")
    parser.add_argument("--duration", type=float, help="seconds of load per page (default 5)")
    parser.add_argument("--connections", type=int, default=config.DEFAULT_CONNECTIONS)
    parser.add_argument("--profile", action="store_true", help="py-spy the list page under load")
    parser.add_argument("--py-spy", help="path of py-spy (default: on PATH or next to python)")
    return parser.parse_args(argv)


def chosen_sections(arguments: argparse.Namespace) -> set[str]:
    if arguments.only:
        return set(arguments.only)
    sections = {"http", "queries"} if arguments.quick else {"http", "queries", "tests"}
    return sections | ({"staging"} if arguments.staging else set())


def load_options(arguments: argparse.Namespace) -> LoadOptions:
    default = config.QUICK_DURATION_S if arguments.quick else config.DEFAULT_DURATION_S
    return LoadOptions(duration_s=arguments.duration or default, connections=arguments.connections)


# --- the steps ----------------------------------------------------------------------------------
def measure_site(site: Site, arguments: argparse.Namespace, sections: set[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    if "http" in sections:
        progress(ensure_wrk())
        options = load_options(arguments)
        progress(f"HTTP: {options.duration_s:g} s per page, {options.connections} connections")
        profiler = make_profiler(arguments, site, results, options)
        results["http"] = measure_http(site, options, progress, profiler).as_json()
    if "queries" in sections:
        progress("queries per request")
        static_path = (
            results.get("http", {}).get("pages", [{}])[-1].get("path", "/static/favicon.svg")
        )
        results["queries"] = run_django_module(
            site.env, "bench.queries", json.dumps(site.seeded), static_path
        )
    return results


def make_profiler(
    arguments: argparse.Namespace, site: Site, results: dict[str, Any], options: LoadOptions
) -> Any:
    if not arguments.profile:
        return None
    py_spy = find_py_spy(arguments.py_spy)
    if py_spy is None:
        progress("no py-spy found: skipping the profile (pass --py-spy PATH)")
        return None

    def profile(server: RunningServer, load: Any) -> None:
        progress("profiling the list page under load with py-spy")
        output = site.directory / "list-page.collapsed"
        results["profile"] = profile_under_load(
            py_spy, server.pid, options.duration_s, output, load
        )
        kept = config.RESULTS_DIR / f"profile-{timestamp()}.collapsed"
        config.RESULTS_DIR.mkdir(exist_ok=True)
        if output.exists():
            kept.write_bytes(output.read_bytes())
            results["profile"]["collapsed_stacks"] = str(kept.relative_to(config.REPO_ROOT))

    return profile


def time_test_suites() -> list[dict[str, Any]]:
    progress("timing the unit tests and the local FT suite")
    return [asdict(suite) for suite in time_local_suites()]


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def save_results(results: dict[str, Any]) -> Path:
    config.RESULTS_DIR.mkdir(exist_ok=True)
    path = config.RESULTS_DIR / f"{timestamp()}.json"
    text = json.dumps(results, indent=2)
    path.write_text(text)
    (config.RESULTS_DIR / "latest.json").write_text(text)
    return path


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    sections = chosen_sections(arguments)
    results: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sections": sorted(sections),
        "machine": describe_machine(),
        "book_reference": config.BOOK_REFERENCE,
    }
    if sections & {"http", "queries"}:
        progress("setting up a throwaway production site (migrate, collectstatic, seed)")
        with throwaway_site() as site:
            results |= measure_site(site, arguments, sections)
    if "tests" in sections:
        results["tests"] = time_test_suites()
    if "staging" in sections:
        results["staging"] = measure_staging(progress)
    else:
        results["staging"] = "not run: pass --staging (or --only staging) to measure it"
    results["machine"]["load_average_at_end"] = load_average()
    checks = check_targets(results)
    results["targets"] = [asdict(check) for check in checks]
    print(full_report(results, checks))
    print(f"\nSaved {save_results(results).relative_to(config.REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
