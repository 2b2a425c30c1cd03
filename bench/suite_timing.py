"""How long the test suites take, timed as a developer runs them (wall clock, whole command)."""

import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass

from bench import config

COUNTS_LINE = re.compile(r"(\d+) passed, (\d+) failed, (\d+) skipped")
SUITE_TIMEOUT_S = 1800
UNIT_TESTS = "unit tests"
LOCAL_FT_SUITE = "FT suite, local live server"
BOOK_FT_STORIES = "FT suite, local: the book's 8 stories"
BOOK_FT_STORIES_ONE_AT_A_TIME = "FT suite, local: the book's 8 stories, one at a time"
STAGING_FT_SUITE = "FT suite, against staging"
STAGING_BOOK_STORIES = "FT suite, against staging: the book's 8 stories"

# The book's eight user stories, the ones its FT-suite times (~16 s locally, 68-89 s against
# staging) are for: ours add stories the book does not have (bad, used and expired login links,
# CSP, plain text) and unit tests of the FT helpers.
BOOK_STORY_LABELS = [
    "functional_tests.test_layout_and_styling",
    "functional_tests.test_list_item_validation",
    "functional_tests.test_login.LoginTest.test_login_using_magic_link",
    "functional_tests.test_my_lists",
    "functional_tests.test_simple_list_creation.NewVisitorTest.test_can_start_a_todo_list",
    "functional_tests.test_simple_list_creation.NewVisitorTest"
    ".test_multiple_users_can_start_lists_at_different_urls",
]


@dataclass(frozen=True)
class SuiteTime:
    name: str
    seconds: float
    passed: int
    failed: int
    skipped: int
    exit_code: int


def outcome_counts(output: str) -> tuple[int, int, int]:
    """The counts of the project's test runner's last line: N passed, N failed, N skipped."""
    matches = COUNTS_LINE.findall(output)
    if not matches:
        return (0, 0, 0)
    passed, failed, skipped = (int(count) for count in matches[-1])
    return passed, failed, skipped


def time_suite(name: str, labels: list[str], env: Mapping[str, str] | None = None) -> SuiteTime:
    command = [sys.executable, str(config.SRC_DIR / "manage.py"), "test", *labels]
    started = time.monotonic()
    completed = subprocess.run(
        command,
        cwd=config.REPO_ROOT,
        env=dict(env if env is not None else os.environ),
        capture_output=True,
        text=True,
        timeout=SUITE_TIMEOUT_S,
    )
    seconds = time.monotonic() - started
    passed, failed, skipped = outcome_counts(completed.stdout + completed.stderr)
    return SuiteTime(name, round(seconds, 2), passed, failed, skipped, completed.returncode)


# As scripts/test runs them: the test classes side by side, one process (and browser) per core.
PARALLEL = "--parallel=auto"


def time_local_suites() -> list[SuiteTime]:
    return [
        time_suite(UNIT_TESTS, ["lists", "accounts", "superlists", "sitewide"]),
        time_suite(LOCAL_FT_SUITE, [PARALLEL, "functional_tests"]),
        time_suite(BOOK_FT_STORIES, [PARALLEL, *BOOK_STORY_LABELS]),
        time_suite(BOOK_FT_STORIES_ONE_AT_A_TIME, BOOK_STORY_LABELS),
    ]
