"""A production-mode Superlists in a temporary directory: its env, database, static files, data.

Nothing it makes outlives the run: the database, the collected static files and the server logs
all live in one temporary directory that is deleted at the end.
"""

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import config
from sitekit.child_process import run_django_module
from sitekit.production_env import prepare, production_env


@dataclass(frozen=True)
class Site:
    directory: Path
    env: dict[str, str]
    static_root: Path
    seeded: dict[str, str]


def site_env(directory: Path) -> dict[str, str]:
    """Production mode with throwaway values (the load test's environment, one home for it),
    and SQLite and the static files in ``directory``. The project is importable through the
    venv's .pth (scripts/setup.sh), so nothing is added to PYTHONPATH."""
    return production_env(
        {"DJANGO_DB_PATH": str(directory / "db.sqlite3")},
        DJANGO_SETTINGS_MODULE=config.ISOLATED_SETTINGS,
        BENCH_STATIC_ROOT=str(directory / "static"),
        PYTHONDONTWRITEBYTECODE="1",
    )


@contextlib.contextmanager
def throwaway_site() -> Iterator[Site]:
    with tempfile.TemporaryDirectory(prefix="superlists-bench-") as name:
        directory = Path(name)
        env = site_env(directory)
        prepare(env)
        seeded = run_django_module(env, "bench.seed")
        assert isinstance(seeded, dict)
        yield Site(directory=directory, env=env, static_root=directory / "static", seeded=seeded)
