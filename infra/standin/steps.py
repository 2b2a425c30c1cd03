"""Run a list of named steps, saying what each does, how long it took, and how to fix a failure."""

import subprocess
import sys
import time
from collections.abc import Callable, Sequence

PREFIX = "[standin]"


class StepFailed(Exception):
    """A step could not do its job; the message says what went wrong and what to do about it."""


def say(message: str) -> None:
    print(f"{PREFIX}   {message}", flush=True)


def run_steps(steps: Sequence[Callable[[], str]], then: str) -> None:
    """Run each step in order; each returns a one-line summary of what it found or did.

    On the first failure, print the step's name and the fix, and exit with status 1.
    `then` is what to do after fixing it (e.g. run `up` again, which repairs).
    """
    for step in steps:
        name = step.__name__
        print(f"{PREFIX} {name} …", flush=True)
        started = time.monotonic()
        try:
            summary = step()
        except (StepFailed, subprocess.CalledProcessError, OSError) as error:
            elapsed = time.monotonic() - started
            print(f"{PREFIX} {name} … FAILED ({elapsed:.1f} s)", file=sys.stderr, flush=True)
            print(f"{PREFIX}   {error}", file=sys.stderr, flush=True)
            print(f"{PREFIX}   Fix that, then {then}", file=sys.stderr, flush=True)
            sys.exit(1)
        elapsed = time.monotonic() - started
        print(f"{PREFIX} {name} … ok ({elapsed:.1f} s): {summary}", flush=True)
