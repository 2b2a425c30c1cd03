"""A production-mode Superlists in a temporary directory: its env, database, static files, data.

Nothing it makes outlives the run: the database, the collected static files and the server logs
all live in one temporary directory that is deleted at the end.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import config
from loadtest.servers import production_env


class SiteStepFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Site:
    directory: Path
    env: dict[str, str]
    static_root: Path
    seeded: dict[str, str]


def site_env(directory: Path) -> dict[str, str]:
    """Production mode with throwaway values (the load test's environment, one home for it),
    SQLite and the static files in ``directory``, and ``src`` and the repo importable."""
    return production_env(
        {"DJANGO_DB_PATH": str(directory / "db.sqlite3")},
        DJANGO_SETTINGS_MODULE=config.ISOLATED_SETTINGS,
        BENCH_STATIC_ROOT=str(directory / "static"),
        PYTHONPATH=os.pathsep.join([str(config.SRC_DIR), str(config.REPO_ROOT)]),
        PYTHONDONTWRITEBYTECODE="1",
    )


def run_step(command: list[str], env: dict[str, str], cwd: Path, what: str) -> str:
    completed = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SiteStepFailed(f"{what} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed.stdout


def run_manage(env: dict[str, str], *arguments: str) -> str:
    command = [sys.executable, str(config.SRC_DIR / "manage.py"), *arguments]
    return run_step(command, env, config.SRC_DIR, f"manage.py {' '.join(arguments)}")


def run_django_module(env: dict[str, str], module: str, *arguments: str) -> object:
    """Run ``python -m module`` in the site's environment; return the JSON it prints last."""
    command = [sys.executable, "-m", module, *arguments]
    output = run_step(command, env, config.REPO_ROOT, f"python -m {module}")
    return json.loads(output.strip().splitlines()[-1])


@contextlib.contextmanager
def throwaway_site() -> Iterator[Site]:
    with tempfile.TemporaryDirectory(prefix="superlists-bench-") as name:
        directory = Path(name)
        env = site_env(directory)
        run_manage(env, "migrate", "--noinput")
        run_manage(env, "collectstatic", "--noinput")
        seeded = run_django_module(env, "bench.seed")
        assert isinstance(seeded, dict)
        yield Site(directory=directory, env=env, static_root=directory / "static", seeded=seeded)
