"""What a test process started (browsers, SSH channels to a server) ends with it.

``atexit`` is not enough: the workers of a ``--parallel`` run end through ``os._exit``, which
skips it, after running multiprocessing's exit handlers (``Finalize`` with an exit priority),
which the main process runs at its exit too. A worker is forked with none of them registered, so
``close_at_exit`` is called where a resource is made, and registers once in each process.
"""

import multiprocessing.util
import os
from typing import Protocol


class Closable(Protocol):
    def close(self) -> None: ...


_registered: set[tuple[int, int]] = set()


def close_at_exit(resource: Closable) -> None:
    """Have ``resource.close()`` called when this process exits (once, however often asked)."""
    key = (os.getpid(), id(resource))
    if key not in _registered:
        _registered.add(key)
        multiprocessing.util.Finalize(resource, resource.close, exitpriority=10)
