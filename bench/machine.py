"""The machine and the versions a run was measured with, and how busy the machine was."""

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from bench import config
from bench.wrk import wrk_version


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def measured_code() -> dict[str, object]:
    """Which code was measured: the commit, and whether the working tree had changes."""

    def git(*arguments: str) -> str:
        completed = subprocess.run(
            ["git", *arguments], cwd=config.REPO_ROOT, capture_output=True, text=True, timeout=30
        )
        return completed.stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(
            git("status", "--porcelain", "--", "src", "Dockerfile", "gunicorn.conf.py")
        ),
    }


def describe_machine() -> dict[str, object]:
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model(),
        "memory_gib": memory_gib(),
        "kernel": platform.release(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "django": package_version("django"),
        "gunicorn": package_version("gunicorn"),
        "whitenoise": package_version("whitenoise"),
        "wrk": wrk_version(),
        "load_average_at_start": load_average(),
        "code": measured_code(),
    }
