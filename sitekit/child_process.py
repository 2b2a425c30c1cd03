"""The benchmark's Python child processes (manage.py, its own measuring modules, the stand-in):
each run to its end, its output returned, or an error that shows that output."""

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from sitekit import config

TIMEOUT_S = 600


class ChildProcessFailed(RuntimeError):
    pass


def run_python(
    env: Mapping[str, str], *arguments: str, cwd: Path = config.SRC_DIR, timeout: float = TIMEOUT_S
) -> str:
    """``python ARGUMENTS`` in ``env``, from ``cwd`` (src/, as in the image); its output."""
    completed = subprocess.run(
        [sys.executable, *arguments],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if completed.returncode != 0:
        raise ChildProcessFailed(
            f"python {' '.join(arguments)} failed:\n{completed.stdout}\n{completed.stderr}"
        )
    return completed.stdout


def run_django_module(env: Mapping[str, str], module: str, *arguments: str) -> object:
    """Run ``python -m module`` in ``env``; return the JSON it prints last."""
    output = run_python(env, "-m", module, *arguments)
    return json.loads(output.strip().splitlines()[-1])
