"""Run one bounded load: with wrk when it is installed, else with the Python fallback."""

from bench.load_python import run_python_load
from bench.load_spec import LoadResult, LoadSpec
from bench.load_wrk import run_wrk, wrk_available


def generator_name(force_python: bool = False) -> str:
    return "wrk" if wrk_available() and not force_python else "python"


def run_load(spec: LoadSpec, force_python: bool = False) -> LoadResult:
    if generator_name(force_python) == "wrk":
        return run_wrk(spec)
    return run_python_load(spec)
