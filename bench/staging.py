"""The measurements that need the stand-in staging host. Run only when asked (--staging).

Each step runs `python -m infra.standin ...` exactly as an operator would: bring-up from
nothing (down --purge, then up), bring-up again with everything in place (up), then the FT suite
against staging and the login email's round trip. The host is left up, as `up` leaves it.
"""

import os
import shlex
import time
from collections.abc import Callable

from bench import config
from bench.suite_timing import (
    BOOK_STORY_LABELS,
    PARALLEL,
    STAGING_BOOK_STORIES,
    STAGING_FT_SUITE,
    SuiteTime,
    time_suite,
)
from infra.standin import operator_env
from sitekit.child_process import run_django_module, run_python

BRING_UP_TIMEOUT_S = 3600


def standin(*arguments: str) -> str:
    """`python -m infra.standin ARGUMENTS`, from the repository's root as an operator runs it."""
    return run_python(
        os.environ,
        "-m",
        "infra.standin",
        *arguments,
        cwd=config.REPO_ROOT,
        timeout=BRING_UP_TIMEOUT_S,
    )


def timed(step: Callable[[], object]) -> float:
    started = time.monotonic()
    step()
    return round(time.monotonic() - started, 1)


def parse_export_lines(text: str) -> dict[str, str]:
    """The variables of `export NAME=VALUE` lines (values shell-quoted), as `env` prints them."""
    variables = {}
    for line in text.splitlines():
        words = shlex.split(line)
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            name, _, value = words[1].partition("=")
            variables[name] = value
    return variables


def staging_env() -> dict[str, str]:
    standin("env")  # writes the variables to its file, and prints only their names
    variables = parse_export_lines(operator_env.ENV_FILE.read_text())
    return {**os.environ, **variables, "TEST_SERVER": variables["STAGING_HOST"]}


def bring_up_cold() -> float:
    standin("down", "--purge")
    return timed(lambda: standin("up"))


def bring_up_warm() -> float:
    return timed(lambda: standin("up"))


def ft_suites_on_staging(env: dict[str, str]) -> tuple[SuiteTime, SuiteTime]:
    return (
        time_suite(STAGING_FT_SUITE, [PARALLEL, "functional_tests"], env),
        time_suite(STAGING_BOOK_STORIES, [PARALLEL, *BOOK_STORY_LABELS], env),
    )


def login_email_seconds(env: dict[str, str]) -> float:
    result = run_django_module(env, "bench.login_email")
    assert isinstance(result, dict)
    return float(result["seconds"])


def measure_staging(progress: Callable[[str], None]) -> dict[str, object]:
    cold = bring_up_cold()
    progress(f"bring-up, cold: {cold} s")
    warm = bring_up_warm()
    progress(f"bring-up, warm: {warm} s")
    env = staging_env()
    email = login_email_seconds(env)
    progress(f"login email in the test's hands after {email} s")
    suite, book_stories = ft_suites_on_staging(env)
    progress(f"{suite.name}: {suite.seconds} s; {book_stories.name}: {book_stories.seconds} s")
    return {
        "bring_up_cold_s": cold,
        "bring_up_warm_s": warm,
        "login_email_s": email,
        "ft_suite": suite.__dict__,
        "book_stories": book_stories.__dict__,
    }
