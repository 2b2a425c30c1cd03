"""The tables printed at the end of a run, each made from the run's saved JSON."""

from typing import Any

from bench.tables import format_table
from bench.targets import TargetCheck


def percent(fraction: float | None) -> str:
    return "-" if fraction is None else f"{fraction:.0%}"


def machine_table(machine: dict[str, Any]) -> str:
    return format_table(
        "Machine", ["what", "value"], [[key, value] for key, value in machine.items()]
    )


def http_table(http: dict[str, Any]) -> str:
    ceiling = http["ceiling"]
    rows = [
        [
            "ceiling, first / last",
            f"{ceiling['first']['requests_per_second']:,.0f} / "
            f"{ceiling['last']['requests_per_second']:,.0f}",
            "100%",
            f"{ceiling['first']['p50_ms']:.1f}",
            f"{ceiling['first']['p99_ms']:.1f}",
            ceiling["first"]["non_2xx"] + ceiling["last"]["non_2xx"],
            "-",
            ceiling["first"]["requests"] + ceiling["last"]["requests"],
        ]
    ]
    for page in http["pages"]:
        rows.append(
            [
                page["page"],
                f"{page['requests_per_second']:,.0f}",
                percent(page["fraction_of_ceiling"]),
                f"{page['p50_ms']:.1f}",
                f"{page['p99_ms']:.1f}",
                page["non_2xx"],
                page["unexpected_status"],
                page["requests"],
            ]
        )
    title = (
        f"HTTP under production's gunicorn.conf.py (ceiling drift between its two runs: "
        f"{ceiling['drift']:.0%})"
    )
    headers = [
        "page",
        "req/s",
        "of ceiling",
        "p50 ms",
        "p99 ms",
        "non-2xx",
        "unexpected",
        "requests",
    ]
    return format_table(title, headers, rows)


def static_table(static: dict[str, Any]) -> str:
    rows = [[name, value] for name, value in static.items()]
    return format_table("The largest static file, as served", ["check", "value"], rows)


def queries_table(queries: list[dict[str, Any]]) -> str:
    rows = [
        [row["page"], row["sizes"], row["small"], row["large"], "yes" if row["constant"] else "NO"]
        for row in queries
    ]
    return format_table(
        "Queries per request", ["page", "data sizes", "small", "large", "constant?"], rows
    )


def tests_table(suites: list[dict[str, Any]]) -> str:
    rows = [
        [
            suite["name"],
            f"{suite['seconds']:.1f}",
            suite["passed"],
            suite["failed"],
            suite["skipped"],
        ]
        for suite in suites
    ]
    return format_table(
        "Test-suite times (wall clock)", ["suite", "seconds", "passed", "failed", "skipped"], rows
    )


def staging_table(staging: dict[str, Any]) -> str:
    rows = [
        ["bring-up, cold (down --purge, then up)", staging["bring_up_cold_s"]],
        ["bring-up, warm (up again)", staging["bring_up_warm_s"]],
        ["login email: send to in the test's hands", staging["login_email_s"]],
        ["FT suite against staging", staging["ft_suite"]["seconds"]],
        ["the book's 8 stories against staging", staging.get("book_stories", {}).get("seconds")],
    ]
    return format_table("Staging (stand-in host)", ["step", "seconds"], rows)


def profile_table(profile: dict[str, Any]) -> str:
    rows = [[part, percent(share)] for part, share in profile["shares_by_part"]]
    rows += [["  in " + frame, percent(share)] for frame, share in profile["top_app_frames"][:5]]
    return format_table(
        f"Where the list page's time goes ({profile['samples']} py-spy samples)",
        ["part of the stack (innermost known frame)", "share"],
        rows,
    )


def targets_table(checks: list[TargetCheck]) -> str:
    rows = [[check.target, check.goal, check.measured, check.verdict] for check in checks]
    return format_table("Targets (issue 7)", ["target", "goal", "measured", "verdict"], rows)


def full_report(results: dict[str, Any], checks: list[TargetCheck]) -> str:
    sections = [machine_table(results["machine"])]
    if "http" in results:
        sections += [
            http_table(results["http"]),
            static_table(results["http"]["static_file_checks"]),
        ]
    if "profile" in results:
        sections.append(profile_table(results["profile"]))
    if "queries" in results:
        sections.append(queries_table(results["queries"]))
    if "tests" in results:
        sections.append(tests_table(results["tests"]))
    if isinstance(results.get("staging"), dict):
        sections.append(staging_table(results["staging"]))
    sections.append(targets_table(checks))
    return "\n".join(sections)
