"""The issue's targets, checked against one run's results (the JSON that run saves)."""

from dataclasses import dataclass
from typing import Any

from bench import config
from bench.http_benchmark import HOME, LIST_SMALL
from bench.queries import MY_LISTS
from bench.suite_timing import BOOK_FT_STORIES

MET, NOT_MET, NOT_MEASURED = "met", "NOT met", "not measured"


@dataclass(frozen=True)
class TargetCheck:
    target: str
    goal: str
    measured: str
    verdict: str


def verdict(ok: bool) -> str:
    return MET if ok else NOT_MET


def fraction_of_ceiling(results: dict[str, Any], page_name: str) -> float | None:
    for page in results.get("http", {}).get("pages", []):
        if page["page"] == page_name:
            return page["fraction_of_ceiling"]
    return None


def ceiling_check(results: dict[str, Any], page_name: str, goal: float) -> TargetCheck:
    fraction = fraction_of_ceiling(results, page_name)
    name = f"{page_name}: share of the ceiling's req/s"
    if fraction is None:
        return TargetCheck(name, f">= {goal:.0%}", "-", NOT_MEASURED)
    return TargetCheck(name, f">= {goal:.0%}", f"{fraction:.0%}", verdict(fraction >= goal))


def query_checks(results: dict[str, Any]) -> list[TargetCheck]:
    counts = results.get("queries")
    constant_name = "constant query count on every page"
    my_lists_name = "My Lists: queries, whatever the number of lists"
    my_lists_goal = f"<= {config.TARGETS['my_lists_max_queries']}"
    if not counts:
        return [
            TargetCheck(constant_name, "yes", "-", NOT_MEASURED),
            TargetCheck(my_lists_name, my_lists_goal, "-", NOT_MEASURED),
        ]
    growing = [row["page"] for row in counts if not row["constant"]]
    my_lists = next(row for row in counts if row["page"] == MY_LISTS)
    most = max(my_lists["small"], my_lists["large"])
    return [
        TargetCheck(
            constant_name, "yes", "yes" if not growing else "grows: " + ", ".join(growing),
            verdict(not growing),
        ),
        TargetCheck(
            my_lists_name, my_lists_goal, str(most),
            verdict(most <= config.TARGETS["my_lists_max_queries"]),
        ),
    ]  # fmt: skip


def static_check(results: dict[str, Any]) -> TargetCheck:
    name = "static files: compressed, far-future cache, hashed names"
    static = results.get("http", {}).get("static_file_checks")
    if not static:
        return TargetCheck(name, "all three", "-", NOT_MEASURED)
    measured = (
        f"{static['content_encoding']}, {static['cache_control']}, "
        f"hashed: {'yes' if static['hashed'] else 'no'}"
    )
    return TargetCheck(name, "all three", measured, verdict(static["all_met"]))


def seconds_check(name: str, seconds: float | None, goal: float) -> TargetCheck:
    if seconds is None:
        return TargetCheck(name, f"<= {goal:.1f} s", "-", NOT_MEASURED)
    return TargetCheck(name, f"<= {goal:.1f} s", f"{seconds:.1f} s", verdict(seconds <= goal))


def suite_seconds(results: dict[str, Any], suite_name: str) -> float | None:
    for suite in results.get("tests", []):
        if suite["name"] == suite_name and suite["exit_code"] == 0:
            return suite["seconds"]
    return None


def check_targets(results: dict[str, Any]) -> list[TargetCheck]:
    staging = results.get("staging")
    staging = staging if isinstance(staging, dict) else {}
    staging_suite = staging.get("book_stories") or {}
    staging_whole_suite = staging.get("ft_suite") or {}
    return [
        ceiling_check(results, LIST_SMALL, config.TARGETS["list_20_fraction_of_ceiling"]),
        ceiling_check(results, HOME, config.TARGETS["home_fraction_of_ceiling"]),
        *query_checks(results),
        static_check(results),
        seconds_check(
            "email in the test's hands after sending",
            staging.get("login_email_s"),
            config.TARGETS["email_seconds"],
        ),
        seconds_check(
            "FT suite, local: the book's 8 stories",
            suite_seconds(results, BOOK_FT_STORIES),
            config.TARGETS["local_ft_suite_seconds"],
        ),
        seconds_check(
            "FT suite, against staging: the book's 8 stories",
            passed_suite_seconds(staging_suite),
            config.TARGETS["staging_ft_suite_seconds"],
        ),
        seconds_check(
            "FT suite, against staging: all of it",
            passed_suite_seconds(staging_whole_suite),
            config.TARGETS["staging_whole_ft_suite_seconds"],
        ),
    ]


def passed_suite_seconds(suite: dict[str, Any]) -> float | None:
    return suite.get("seconds") if suite.get("exit_code") == 0 else None
