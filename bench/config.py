"""Every fixed fact of the benchmark suite, defined once."""

from pathlib import Path

# Shared with the load test (sitekit.config), named here too: bench's modules read one config.
from sitekit.config import BIND_HOST as BIND_HOST
from sitekit.config import GUNICORN_CONF as GUNICORN_CONF
from sitekit.config import REPO_ROOT as REPO_ROOT
from sitekit.config import SERVER_START_TIMEOUT_S as SERVER_START_TIMEOUT_S
from sitekit.config import SRC_DIR as SRC_DIR

RESULTS_DIR = Path(__file__).resolve().parent / "results"
LUA_SCRIPT = Path(__file__).resolve().parent / "lua" / "measure.lua"

# The production settings with STATIC_ROOT moved into the run's temporary directory, so that a
# benchmark never writes into src/static, which the Docker build and other runs share.
ISOLATED_SETTINGS = "bench.isolated_settings"

# What the ceiling's and the floor's views answer (bench.ceiling_app, bench.floor_app).
FIXED_BODY = b"<!doctype html><title>ceiling</title><p>The same bytes, every time.</p>"

# Load: fixed duration, a cap on requests, a hard timeout on the load generator itself.
DEFAULT_DURATION_S = 5.0
QUICK_DURATION_S = 1.0
DEFAULT_CONNECTIONS = 10
LOAD_THREADS = 1  # wrk shares the 2 cores with the server: one thread is enough to saturate it
MAX_REQUESTS_PER_RUN = 200_000
LOAD_TIMEOUT_GRACE_S = 20.0
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}

# Data sizes: the pair of each shows whether the query count stays constant as data grows.
SMALL_LIST_ITEMS = 20
LARGE_LIST_ITEMS = 200
FEW_LISTS = 5
MANY_LISTS = 50

# The book's published figures, from its own machine (bench.book_side_by_side runs its app here).
BOOK_REFERENCE = {
    "list_page_requests_per_second": 906,
    "ceiling_requests_per_second": 6160,
    "list_page_fraction_of_ceiling": 906 / 6160,
    "local_ft_suite_seconds": 16,
    "staging_ft_suite_seconds": [68, 89],
}

TARGETS = {
    "list_20_fraction_of_ceiling": 0.50,
    "home_fraction_of_ceiling": 0.70,
    "my_lists_max_queries": 3,
    "email_seconds": 1.0,
    "local_ft_suite_seconds": 8.0,  # the book's 8 stories
    "staging_ft_suite_seconds": 68 / 4,  # the book's 8 stories
    "staging_whole_ft_suite_seconds": 45.0,  # our whole functional_tests label
}
