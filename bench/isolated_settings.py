"""The app's own settings, with one change: STATIC_ROOT in the benchmark's temporary directory.

The settings are production's when the environment says so (DJANGO_DEBUG_FALSE and friends, set
by bench.throwaway_site); only where collectstatic writes, and whitenoise reads, differs.
"""

import os
from pathlib import Path

from superlists.settings import *  # noqa: F403  (the whole point: the same settings)

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
