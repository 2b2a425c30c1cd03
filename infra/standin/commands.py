"""Run external commands, turning a failure into a StepFailed that quotes the command's output."""

import os
import shlex
import subprocess
from collections.abc import Mapping, Sequence

from .steps import StepFailed


def run(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    input: bytes | None = None,
    timeout: float | None = 600,
    fix: str = "",
) -> str:
    """Run `argv` to completion and return its stdout; raise StepFailed naming `fix` if it fails."""
    try:
        completed = subprocess.run(
            argv,
            input=input,
            capture_output=True,
            env=None if env is None else {**os.environ, **env},
            timeout=timeout,
        )
    except FileNotFoundError as error:
        raise StepFailed(f"`{argv[0]}` is not installed ({error}). {fix}".strip()) from None
    except subprocess.TimeoutExpired:
        raise StepFailed(
            f"`{shlex.join(argv)}` took more than {timeout} s. {fix}".strip()
        ) from None
    if completed.returncode != 0:
        output = (completed.stderr or completed.stdout).decode(errors="replace").strip()
        last_lines = "\n    ".join(output.splitlines()[-15:])
        raise StepFailed(
            f"`{shlex.join(argv)}` exited with {completed.returncode}:\n    {last_lines}\n  {fix}"
        )
    return completed.stdout.decode(errors="replace")
