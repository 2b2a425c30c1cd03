"""gunicorn's hooks for prometheus-client's multiprocess mode (gunicorn.conf.py names them).

Each worker writes its metrics to files in ``PROMETHEUS_MULTIPROC_DIR``, which must exist, be
writable, and start empty, before any worker imports prometheus-client: so the master makes it
when it starts (a new one under the temporary directory, the container's tmpfs /tmp, since the
image's root filesystem is read-only; or empties the one the environment names) and sets the
variable, which the workers it forks inherit. When a worker exits its files stay, so its counts
are not lost, and ``mark_process_dead`` drops its live gauges. This module imports nothing of
prometheus-client at its top: the master must not load it before the variable is set.
"""

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def on_starting(server: Any) -> None:
    given = os.environ.get(VARIABLE)
    if given:
        shutil.rmtree(given, ignore_errors=True)
        Path(given).mkdir(parents=True)
    else:
        os.environ[VARIABLE] = tempfile.mkdtemp(prefix="superlists-metrics-")


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def on_exit(server: Any) -> None:
    shutil.rmtree(os.environ[VARIABLE], ignore_errors=True)
